package be.absencebridge.domain;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The official Discimus codes (since 1 September 2019) and the older internal codes both packages
 * kept, with the official code each one maps onto.
 */
public final class AbsenceCodes {

    public static final String PRESENT = "|";

    /** Official codes: present, non-compulsory kindergarten absence, lawful, sick, rehabilitation, personal, work-based, problematic. */
    public static final Set<String> OFFICIAL = Set.of("|", "A", "R", "Z", "H", "P", "M", "B");

    /** Older codes both packages still accept, mapped onto their official code. */
    public static final Map<String, String> LEGACY = Map.of(
            "D", "Z",
            "T", "R",
            "U", "R",
            "Y", "R",
            "C", "R",
            "J", "R");

    /** Codes Informat knows on top of those: unknown, late (no longer reported), present at work placement. */
    public static final Set<String> INFORMAT_ONLY = Set.of("-", "L", "W");

    private AbsenceCodes() {
    }

    public static boolean isOfficial(String code) {
        return code != null && OFFICIAL.contains(code);
    }

    /** The official code a main code stands for, if it has one. */
    public static Optional<String> officialOf(String mainCode) {
        if (mainCode == null) {
            return Optional.empty();
        }
        if (OFFICIAL.contains(mainCode)) {
            return Optional.of(mainCode);
        }
        return Optional.ofNullable(LEGACY.get(mainCode));
    }

    /** A code Smartschool accepts as an official code in its register. */
    public static boolean isSmartschoolCode(String code) {
        return code != null && (OFFICIAL.contains(code) || LEGACY.containsKey(code));
    }

    /** A main code Informat accepts (subcodes are per institute, see the simulator). */
    public static boolean isInformatMainCode(String code) {
        return code != null && (OFFICIAL.contains(code) || LEGACY.containsKey(code) || INFORMAT_ONLY.contains(code));
    }
}
