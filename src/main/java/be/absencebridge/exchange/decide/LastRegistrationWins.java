package be.absencebridge.exchange.decide;

import be.absencebridge.domain.AbsenceRecord;
import be.absencebridge.domain.Decision;
import be.absencebridge.domain.SourceSystem;

import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * Rule 5, last registration wins, as a pure function: a record against the registration stored for its pupil and
 * half-day. A record seen only by a register read ({@code observed}) that shows what is decided is no change at all. Order: registration time, then the tie rule (Informat before Smartschool), then the code. A record equal
 * to the stored one is a duplicate (same package) or the bridge's own write coming back (the other package). A tie won
 * against the other package is written to both packages, since the loser may already have been written over the
 * winner's own cell.
 */
public final class LastRegistrationWins {

    /** The registration the decision table holds for a key. */
    public record Stored(String officialCode, OffsetDateTime registeredAt, SourceSystem source) {
    }

    /**
     * What becomes of a record.
     *
     * @param forward   the record wins: it is stored and written to the other package
     * @param writeBack the record won a tie against the other package: it is written to its own package too
     * @param detail    the audit's detail (no personal data), or null
     */
    public record Verdict(Decision decision, boolean forward, boolean writeBack, String detail) {
    }

    private LastRegistrationWins() {
    }

    /** The verdict on a record with this official code (null: cleared) against what is stored (null: nothing). */
    public static Verdict classify(AbsenceRecord r, String officialCode, Stored stored) {
        if (stored == null) {
            return new Verdict(Decision.FORWARDED, true, false, null);
        }
        if (r.observed() && Objects.equals(stored.officialCode(), officialCode)) {
            // a register read that shows what is decided changed nothing, whatever the time its window gives
            return stored.source() == r.source()
                    ? new Verdict(Decision.DUPLICATE, false, false, "the register read shows what is decided")
                    : new Verdict(Decision.ECHO, false, false, "the register read shows what the bridge wrote from "
                    + stored.source().label());
        }
        boolean sameTime = stored.registeredAt().toInstant().equals(r.registeredAt().toInstant());
        if (compare(r, officialCode, stored) > 0) {
            boolean tie = sameTime && stored.source() != r.source();
            return new Verdict(Decision.FORWARDED, true, tie,
                    tie ? "won a tie at the same registration time: written to both packages" : null);
        }
        if (!sameTime || !Objects.equals(stored.officialCode(), officialCode)) {
            return new Verdict(Decision.STALE, false, false,
                    "a newer registration is stored (" + stored.source().label() + ", " + stored.registeredAt() + ")");
        }
        return stored.source() == r.source()
                ? new Verdict(Decision.DUPLICATE, false, false, "already decided")
                : new Verdict(Decision.ECHO, false, false, "equal to what the bridge wrote from " + stored.source().label());
    }

    private static int compare(AbsenceRecord r, String officialCode, Stored s) {
        int c = r.registeredAt().toInstant().compareTo(s.registeredAt().toInstant());
        if (c != 0) {
            return c;
        }
        c = Integer.compare(r.source().rank(), s.source().rank());
        if (c != 0) {
            return c;
        }
        return Objects.toString(officialCode, "").compareTo(Objects.toString(s.officialCode(), ""));
    }
}
