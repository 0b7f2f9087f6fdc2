package be.absencebridge.exchange.deliver;

import be.absencebridge.domain.HalfDay;
import be.absencebridge.domain.SourceSystem;
import be.absencebridge.support.BridgeTest;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
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

    /**
     * The outbox poller looks for rows its decision's hand-off left (older than the grace) and rows to try again. While
     * a backfill queues a few seconds of fresh rows, each handed over already, it read every one of them (and its row)
     * to find none due: 0.6 s a scan, a scan a second, a tenth of the backfill's statement time. Now it reads through
     * the index only what is due.
     */
    @Test
    void theOutboxPollerReadsOnlyWhatIsDueNotTheFreshRowsHandedOverAlready() {
        String query = ((org.apache.camel.component.sql.SqlEndpoint) camel.getRoute("outbox-poller").getEndpoint()).getQuery();
        tx.executeWithoutResult(status -> {
            status.setRollbackOnly();
            // a backfill's fresh rows, handed over by their decision a moment ago (created now: within the grace)
            jdbc.update("""
                    INSERT INTO outbox (target, institution_number, registration_number, date, part, record)
                    SELECT 'SMARTSCHOOL', '999992', 'r' || g, DATE '2026-10-01' + (g / 2000), CASE WHEN g % 2 = 0 THEN 'AM' ELSE 'PM' END,
                           '{}'::jsonb FROM generate_series(0, 39999) g""");
            // due: two rows whose hand-off was lost (older than the grace), three to try again; not due: two in flight,
            // one to try again later (due long ago, so that they come first of the rows other tests left waiting)
            jdbc.update("""
                    INSERT INTO outbox (target, institution_number, registration_number, date, part, record, created_at,
                                        next_attempt_at, attempts, locked_until)
                    VALUES ('INFORMAT', '999992', 'lost1', DATE '2026-11-02', 'AM', '{}', TIMESTAMPTZ '2000-01-01', TIMESTAMPTZ '2000-01-01', 0, NULL),
                           ('INFORMAT', '999992', 'lost2', DATE '2026-11-02', 'AM', '{}', TIMESTAMPTZ '2000-01-01', TIMESTAMPTZ '2000-01-01', 0, NULL),
                           ('INFORMAT', '999992', 'retry1', DATE '2026-11-02', 'AM', '{}', TIMESTAMPTZ '2000-01-01', TIMESTAMPTZ '2000-01-01 00:00:01', 1, NULL),
                           ('INFORMAT', '999992', 'retry2', DATE '2026-11-02', 'AM', '{}', now(), TIMESTAMPTZ '2000-01-01 00:00:02', 2, NULL),
                           ('INFORMAT', '999992', 'retry3', DATE '2026-11-02', 'AM', '{}', TIMESTAMPTZ '2000-01-01', TIMESTAMPTZ '2000-01-01 00:00:03', 3, now() - interval '1 second'),
                           ('INFORMAT', '999992', 'flight1', DATE '2026-11-02', 'AM', '{}', TIMESTAMPTZ '2000-01-01', TIMESTAMPTZ '2000-01-01', 1, now() + interval '1 minute'),
                           ('INFORMAT', '999992', 'flight2', DATE '2026-11-02', 'AM', '{}', now(), now(), 1, now() + interval '1 minute'),
                           ('INFORMAT', '999992', 'later', DATE '2026-11-02', 'AM', '{}', now(), now() + interval '1 minute', 1, NULL)""");
            jdbc.execute("ANALYZE outbox");
            long rowsBefore = outboxRowsRead();

            List<Long> ids = jdbc.queryForList(query).stream().map(r -> ((Number) r.get("id")).longValue()).toList();

            // live rows read (sequential scans, fetches through any index): the fresh rows are not among them. (Index
            // entries of rows settled since they waited stay until VACUUM and are skipped once seen dead: not counted)
            assertThat(outboxRowsRead() - rowsBefore).as("outbox rows read by the poller").isLessThan(5_000);
            assertThat(jdbc.queryForList("SELECT registration_number FROM outbox WHERE institution_number = '999992' AND id = ANY(?)",
                    String.class, (Object) ids.toArray(Long[]::new))).containsExactlyInAnyOrder("lost1", "lost2", "retry1", "retry2", "retry3");
        });
    }

    /**
     * Rows in flight are outside the poller's range of rows to try again: the claim moves a row's next attempt to its
     * lease's end. Before, that range held every row of the batches in flight (their attempts counted, their next
     * attempt passed), and each poll fetched each of them through {@code outbox_due} to find it leased: during a
     * backfill 2,000 rows a second. (Checked on the range, not on the rows a poll reads: on this small shared table the
     * planner may scan the whole table instead of the index.)
     */
    @Test
    void rowsInFlightAreOutsideTheOutboxPollersRangeOfRowsToTryAgain() {
        String query = ((org.apache.camel.component.sql.SqlEndpoint) camel.getRoute("outbox-poller").getEndpoint()).getQuery();
        String range = "state = 'PENDING' AND attempts > 0 AND next_attempt_at <= now()";
        assertThat(query).as("the poller's range of rows to try again").contains(range);
        tx.executeWithoutResult(status -> {
            status.setRollbackOnly();
            Long[] ids = jdbc.queryForList("""
                    INSERT INTO outbox (target, institution_number, registration_number, date, part, record)
                    SELECT 'SMARTSCHOOL', '999993', 'r' || g, DATE '2026-10-01', 'AM', '{}'::jsonb FROM generate_series(0, 2999) g
                    RETURNING id""", Long.class).toArray(Long[]::new);
            Exchange exchange = new DefaultExchange(camel);
            exchange.getMessage().setBody(List.of(ids));
            try {
                assertThat(outbox.claimBatch(exchange).getItems()).as("rows claimed").hasSize(ids.length);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }

            assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE id = ANY(?) AND " + range, Long.class, (Object) ids))
                    .as("rows in flight in the poller's range").isZero();
            assertThat(jdbc.queryForList(query).stream().map(r -> ((Number) r.get("id")).longValue()).toList())
                    .doesNotContainAnyElementsOf(List.of(ids));
        });
    }

    /** Outbox rows read in this transaction so far: by sequential scans and fetched through any index. */
    private long outboxRowsRead() {
        return jdbc.queryForObject("SELECT pg_stat_get_xact_tuples_returned('outbox'::regclass) + "
                + "pg_stat_get_xact_tuples_fetched('outbox'::regclass)", Long.class);
    }

    /** Index entries read through {@code outbox_due} in this transaction so far. */
    private long dueIndexRead() {
        return jdbc.queryForObject("SELECT pg_stat_get_xact_tuples_returned('outbox_due'::regclass)", Long.class);
    }
}
