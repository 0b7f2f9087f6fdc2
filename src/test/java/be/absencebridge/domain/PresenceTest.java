package be.absencebridge.domain;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** Rule 6's one predicate: whose presence Informat stores. */
class PresenceTest {

    private static final LocalDate OCTOBER_2026 = LocalDate.parse("2026-10-15");

    @Test
    void aNonCompulsoryKindergartenPupilsPresenceIsStored() {
        // turns 5 in 2027: compulsory only from 1 September 2027
        assertThat(Presence.storedInInformat("kleuter", LocalDate.parse("2022-03-01"), OCTOBER_2026)).isTrue();
    }

    @Test
    void aCompulsoryPupilsPresenceIsNotStored() {
        // turns 5 in 2026: compulsory since 1 September 2026
        assertThat(Presence.storedInInformat("kleuter", LocalDate.parse("2021-12-31"), OCTOBER_2026)).isFalse();
        assertThat(Presence.storedInInformat("lager", LocalDate.parse("2019-05-01"), OCTOBER_2026)).isFalse();
        assertThat(Presence.storedInInformat("secundair", LocalDate.parse("2012-05-01"), OCTOBER_2026)).isFalse();
    }

    @Test
    void aKindergartenPupilWithoutADateOfBirthCountsAsCompulsoryAndStopsNothing() {
        assertThat(Presence.storedInInformat("kleuter", null, OCTOBER_2026)).isFalse();
        assertThat(Presence.storedInInformat(null, null, OCTOBER_2026)).isFalse();
    }

    @Test
    void theSchoolYearOfTheHalfDayDecides() {
        LocalDate birth = LocalDate.parse("2022-03-01");
        assertThat(Presence.storedInInformat("kleuter", birth, LocalDate.parse("2027-06-30"))).isTrue();
        assertThat(Presence.storedInInformat("kleuter", birth, LocalDate.parse("2027-09-01"))).isFalse();
    }
}
