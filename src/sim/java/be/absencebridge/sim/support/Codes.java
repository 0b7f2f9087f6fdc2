package be.absencebridge.sim.support;

import java.util.Map;
import java.util.Set;

/**
 * The absence codes the simulated registers accept, from the public lists (DOMAIN.md "Official codes"): the official
 * Discimus codes, the older codes both packages kept, and each vendor's own.
 */
public final class Codes {

    /** Discimus' official codes since 1 September 2019: present, A, R, Z, H, P, M, B. */
    private static final Set<String> OFFICIAL = Set.of("|", "A", "R", "Z", "H", "P", "M", "B");

    /** Older codes and the official code each stands for (DOMAIN.md). */
    private static final Map<String, String> OLDER = Map.of("D", "Z", "T", "R", "U", "R", "Y", "R", "C", "R", "J", "R");

    /**
     * Smartschool's register: the codes of the public client's list (AbriantoLabs/smartschool-kit {@code src/types.ts},
     * {@code AbsenceCode}: present, late, sick, doctor, known, unforeseen, unknown, spread, top sport, revalidation,
     * childcare, mourning, personal, internship, absent from internship, maternity leave, suspension, temporary and
     * definitive termination) plus the official {@code A}, which that list predates (model choice: the register takes
     * every official code).
     */
    private static final Set<String> SMARTSCHOOL = Set.of("|", "L", "Z", "D", "B", "R", "-", "G", "C", "H", "O", "Q",
            "P", "W", "M", "J", "Y", "U", "T", "A");

    /** Informat's main codes: the official ones, the older ones, and unknown {@code -}, late {@code L}, work placement {@code W}. */
    private static final Set<String> INFORMAT_MAIN;

    static {
        java.util.HashSet<String> main = new java.util.HashSet<>(OFFICIAL);
        main.addAll(OLDER.keySet());
        main.addAll(Set.of("-", "L", "W"));
        INFORMAT_MAIN = Set.copyOf(main);
    }

    private Codes() {
    }

    public static boolean smartschool(String code) {
        return code != null && SMARTSCHOOL.contains(code);
    }

    public static boolean informatMain(String code) {
        return code != null && INFORMAT_MAIN.contains(code);
    }

    /** The official code a code stands for: itself when official, its older code's mapping, else null. */
    public static String official(String code) {
        if (code == null) {
            return null;
        }
        return OFFICIAL.contains(code) ? code : OLDER.get(code);
    }
}
