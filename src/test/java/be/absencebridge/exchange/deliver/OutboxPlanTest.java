package be.absencebridge.exchange.deliver;

import be.absencebridge.domain.HalfDay;
import be.absencebridge.domain.SourceSystem;
import be.absencebridge.support.BridgeTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox's look-ups by key stay on the key index when PostgreSQL's statistics are out of date: its statistics
 * taken while nothing waited (the quiet hours), then a backfill's worth of waiting rows, and a new intent for each of
 * a day's keys. The partial index of waiting rows ({@code outbox_due}) then looks empty to the planner; a statement
 * that asked for {@code state = 'PENDING'} read every waiting row for every key through it. Everything happens in one
 * transaction that is rolled back (the statistics too): nothing is left for the other tests.
 */
class OutboxPlanTest extends BridgeTest {

    private static final int KEYS = 1_000;

    @Autowired
    Outbox outbox;
    @Autowired
    TransactionTemplate tx;

    @Test
    void aNewIntentSupersedesItsKeysOlderRowsThroughTheKeyIndexWhateverTheStatisticsSay() {
        tx.executeWithoutResult(status -> {
            status.setRollbackOnly();
            // the statistics of a table whose rows are all settled
            jdbc.update("""
                    INSERT INTO outbox (target, institution_number, registration_number, date, part, record, state, done_at)
                    SELECT 'SMARTSCHOOL', '999990', 'r' || g, DATE '2026-09-01' + (g % 30), 'AM', '{}'::jsonb, 'DONE', now()
                    FROM generate_series(1, 20000) g""");
            jdbc.execute("ANALYZE outbox");
            // then many rows waiting (a backfill's), not yet seen by the statistics; a thousand of one day's keys among them
            jdbc.update("""
                    INSERT INTO outbox (target, institution_number, registration_number, date, part, record, next_attempt_at)
                    SELECT 'SMARTSCHOOL', '999991', 'r' || g, DATE '2026-10-01' + (g / 2000), CASE WHEN g % 2 = 0 THEN 'AM' ELSE 'PM' END,
                           '{}'::jsonb, now() + interval '1 hour'
                    FROM generate_series(0, 39999) g""");
            // generic plans, as a statement prepared by the driver gets after a few runs
            jdbc.execute("SET LOCAL plan_cache_mode = force_generic_plan");
            long readBefore = dueIndexRead();

            List<Delivery> intents = new ArrayList<>();
            for (int g = 0; g < KEYS; g++) {
                intents.add(new Delivery(SourceSystem.SMARTSCHOOL, "plan-test", "999991", "r" + g, LocalDate.of(2026, 10, 1),
                        g % 2 == 0 ? HalfDay.AM : HalfDay.PM, "Z", "Z", null, null,
                        OffsetDateTime.parse("2026-10-01T08:00:00+02:00"), "Z", null));
            }
            outbox.enqueue(intents);

            assertThat(jdbc.queryForObject("""
                    SELECT count(*) FROM outbox WHERE institution_number = '999991' AND state = 'SUPERSEDED'""", Long.class))
                    .as("each key's older waiting row superseded").isEqualTo(KEYS);
            assertThat(dueIndexRead() - readBefore).as("rows read through outbox_due by the look-up").isZero();
        });
    }

    /** Index entries read through {@code outbox_due} in this transaction so far. */
    private long dueIndexRead() {
        return jdbc.queryForObject("SELECT pg_stat_get_xact_tuples_returned('outbox_due'::regclass)", Long.class);
    }
}
