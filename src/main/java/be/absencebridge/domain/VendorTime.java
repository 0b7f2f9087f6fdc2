package be.absencebridge.domain;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Every time a vendor writes, read one way, and every time the bridge writes to a vendor without an offset, written one
 * way. The forms the contracts allow: ISO-8601 with an offset ({@code Z} included), or Belgian local time without one
 * (Informat's Student API document writes its {@code timestamp} so). The zone rule, written once: a local time is
 * Europe/Brussels; in the hour that comes twice on the last Sunday of October, a local time cannot say which of the two
 * it is, and is read as the first (summer time), as {@link java.time.ZonedDateTime#of} does: the bridge writes its own
 * times with their offset where the contract is its own ({@link #belgian}), and takes a half-day's state from the change
 * feed's commit order, not from the greatest time. Kept to microseconds, as PostgreSQL keeps them.
 */
public final class VendorTime {

    public static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

    private VendorTime() {
    }

    /** A vendor's time; throws {@link DateTimeParseException} for anything else. */
    public static OffsetDateTime parse(String text) {
        if (text == null) {
            throw new DateTimeParseException("no time", "", 0);
        }
        try {
            return OffsetDateTime.parse(text).truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException withoutOffset) {
            return LocalDateTime.parse(text).atZone(BRUSSELS).toOffsetDateTime().truncatedTo(ChronoUnit.MICROS);
        }
    }

    /**
     * A moment as Belgian time with its offset ({@code 2026-10-25T02:30:00+01:00}): what the bridge writes where the
     * contract is its own (the partner endpoints), so that the hour that comes twice in October is not ambiguous.
     */
    public static String belgian(OffsetDateTime t) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZoneSameInstant(BRUSSELS).toOffsetDateTime());
    }

    /** A moment as Belgian local time without offset (Informat's Student API {@code timestamp}), its fraction kept. */
    public static String local(OffsetDateTime t) {
        return LOCAL.format(t.atZoneSameInstant(BRUSSELS).toLocalDateTime());
    }
}
