package be.absencebridge.exchange.receive;

import java.time.LocalDate;
import java.util.Map;

/**
 * What the bridge decided a package registered itself, as that package wrote it: the decide step's answer to a register
 * read, so that a read can be compared with the registrations the bridge holds from that package (a teacher who puts
 * back a code whose push was lost leaves a register that looks like its previous read, and differs from what is
 * decided). Implemented by the decision's owner.
 */
public interface OwnRegistrations {

    /** A registration as the package wrote it: its code (null: cleared) and alias. */
    record Cell(String code, String alias) {
    }

    /**
     * The decided registrations of {@code date} that came from Smartschool (a push or a register read), as it wrote
     * them, keyed {@code institution|registration|AM/PM}.
     */
    Map<String, Cell> smartschool(LocalDate date);
}
