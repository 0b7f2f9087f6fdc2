package be.absencebridge.domain;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.OffsetDateTime;

import static org.assertj.core.api.Assertions.assertThat;

/** What a record shows when something prints it (a log line, an exception, Camel's message of a predicate). */
class AbsenceRecordTest {

    @Test
    void aPrintedRecordShowsItsKeyAndCodeAndNoFreeTextNorWhoRegisteredIt() {
        AbsenceRecord r = new AbsenceRecord(SourceSystem.SMARTSCHOOL, "ev-1", "131130", "419", LocalDate.parse("2026-10-15"),
                HalfDay.AM, "Z", "ziek", "bij de psycholoog", OffsetDateTime.parse("2026-10-15T08:31:00+02:00"), "Mevr. Peeters",
                null, "4711", null, "school1");

        assertThat(r.toString()).contains("131130/419", "2026-10-15", "AM", "code=Z", "alias=ziek", "ev-1", "school1")
                .doesNotContain("psycholoog").doesNotContain("Peeters");
    }

    @Test
    void aRecordMissingItsHalfDayStillPrints() {
        AbsenceRecord r = new AbsenceRecord(SourceSystem.INFORMAT, null, null, null, null, null, null, null, "text", null, null,
                null, null);
        assertThat(r.toString()).startsWith("AbsenceRecord[").doesNotContain("text");
    }
}
