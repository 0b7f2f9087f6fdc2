package be.absencebridge.domain;

import java.time.LocalDate;

/**
 * DOMAIN.md rule 6: a presence {@code |} is stored in Informat only for a non-compulsory kindergarten pupil; for every
 * other pupil an empty half-day already means present. The one place this rule is written.
 */
public final class Presence {

    /** Informat's level of a kindergarten pupil. */
    public static final String KINDERGARTEN = "kleuter";

    private Presence() {
    }

    /**
     * Whether Informat stores a presence of this pupil on this date. A kindergarten pupil without a known date of birth
     * counts as of compulsory school age: their presence is not stored (what Informat holds for every other pupil), so
     * a missing date of birth never stops a record.
     */
    public static boolean storedInInformat(String level, LocalDate dateOfBirth, LocalDate date) {
        return KINDERGARTEN.equals(level) && dateOfBirth != null && !SchoolYear.of(date).isCompulsory(dateOfBirth);
    }
}
