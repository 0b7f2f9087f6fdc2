package be.absencebridge.domain;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

public class FlemishSchoolCalendarTest {

    /** Counted from DOMAIN.md's explicit list of 2026-27 holidays, independently of the rule's code. */
    public static final int EXPECTED_HALF_DAYS_2026_27 = 329;

    private static LocalDate d(String s) {
        return LocalDate.parse(s);
    }

    @Test
    void holidaysOf2026_27AreThoseOfDomainMd() {
        FlemishSchoolCalendar cal = new FlemishSchoolCalendar(SchoolYear.parse("2026-27"));
        assertThat(cal.isInstructionDay(d("2026-09-01"))).isTrue();
        for (String off : List.of("2026-11-02", "2026-11-06", "2026-11-11", "2026-12-21", "2027-01-01", "2027-02-08",
                "2027-02-12", "2027-03-29", "2027-04-09", "2027-05-06", "2027-05-07", "2027-05-17")) {
            assertThat(cal.isInstructionDay(d(off))).as(off).isFalse();
        }
        for (String on : List.of("2026-10-30", "2026-11-09", "2026-11-10", "2026-12-18", "2027-01-04", "2027-02-15",
                "2027-03-26", "2027-04-12", "2027-05-05", "2027-05-18", "2027-06-30")) {
            assertThat(cal.isInstructionDay(d(on))).as(on).isTrue();
        }
        assertThat(cal.isInstruction(d("2026-11-25"), HalfDay.AM)).isTrue();
        assertThat(cal.isInstruction(d("2026-11-25"), HalfDay.PM)).as("Wednesday afternoon").isFalse();
        assertThat(cal.isInstructionDay(d("2026-11-28"))).as("Saturday").isFalse();
        assertThat(cal.isInstructionDay(d("2027-07-01"))).as("summer").isFalse();
        assertThat(cal.instructionHalfDays()).hasSize(EXPECTED_HALF_DAYS_2026_27);
    }

    @Test
    void theRuleHoldsForOtherYears() {
        // 2025-26: 1 November on a Saturday, Christmas on a Thursday, Easter on 5 April
        FlemishSchoolCalendar y25 = new FlemishSchoolCalendar(SchoolYear.parse("2025-26"));
        assertThat(y25.isInstructionDay(d("2025-10-27"))).isFalse();
        assertThat(y25.isInstructionDay(d("2025-10-24"))).isTrue();
        assertThat(y25.isInstructionDay(d("2025-12-22"))).isFalse();
        assertThat(y25.isInstructionDay(d("2026-01-05"))).isTrue();
        assertThat(y25.isInstructionDay(d("2026-02-16"))).as("carnival").isFalse();
        assertThat(y25.isInstructionDay(d("2026-04-06"))).as("Easter holidays from the first Monday of April").isFalse();
        assertThat(y25.isInstructionDay(d("2026-04-17"))).isFalse();
        assertThat(y25.isInstructionDay(d("2026-04-20"))).isTrue();
        // 2024-25: Easter on 20 April (after 15 April): holidays from the 2nd Monday before Easter, plus Easter Monday
        FlemishSchoolCalendar y24 = new FlemishSchoolCalendar(SchoolYear.parse("2024-25"));
        assertThat(y24.isInstructionDay(d("2025-04-04"))).isTrue();
        assertThat(y24.isInstructionDay(d("2025-04-07"))).isFalse();
        assertThat(y24.isInstructionDay(d("2025-04-21"))).as("Easter Monday").isFalse();
        assertThat(y24.isInstructionDay(d("2025-04-22"))).isTrue();
        assertThat(FlemishSchoolCalendar.easterSunday(2027)).isEqualTo(d("2027-03-28"));
        assertThat(FlemishSchoolCalendar.easterSunday(2025)).isEqualTo(d("2025-04-20"));
    }

    @Test
    void schoolYearAndCompulsoryAge() {
        SchoolYear y = SchoolYear.parse("2026-27");
        assertThat(y.toString()).isEqualTo("2026-27");
        assertThat(SchoolYear.of(d("2027-03-01"))).isEqualTo(y);
        assertThat(SchoolYear.of(d("2026-09-01"))).isEqualTo(y);
        // the summer belongs to the year that ends: the year turns on 1 September, not 1 July
        assertThat(SchoolYear.of(d("2027-07-02"))).isEqualTo(y);
        assertThat(SchoolYear.of(d("2027-08-31"))).isEqualTo(y);
        assertThat(SchoolYear.of(d("2027-09-01"))).isEqualTo(SchoolYear.parse("2027-28"));
        assertThat(y.isCompulsory(d("2021-12-31"))).as("turns 5 in 2026").isTrue();
        assertThat(y.isCompulsory(d("2022-01-01"))).isFalse();
        assertThat(List.of("2026-28", "2026", "abc", "2026-27x")).allSatisfy(bad ->
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> SchoolYear.parse(bad)).isInstanceOf(IllegalArgumentException.class));
    }

    @Test
    void instructionDaysUpTo() {
        FlemishSchoolCalendar cal = new FlemishSchoolCalendar(SchoolYear.parse("2026-27"));
        assertThat(cal.instructionDaysUpTo(d("2026-11-29"), 3)).containsExactly(d("2026-11-27"), d("2026-11-26"), d("2026-11-25"));
        assertThat(cal.instructionDaysUpTo(d("2026-11-10"), 2)).containsExactly(d("2026-11-10"), d("2026-11-09"));
        assertThat(cal.instructionDaysUpTo(d("2026-08-01"), 2)).isEmpty();
        // in the summer, the last days of the year that ends
        assertThat(cal.instructionDaysUpTo(d("2027-07-02"), 2)).containsExactly(d("2027-06-30"), d("2027-06-29"));
    }

    @Test
    void thePreviousYearStaysOpenForItsGraceAfterTheFirstOfSeptember() {
        SchoolYear y = SchoolYear.parse("2026-27");
        assertThat(SchoolYear.open(d("2027-08-31"), 30)).containsExactly(y);
        assertThat(SchoolYear.open(d("2027-09-01"), 30)).containsExactly(SchoolYear.parse("2027-28"), y);
        assertThat(SchoolYear.open(d("2027-09-30"), 30)).containsExactly(SchoolYear.parse("2027-28"), y);
        assertThat(SchoolYear.open(d("2027-10-01"), 30)).containsExactly(SchoolYear.parse("2027-28"));
        assertThat(SchoolYear.takes(d("2027-09-15"), 30, d("2027-06-29"))).as("a June correction in September").isTrue();
        assertThat(SchoolYear.takes(d("2027-07-02"), 30, d("2027-06-29"))).as("a June correction in July").isTrue();
        assertThat(SchoolYear.takes(d("2027-10-15"), 30, d("2027-06-29"))).as("after the grace").isFalse();
        assertThat(SchoolYear.takes(d("2027-09-15"), 30, d("2027-09-16"))).as("a future day").isFalse();
    }
}
