package be.absencebridge.retention;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The pause after a purge chunk: the configured floor, and the chunks held to their share of the time. */
class PurgePauseTest {

    private static final long MS = 1_000_000;

    @Test
    void aChunkIsFollowedByThreeTimesItsTimeAtAQuarterShare() {
        assertThat(Purge.pauseMillis(Duration.ofMillis(10), 0.25, 40 * MS)).isEqualTo(120);
        // a slower database (the same chunk taking four times as long) slows the purge down with it
        assertThat(Purge.pauseMillis(Duration.ofMillis(10), 0.25, 160 * MS)).isEqualTo(480);
    }

    @Test
    void theFloorHoldsForQuickChunks() {
        assertThat(Purge.pauseMillis(Duration.ofMillis(10), 0.25, 2 * MS)).isEqualTo(10);
    }

    @Test
    void aShareOfOneOrNoneLeavesTheFloorOnly() {
        assertThat(Purge.pauseMillis(Duration.ofMillis(10), 1, 400 * MS)).isEqualTo(10);
        assertThat(Purge.pauseMillis(Duration.ofMillis(10), 0, 400 * MS)).isEqualTo(10);
        assertThat(Purge.pauseMillis(null, 1, 400 * MS)).isZero();
    }
}
