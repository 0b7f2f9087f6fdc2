package be.absencebridge.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every vendor time read one way: the forms the contracts allow, and nothing else. */
class VendorTimeTest {

    @Test
    void aTimeWithAnOffsetIsThatMomentAndOneWithoutIsBelgianLocalTime() {
        assertThat(VendorTime.parse("2026-10-15T08:30:00+02:00").toInstant()).isEqualTo(Instant.parse("2026-10-15T06:30:00Z"));
        assertThat(VendorTime.parse("2026-10-15T06:30:00Z").toInstant()).isEqualTo(Instant.parse("2026-10-15T06:30:00Z"));
        assertThat(VendorTime.parse("2026-10-15T08:30:00").toInstant()).as("summer").isEqualTo(Instant.parse("2026-10-15T06:30:00Z"));
        assertThat(VendorTime.parse("2026-12-15T08:30:00").toInstant()).as("winter").isEqualTo(Instant.parse("2026-12-15T07:30:00Z"));
        assertThat(VendorTime.parse("2026-12-15T08:30:00.1234567").toInstant()).as("to microseconds")
                .isEqualTo(Instant.parse("2026-12-15T07:30:00.123456Z"));
        // the hour that comes twice (25 October 2026): the first, as the rule says
        assertThat(VendorTime.parse("2026-10-25T02:30:00").toInstant()).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        for (String bad : new String[] {"2026-10-15", "15/10/2026 08:30", "", "2026-10-15T08:30:00+25:00"}) {
            assertThatThrownBy(() -> VendorTime.parse(bad)).as(bad).isInstanceOf(DateTimeParseException.class);
        }
        assertThatThrownBy(() -> VendorTime.parse(null)).isInstanceOf(DateTimeParseException.class);
    }

    @Test
    void theBridgeWritesBelgianLocalTimeThatReadsBackAsTheSameMoment() {
        OffsetDateTime t = OffsetDateTime.parse("2026-12-03T09:15:30.250Z");
        assertThat(VendorTime.local(t)).isEqualTo("2026-12-03T10:15:30.25");
        assertThat(VendorTime.parse(VendorTime.local(t)).toInstant()).isEqualTo(t.toInstant());
    }

    /** The bridge's own times carry their offset: the repeated hour of 25 October 2026 reads back as the same moment. */
    @Test
    void theRepeatedHourIsNotAmbiguousWithTheOffset() {
        OffsetDateTime second = OffsetDateTime.parse("2026-10-25T01:30:00Z"); // 02:30 winter time, the second 02:30
        assertThat(VendorTime.belgian(second)).isEqualTo("2026-10-25T02:30:00+01:00");
        assertThat(VendorTime.parse(VendorTime.belgian(second)).toInstant()).isEqualTo(second.toInstant());
        // without the offset it reads as the first 02:30, an hour early: why the partner writes carry it
        assertThat(VendorTime.parse(VendorTime.local(second)).toInstant()).isEqualTo(second.toInstant().minusSeconds(3600));
    }
}
