package be.absencebridge.exchange.receive;

import be.absencebridge.support.BridgeTest;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event is read back from the inbox by its key whatever PostgreSQL's statistics say. Its statistics taken while
 * nothing waited (a database holding a year of processed events), then a poll's worth of events waiting: the partial
 * index of waiting events ({@code inbox_unprocessed}) looks empty to the planner, and a look-up that asked for
 * {@code processed_at IS NULL} could go through it, reading every waiting event's entry (dead ones too) for each event
 * (the benchmark's year phase: 0.69 ms a look-up with the history, 0.017 ms without). Everything happens in one
 * transaction that is rolled back (the statistics too): nothing is left for the other tests.
 */
class InboxPlanTest extends BridgeTest {

    @Autowired
    Inbox inbox;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    CamelContext camelContext;

    @Test
    void anEventIsReadBackThroughTheKeyIndexWhateverTheStatisticsSay() {
        tx.executeWithoutResult(status -> {
            status.setRollbackOnly();
            // the statistics of a table whose events are all processed
            jdbc.update("""
                    INSERT INTO inbox (source, source_event_id, received_via, payload, processed_at)
                    SELECT 'INFORMAT', 'plan-done-' || g, 'POLL', '{}'::jsonb, now() FROM generate_series(1, 20000) g""");
            jdbc.execute("ANALYZE inbox");
            // then many events waiting, not yet seen by the statistics
            jdbc.update("""
                    INSERT INTO inbox (source, source_event_id, received_via, payload)
                    SELECT 'INFORMAT', 'plan-waiting-' || g, 'POLL', '{}'::jsonb FROM generate_series(1, 20000) g""");
            // generic plans, as a statement prepared by the driver gets after a few runs
            jdbc.execute("SET LOCAL plan_cache_mode = force_generic_plan");
            long processed = jdbc.queryForObject("SELECT min(id) FROM inbox WHERE source_event_id LIKE 'plan-done-%'", Long.class);
            long readBefore = unprocessedIndexRead();

            for (int i = 0; i < 10; i++) {
                Exchange exchange = new DefaultExchange(camelContext);
                exchange.getMessage().setBody(processed + i);
                try {
                    assertThat(inbox.load(exchange)).as("an event processed already").isNull();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            // the claims by key, one and many, and a wait for a pupil: none for an event processed already, once for a waiting one
            long waiting = jdbc.queryForObject("SELECT min(id) FROM inbox WHERE source_event_id LIKE 'plan-waiting-%'", Long.class);
            assertThat(inbox.claim(processed)).isFalse();
            assertThat(inbox.claimAll(java.util.List.of(processed + 1, processed + 2))).isEmpty();
            assertThat(inbox.waitForPupil(processed + 3, "test", java.time.Duration.ofMinutes(1), java.time.Duration.ofDays(1))).isNull();
            assertThat(inbox.waitForPupil(waiting, "test", java.time.Duration.ofMinutes(1), java.time.Duration.ofDays(1)).first()).isTrue();
            assertThat(inbox.claimAll(java.util.List.of(waiting, waiting + 1, processed))).containsExactlyInAnyOrder(waiting, waiting + 1);
            assertThat(inbox.claim(waiting + 2)).isTrue();
            assertThat(inbox.claim(waiting + 2)).as("claimed once").isFalse();

            assertThat(unprocessedIndexRead() - readBefore).as("entries read through inbox_unprocessed by the look-ups").isZero();
        });
    }

    /** Index entries read through {@code inbox_unprocessed} in this transaction so far. */
    private long unprocessedIndexRead() {
        return jdbc.queryForObject("SELECT pg_stat_get_xact_tuples_returned('inbox_unprocessed'::regclass)", Long.class);
    }
}
