package be.absencebridge.vendor.informat;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** What the bridge reads of an Informat pupil: rule 6 and enrolment, also for a pupil Informat has no date of birth for. */
class StudentTest {

    private static InformatDirectory.Student toddler(LocalDate dateOfBirth) {
        return new InformatDirectory.Student("p", "1001", "123456", 12345, dateOfBirth, "kleuter",
                LocalDate.parse("2026-09-01"), LocalDate.parse("2027-01-31"));
    }

    @Test
    void aPupilWithoutADateOfBirthHasNoStoredPresenceAndNoError() {
        // the backfill asked this for every cell of a branch; without a date of birth it stopped the whole backfill
        assertThat(toddler(null).presenceStored(LocalDate.parse("2026-10-15"))).isFalse();
        assertThat(toddler(LocalDate.parse("2022-06-01")).presenceStored(LocalDate.parse("2026-10-15"))).isTrue();
    }

    @Test
    void enrolmentRunsFromTheStartDateToTheEndDateIncluded() {
        InformatDirectory.Student s = toddler(null);
        assertThat(s.enrolledOn(LocalDate.parse("2026-08-31"))).isFalse();
        assertThat(s.enrolledOn(LocalDate.parse("2026-09-01"))).isTrue();
        assertThat(s.enrolledOn(LocalDate.parse("2027-01-31"))).isTrue();
        assertThat(s.enrolledOn(LocalDate.parse("2027-02-01"))).isFalse();
        assertThat(new InformatDirectory.Student("p", "1001", "123456", 12345, null, "lager", LocalDate.parse("2026-09-01"), null)
                .enrolledOn(LocalDate.parse("2027-06-30"))).as("no end date: still enrolled").isTrue();
    }

    /** Dates the pupil APIs write as date-times: with an offset, the day in Brussels; without one, the day written. */
    @Test
    void aDateWrittenAsAMomentIsItsDayInBrussels() {
        com.fasterxml.jackson.databind.node.JsonNodeFactory f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        assertThat(InformatDirectory.date(f.textNode("2012-03-13T23:00:00Z"))).isEqualTo(LocalDate.parse("2012-03-14"));
        assertThat(InformatDirectory.date(f.textNode("2012-03-14T00:00:00+01:00"))).isEqualTo(LocalDate.parse("2012-03-14"));
        assertThat(InformatDirectory.date(f.textNode("2012-03-14T00:00:00"))).isEqualTo(LocalDate.parse("2012-03-14"));
        assertThat(InformatDirectory.date(f.textNode("2012-03-14"))).isEqualTo(LocalDate.parse("2012-03-14"));
        assertThat(InformatDirectory.date(f.nullNode())).isNull();
    }
}
