package be.absencebridge.exchange.receive;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** The days a Smartschool poll reads across the summer: June's last days stay in its window until the grace ends. */
class PollerDaysTest {

    private static LocalDate d(String s) {
        return LocalDate.parse(s);
    }

    @Test
    void theLastDaysOfJuneAreReadInTheSummerAndInSeptemberBesideTheNewYearsDays() {
        assertThat(SmartschoolPoller.daysToRead(d("2026-11-27"), 2, 61)).containsExactly(d("2026-11-27"), d("2026-11-26"));
        // July: the year that ends (read as the year that starts, the poller read nothing until September)
        assertThat(SmartschoolPoller.daysToRead(d("2027-07-02"), 2, 61)).containsExactly(d("2027-06-30"), d("2027-06-29"));
        assertThat(SmartschoolPoller.daysToRead(d("2027-08-31"), 2, 61)).containsExactly(d("2027-06-30"), d("2027-06-29"));
        // 1 September: the new year's first day, and June's last days for the corrections made now
        assertThat(SmartschoolPoller.daysToRead(d("2027-09-01"), 2, 61))
                .containsExactly(d("2027-09-01"), d("2027-06-30"), d("2027-06-29"));
        assertThat(SmartschoolPoller.daysToRead(d("2027-11-02"), 1, 61)).containsExactly(d("2027-10-29"));
    }
}
