package be.absencebridge.sim;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * Registration times of the simulators. Vendors write Belgian local time; a time without an offset is read
 * as Western European Time (Europe/Brussels), as the Informat API does for {@code BR053B}.
 */
public final class Timestamps {

    public static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

    private Timestamps() {
    }

    public static OffsetDateTime parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new SimValidationException(field + " is missing");
        }
        try {
            return OffsetDateTime.parse(text.trim());
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text.trim()).atZone(BRUSSELS).toOffsetDateTime();
            } catch (DateTimeParseException e2) {
                throw new SimValidationException(field + " must be an ISO-8601 date-time, like 2026-09-01T08:30:00+02:00");
            }
        }
    }

    public static LocalDate parseDate(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new SimValidationException(field + " is missing");
        }
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new SimValidationException(field + " must be a date like 2026-09-01");
        }
    }

    /** Now, in Belgian time, to the millisecond as the vendors write it. */
    public static OffsetDateTime now(Clock clock) {
        return OffsetDateTime.now(clock.withZone(BRUSSELS)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    public static LocalDate today(Clock clock) {
        return LocalDate.now(clock.withZone(BRUSSELS));
    }
}
