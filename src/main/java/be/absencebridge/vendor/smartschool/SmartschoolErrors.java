package be.absencebridge.vendor.smartschool;

import java.util.Map;

/**
 * Smartschool's published error codes (the integer a V3 call answers instead of its result), each with what it means
 * for the link and its kind. The codes and their meanings are those AbriantoLabs/smartschool-kit
 * ({@code tests/client.test.ts}, Dutch) and Makcime/n8n-nodes-smartschool ({@code nodes/SmartSchool/shared/errorCodes.ts},
 * English) publish, 1 to 57; the descriptions here are the bridge's own. Most concern the account and class management
 * methods the bridge never calls: they are bad input of the call. A code outside the list is {@link Kind#UNPUBLISHED}
 * (no source says which code a platform answers for a method outside the link's restricted profile: the bridge takes a
 * refused access code ({@code 8}) for {@link Kind#RESTRICTED} when another method accepts the same code).
 */
public final class SmartschoolErrors {

    /** What an error code means for the link. */
    public enum Kind {
        /** The web-services password (access code) is refused: nothing works until it is fixed. */
        CREDENTIAL,
        /** The account the call names does not exist (left, archived, another username). */
        UNKNOWN_USER,
        /** The call's input: a date, a school year, missing or invalid data. */
        BAD_INPUT,
        /** Smartschool failed while processing: nothing was applied, a later call may succeed. */
        VENDOR_FAULT,
        /**
         * The access code works, but not for this method: the platform gave the link a profile with restricted access
         * (its own password, limited to chosen methods) that lacks it. Not a code of its own: the bridge tells it from
         * {@link #CREDENTIAL} by another method answering with the same access code ({@link SmartschoolSoap}).
         */
        RESTRICTED,
        /** A code no public source lists. */
        UNPUBLISHED
    }

    public record Meaning(int code, Kind kind, String text) {
    }

    private static final Map<Integer, Meaning> CODES = new java.util.HashMap<>();

    private static void put(Kind kind, String text, int... codes) {
        for (int c : codes) {
            CODES.put(c, new Meaning(c, kind, text));
        }
    }

    static {
        put(Kind.CREDENTIAL, "the web-services access code is wrong", 8);
        put(Kind.UNKNOWN_USER, "the account does not exist", 9, 12);
        put(Kind.UNKNOWN_USER, "the account to change does not exist in Smartschool", 25);
        put(Kind.UNKNOWN_USER, "the parent account does not exist", 19);
        put(Kind.VENDOR_FAULT, "processing failed, nothing was applied", 10);
        put(Kind.VENDOR_FAULT, "an unknown processing error", 23);
        put(Kind.VENDOR_FAULT, "saving failed (class data, profile fields, a class change, a copy or move of users)", 11, 13, 17, 33);
        put(Kind.VENDOR_FAULT, "sending a message failed", 18);
        put(Kind.VENDOR_FAULT, "adding a course failed", 20);
        put(Kind.VENDOR_FAULT, "unenrolling a pupil failed", 51);
        put(Kind.BAD_INPUT, "the date is not valid", 49);
        put(Kind.BAD_INPUT, "the date is not valid for the school year", 56);
        put(Kind.BAD_INPUT, "not enough data given", 14);
        put(Kind.BAD_INPUT, "an account's or class's data is refused (names, passwords, usernames, numbers, roles, classes, "
                + "groups, courses, modules)", 1, 2, 3, 4, 5, 6, 7, 15, 16, 21, 22, 24, 26, 27, 28, 29, 30, 31, 32, 34, 35, 36,
                37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 50, 52, 53, 54, 55, 57);
    }

    private SmartschoolErrors() {
    }

    /** The meaning of a code; {@link Kind#UNPUBLISHED} for one no source lists. */
    public static Meaning of(int code) {
        Meaning m = CODES.get(code);
        return m != null ? m : new Meaning(code, Kind.UNPUBLISHED, "an error code no public source lists");
    }

    /** How many codes are published (1 to 57). */
    static int published() {
        return CODES.size();
    }
}
