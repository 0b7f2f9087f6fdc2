package be.absencebridge.domain;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The official Discimus codes (since 1 September 2019) and the older codes both packages kept for their own use.
 * A code both packages know is exchanged as itself; an older code the target does not know goes as the official code it
 * maps onto; a code with neither is never guessed.
 */
public final class AbsenceCodes {

    public static final String PRESENT = "|";

    /** Official codes: present, non-compulsory kindergarten absence, lawful, sick, rehabilitation, personal, work-based, problematic. */
    public static final Set<String> OFFICIAL = Set.of("|", "A", "R", "Z", "H", "P", "M", "B");

    /** Older codes that map onto an official one (DOMAIN.md; agodi's conversion table). */
    public static final Map<String, String> LEGACY = Map.of(
            "D", "Z",
            "T", "R",
            "U", "R",
            "Y", "R",
            "C", "R",
            "J", "R");

    /**
     * Smartschool's codes: the official ones and the older ones its register still offers (the public sources' list:
     * AbriantoLabs/smartschool-kit {@code src/types.ts}, {@code AbsenceCode}): late, doctor, unknown, spread of the
     * lesson programme, top sport, childcare, mourning, internship, maternity leave, suspension and exclusions.
     */
    public static final Set<String> SMARTSCHOOL = Set.of("|", "A", "R", "Z", "H", "P", "M", "B",
            "L", "D", "-", "G", "C", "O", "Q", "W", "J", "Y", "U", "T");

    /**
     * Informat's main codes (subcodes are per branch): the official ones, the older ones, and unknown, late and present at
     * a work placement (Informat's helpdesk: these three are no absences in Discimus' sense).
     */
    public static final Set<String> INFORMAT_MAIN = Set.of("|", "A", "R", "Z", "H", "P", "M", "B",
            "D", "T", "U", "Y", "C", "J", "-", "L", "W");

    private AbsenceCodes() {
    }

    public static boolean isOfficial(String code) {
        return code != null && OFFICIAL.contains(code);
    }

    /** The official code a code stands for, if it has one. */
    public static Optional<String> officialOf(String code) {
        if (code == null) {
            return Optional.empty();
        }
        if (OFFICIAL.contains(code)) {
            return Optional.of(code);
        }
        return Optional.ofNullable(LEGACY.get(code));
    }

    /**
     * What the decision compares for a code: its official code, or the code itself when it has none but both packages
     * know it ({@code L}, {@code -}, {@code W}); empty for a code neither the official list nor the other package knows.
     */
    public static Optional<String> meaning(String code) {
        Optional<String> official = officialOf(code);
        if (official.isPresent()) {
            return official;
        }
        return code != null && SMARTSCHOOL.contains(code) && INFORMAT_MAIN.contains(code) ? Optional.of(code) : Optional.empty();
    }

    /** A code Smartschool's register accepts. */
    public static boolean isSmartschoolCode(String code) {
        return code != null && SMARTSCHOOL.contains(code);
    }

    /** A main code Informat accepts (subcodes are per branch). */
    public static boolean isInformatMainCode(String code) {
        return code != null && INFORMAT_MAIN.contains(code);
    }

    /** The code to write in Smartschool for an Informat main code: itself when Smartschool knows it, else its official code. */
    public static Optional<String> forSmartschool(String informatMain) {
        return isSmartschoolCode(informatMain) ? Optional.of(informatMain) : officialOf(informatMain);
    }

    /** The code to write in Informat for a Smartschool code: itself when Informat knows it, else its official code. */
    public static Optional<String> forInformat(String smartschoolCode) {
        return isInformatMainCode(smartschoolCode) ? Optional.of(smartschoolCode) : officialOf(smartschoolCode);
    }
}
