package be.absencebridge.domain;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The names the audit, the metrics and the API show: dashboards, alerts and other tools read them, so an enum's
 * constant may be added but never renamed or removed.
 */
class ContractNamesTest {

    @Test
    void decisionsKeepTheirNames() {
        assertThat(Arrays.stream(Decision.values()).map(Enum::name)).contains(
                "ECHO", "UNKNOWN_PUPIL", "NOT_ACTIVE", "BEFORE_ACTIVATION", "UNMAPPED", "PARKED_UNKNOWN_PUPIL",
                "PARKED_UNMAPPED", "FORWARDED", "STALE", "DUPLICATE", "ALREADY_PROCESSED", "DELIVERED", "TARGET_NEWER",
                "REFUSED", "DEAD_LETTERED", "RETRY_SCHEDULED", "REPLAYED", "NO_EFFECT", "UNREADABLE");
    }

    @Test
    void directionsAreNamedOneWayInTheApiAndAnotherInTheAuditAndMetrics() {
        assertThat(Direction.SMARTSCHOOL_TO_INFORMAT.label()).isEqualTo("smartschool-to-informat");
        assertThat(Direction.INFORMAT_TO_SMARTSCHOOL.label()).isEqualTo("informat-to-smartschool");
        assertThat(Direction.parse("INFORMAT_TO_SMARTSCHOOL")).isEqualTo(Direction.INFORMAT_TO_SMARTSCHOOL);
        assertThat(Direction.parse("informat-to-smartschool")).isNull();
        assertThat(Direction.ofLabel("smartschool-to-informat")).isEqualTo(Direction.SMARTSCHOOL_TO_INFORMAT);
        assertThat(SourceSystem.SMARTSCHOOL.outbound()).isEqualTo(Direction.SMARTSCHOOL_TO_INFORMAT);
        assertThat(SourceSystem.SMARTSCHOOL.inbound()).isEqualTo(Direction.INFORMAT_TO_SMARTSCHOOL);
    }

    @Test
    void onlyUnmappedCodesParkAtOnceAndUnknownPupilsWaitFirst() {
        for (Decision d : Decision.values()) {
            assertThat(d.parks()).as(d.name()).isEqualTo(d == Decision.UNMAPPED);
            assertThat(d.waits()).as(d.name()).isEqualTo(d == Decision.UNKNOWN_PUPIL);
        }
        assertThat(Decision.UNMAPPED.recorded()).isEqualTo(Decision.PARKED_UNMAPPED);
        assertThat(Decision.NOT_ACTIVE.recorded()).isEqualTo(Decision.NOT_ACTIVE);
    }
}
