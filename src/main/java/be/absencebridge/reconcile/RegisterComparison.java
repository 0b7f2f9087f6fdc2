package be.absencebridge.reconcile;

import be.absencebridge.domain.AbsenceCodes;

import java.util.Objects;

/**
 * One half-day of one pupil as both registers and the decision table hold it, in official meaning (codes, aliases and
 * subcodes translated; null: nothing registered), and what would make the registers agree. A pure function.
 * <p>
 * Where the bridge decided the half-day, the decided registration is the winner (rule 5) and is written to each side
 * that holds another meaning. Where nothing was decided, the side holding a code is copied to the other (a code from
 * before the link, or a change the bridge never heard of), through the decision like a backfill's record; two
 * different codes and nothing decided cannot be ordered (Smartschool's register shows no registration time): a person
 * decides ({@link Action#REVIEW}).
 * <p>
 * Rule 6: in Informat an empty half-day means present, so a presence and nothing are the same there, except for a
 * pupil whose presence Informat stores (a non-compulsory kindergarten pupil).
 */
public final class RegisterComparison {

    /** What would repair a half-day. */
    public enum Action {
        AGREE, WRITE_SMARTSCHOOL, WRITE_INFORMAT, WRITE_BOTH, COPY_TO_SMARTSCHOOL, COPY_TO_INFORMAT, REVIEW,
        /** A difference the exchange does not cover now (a switch off; a code from before the link: a backfill's). */
        NOT_EXCHANGED;

        /** Whether a repair writes to a package. */
        public boolean writes() {
            return this != AGREE && this != REVIEW && this != NOT_EXCHANGED;
        }
    }

    /** The decision table's row: {@code decided} the official code (null: cleared); absent row: null Decided. */
    public record Decided(String officialCode) {
    }

    private RegisterComparison() {
    }

    /**
     * @param smartschool     Smartschool's cell in official meaning, null when empty
     * @param informat        Informat's cell in official meaning, null when empty
     * @param decided         the decision, null when the bridge decided nothing for the half-day
     * @param presenceStored  whether Informat stores this pupil's presence (rule 6)
     */
    public static Action compare(String smartschool, String informat, Decided decided, boolean presenceStored) {
        if (decided != null) {
            boolean smartschoolOk = Objects.equals(smartschool, decided.officialCode())
                    // a half-day cleared in Informat is a presence in Smartschool (the bridge writes one there), or empty
                    || (decided.officialCode() == null && AbsenceCodes.PRESENT.equals(smartschool) && !presenceStored);
            boolean informatOk = Objects.equals(inInformat(informat, presenceStored), inInformat(decided.officialCode(), presenceStored));
            if (smartschoolOk && informatOk) {
                return Action.AGREE;
            }
            return smartschoolOk ? Action.WRITE_INFORMAT : informatOk ? Action.WRITE_SMARTSCHOOL : Action.WRITE_BOTH;
        }
        String s = inInformat(smartschool, presenceStored);
        String i = inInformat(informat, presenceStored);
        if (Objects.equals(s, i)) {
            return Action.AGREE;
        }
        if (i == null) {
            return Action.COPY_TO_INFORMAT;
        }
        return smartschool == null ? Action.COPY_TO_SMARTSCHOOL : Action.REVIEW;
    }

    /** A meaning as Informat shows it: a presence is nothing, unless Informat stores the pupil's presence. */
    private static String inInformat(String official, boolean presenceStored) {
        return AbsenceCodes.PRESENT.equals(official) && !presenceStored ? null : official;
    }
}
