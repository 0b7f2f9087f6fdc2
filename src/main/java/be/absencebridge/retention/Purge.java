package be.absencebridge.retention;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.domain.SchoolYear;
import be.absencebridge.exchange.receive.SmartschoolPoller;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The retention's steps: what goes, and what is cleared of its free text, as {@link RetentionProperties} says, in
 * chunks of at most {@code chunk-size} rows, each chunk one statement in its own short transaction, so that the
 * exchange's statements never wait long behind it. Each step can be run again: a run that stopped halfway is simply run
 * again. Nothing the exchange still needs goes: an inbox row not processed yet (or waiting for its pupil), an outbox row
 * not settled, an open dead letter and the event and outbox row it points to, the Smartschool events and writes of the
 * days the Smartschool poller still reads (it compares each read with them), decisions of the current and the previous
 * school year (last registration wins, and a September correction of June).
 * <p>
 * The retention deletes from the exchange's tables without being their owner: it only ever deletes rows those owners
 * no longer read, or clears a column none of them reads again.
 */
@Component
public class Purge {

    private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

    /** After every chunk: the run renews its lease and adds the chunk to its counts (it throws when the run was lost). */
    public interface Progress {
        void chunk(String step, long rows);
    }

    /** A motivation (Smartschool) or a remark (Informat) cleared from an event, its keys kept as JSON null. */
    private static final String CLEAR_EVENT_TEXT = "jsonb_set(jsonb_set(%1$s, '{motivation}', 'null', false), '{remark}', 'null', false)";
    /** The rows of the partial indexes inbox_free_text and outbox_free_text (V20). */
    static final String INBOX_TEXT = "(payload->>'motivation' <> '' OR payload->>'remark' <> '')";
    static final String OUTBOX_TEXT = "(record->>'text' <> '')";
    static final String CELL_TEXT = "(cell->>'motivation' <> '' OR cell->>'remark' <> '')";
    static final String SOURCE_TEXT = "(payload->>'motivation' <> '' OR payload->>'remark' <> '')";

    private final NamedParameterJdbcTemplate jdbc;
    private final RetentionProperties settings;
    private final int pollerDays;
    private final int previousYearDays;

    public Purge(NamedParameterJdbcTemplate jdbc, RetentionProperties settings, BridgeProperties props) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.pollerDays = props.pollers().smartschoolDays();
        this.previousYearDays = props.exchange().previousYearDays();
    }

    /** Every step, in an order where a row a later step looks at is already free of what kept it. */
    public Map<String, Long> all(Instant now, Progress progress) {
        LocalDate today = now.atZone(BRUSSELS).toLocalDate();
        List<LocalDate> readDays = SmartschoolPoller.daysToRead(today, pollerDays, previousYearDays);
        String[] days = readDays.stream().map(LocalDate::toString).toArray(String[]::new);
        Timestamp textCutoff = Timestamp.from(now.minus(settings.freeTextAfter()));
        Timestamp eventCutoff = Timestamp.from(now.minus(settings.eventsAfter()));
        LocalDate decisionCutoff = SchoolYear.of(today).firstDay().minusYears(Math.max(1, settings.decisionSchoolYears()) - 1L);
        Timestamp auditCutoff = Timestamp.from(SchoolYear.of(today).firstDay()
                .minusYears(Math.max(1, settings.auditSchoolYears()) - 1L).atStartOfDay(BRUSSELS).toInstant());
        Map<String, Long> counts = new LinkedHashMap<>();

        // dead letters first: a resolved one no longer keeps its event and outbox row
        counts.put("deadLettersRemoved", repeat("deadLettersRemoved", """
                DELETE FROM dead_letter WHERE ctid = ANY(ARRAY(
                    SELECT ctid FROM dead_letter WHERE replayed_at < :cutoff LIMIT :n)) AND replayed_at < :cutoff""",
                new MapSqlParameterSource("cutoff", Timestamp.from(now.minus(settings.deadLettersAfter()))), progress));

        // raw events and settled outbox rows; those of the days the Smartschool poller still reads stay. Before the free
        // text, so that a row about to go is not rewritten first: clearing a row's text writes a new version of the row
        // and of every index entry, per row ten times what removing it costs (the benchmark's year phase)
        counts.put("inboxRemoved", walk("inboxRemoved", INBOX_BOUND, """
                WITH chunk AS (SELECT id FROM inbox WHERE id > :after AND id <= :upTo ORDER BY id LIMIT :n),
                gone AS (DELETE FROM inbox i USING chunk c
                         WHERE i.id = c.id AND i.received_at < :cutoff AND i.processed_at IS NOT NULL
                           AND NOT (i.source = 'SMARTSCHOOL' AND coalesce(i.payload->>'date', '') = ANY(CAST(:days AS text[])))
                           AND NOT EXISTS (SELECT 1 FROM dead_letter d WHERE d.replayed_at IS NULL AND d.inbox_id = i.id)
                         RETURNING i.id)
                SELECT (SELECT max(id) FROM chunk) AS last, (SELECT count(*) FROM gone) AS n""",
                new MapSqlParameterSource("cutoff", eventCutoff).addValue("days", days), progress));
        counts.put("outboxRemoved", walk("outboxRemoved", OUTBOX_BOUND, """
                WITH chunk AS (SELECT id FROM outbox WHERE id > :after AND id <= :upTo ORDER BY id LIMIT :n),
                gone AS (DELETE FROM outbox o USING chunk c
                         WHERE o.id = c.id AND o.state <> 'PENDING' AND coalesce(o.done_at, o.created_at) < :cutoff
                           AND NOT (o.target = 'SMARTSCHOOL' AND o.date = ANY(CAST(:days AS date[])))
                           AND NOT EXISTS (SELECT 1 FROM dead_letter d WHERE d.replayed_at IS NULL AND d.outbox_id = o.id)
                         RETURNING o.id)
                SELECT (SELECT max(id) FROM chunk) AS last, (SELECT count(*) FROM gone) AS n""",
                new MapSqlParameterSource("cutoff", eventCutoff).addValue("days", days), progress));

        // free text of the rows that stay, once its record has reached its end and the grace has passed
        counts.put("inboxFreeTextCleared", walk("inboxFreeTextCleared", INBOX_BOUND, """
                WITH chunk AS (SELECT id FROM inbox WHERE %s AND id > :after AND id <= :upTo ORDER BY id LIMIT :n),
                done AS (UPDATE inbox i SET payload = %s FROM chunk c
                         WHERE i.id = c.id AND i.processed_at < :cutoff
                           AND NOT EXISTS (SELECT 1 FROM dead_letter d WHERE d.replayed_at IS NULL AND d.inbox_id = i.id)
                         RETURNING i.id)
                SELECT (SELECT max(id) FROM chunk) AS last, (SELECT count(*) FROM done) AS n"""
                .formatted(INBOX_TEXT, CLEAR_EVENT_TEXT.formatted("i.payload")), new MapSqlParameterSource("cutoff", textCutoff), progress));
        counts.put("outboxFreeTextCleared", walk("outboxFreeTextCleared", OUTBOX_BOUND, """
                WITH chunk AS (SELECT id FROM outbox WHERE %s AND id > :after AND id <= :upTo ORDER BY id LIMIT :n),
                done AS (UPDATE outbox o SET record = jsonb_set(o.record, '{text}', 'null', false) FROM chunk c
                         WHERE o.id = c.id AND o.state <> 'PENDING' AND coalesce(o.done_at, o.created_at) < :cutoff
                           AND NOT EXISTS (SELECT 1 FROM dead_letter d WHERE d.replayed_at IS NULL AND d.outbox_id = o.id)
                         RETURNING o.id)
                SELECT (SELECT max(id) FROM chunk) AS last, (SELECT count(*) FROM done) AS n""".formatted(OUTBOX_TEXT),
                new MapSqlParameterSource("cutoff", textCutoff), progress));
        // a finished reconciliation's cells (a copy's event) are no longer read
        counts.put("reconciliationFreeTextCleared", repeat("reconciliationFreeTextCleared", """
                UPDATE reconciliation_difference SET cell = %s WHERE ctid = ANY(ARRAY(
                    SELECT d.ctid FROM reconciliation_difference d JOIN reconciliation r ON r.id = d.reconciliation_id
                    WHERE r.state IN ('DONE', 'FAILED') AND r.updated_at < :cutoff AND %s LIMIT :n)) AND %s"""
                .formatted(CLEAR_EVENT_TEXT.formatted("cell"), CELL_TEXT.replace("cell", "d.cell"), CELL_TEXT),
                new MapSqlParameterSource("cutoff", textCutoff), progress));
        // a finished backfill's copy of Informat's register (remarks included) is never read again
        counts.put("backfillSourcesRemoved", repeat("backfillSourcesRemoved", """
                DELETE FROM backfill_source WHERE ctid = ANY(ARRAY(
                    SELECT s.ctid FROM backfill_source s JOIN backfill b ON b.id = s.backfill_id
                    WHERE b.state IN ('DONE', 'FAILED') LIMIT :n))""", new MapSqlParameterSource(), progress));

        // decisions of half-days before the previous school year; the audit written before the previous school year
        counts.put("decisionsRemoved", repeat("decisionsRemoved", """
                DELETE FROM decision WHERE ctid = ANY(ARRAY(SELECT ctid FROM decision WHERE date < :cutoff LIMIT :n))
                  AND date < :cutoff""", new MapSqlParameterSource("cutoff", java.sql.Date.valueOf(decisionCutoff)), progress));
        counts.put("auditRemoved", walk("auditRemoved", AUDIT_BOUND, """
                WITH chunk AS (SELECT id FROM audit WHERE id > :after AND id <= :upTo ORDER BY id LIMIT :n),
                gone AS (DELETE FROM audit a USING chunk c WHERE a.id = c.id AND a.at < :cutoff RETURNING a.id)
                SELECT (SELECT max(id) FROM chunk) AS last, (SELECT count(*) FROM gone) AS n""",
                new MapSqlParameterSource("cutoff", auditCutoff), progress));

        // register reads of days the poller no longer reads
        MapSqlParameterSource read = new MapSqlParameterSource("days", days);
        long reads = repeat("registerReadsRemoved", """
                DELETE FROM smartschool_read WHERE ctid = ANY(ARRAY(
                    SELECT ctid FROM smartschool_read WHERE NOT (date = ANY(CAST(:days AS date[]))) LIMIT :n))
                  AND NOT (date = ANY(CAST(:days AS date[])))""", read, progress);
        reads += repeat("registerReadsRemoved", """
                DELETE FROM smartschool_read_day WHERE ctid = ANY(ARRAY(
                    SELECT ctid FROM smartschool_read_day WHERE NOT (date = ANY(CAST(:days AS date[]))) LIMIT :n))
                  AND NOT (date = ANY(CAST(:days AS date[])))""", read, progress);
        counts.put("registerReadsRemoved", reads);

        counts.put("adminActionsRemoved", repeat("adminActionsRemoved", """
                DELETE FROM admin_action WHERE ctid = ANY(ARRAY(SELECT ctid FROM admin_action WHERE at < :cutoff LIMIT :n))
                  AND at < :cutoff""", new MapSqlParameterSource("cutoff", Timestamp.from(now.minus(settings.adminActionsAfter()))),
                progress));
        return counts;
    }

    /** A chunked statement run until a chunk removes or clears fewer rows than a chunk holds. */
    private long repeat(String step, String sql, MapSqlParameterSource p, Progress progress) {
        p.addValue("n", settings.chunkSize());
        long total = 0;
        while (true) {
            long started = System.nanoTime();
            int n = jdbc.update(sql, p);
            long took = System.nanoTime() - started;
            total += n;
            progress.chunk(step, n);
            if (n < settings.chunkSize()) {
                return total;
            }
            pause(took);
        }
    }

    /** The last row written before the cutoff, found through the BRIN indexes of V20: where a walk ends. */
    private static final String INBOX_BOUND = "SELECT max(id) FROM inbox WHERE received_at < :cutoff";
    private static final String OUTBOX_BOUND = "SELECT max(id) FROM outbox WHERE created_at < :cutoff";
    private static final String AUDIT_BOUND = "SELECT max(id) FROM audit WHERE at < :cutoff";

    /**
     * A walk along a table's key, a chunk of rows at a time, up to the last row written before the cutoff
     * ({@code bound}: a row that was settled or processed before the cutoff was written before it too). Each statement
     * answers the chunk's last id ({@code last}) and the rows it removed or cleared ({@code n}). Rows come in key order
     * about as they were written, so the walk reads little more than what it removes; a row kept (waiting, not settled,
     * of an open dead letter) is read again by the next night's walk.
     */
    private long walk(String step, String bound, String sql, MapSqlParameterSource p, Progress progress) {
        Long upTo = jdbc.queryForObject(bound, p, Long.class);
        if (upTo == null) {
            progress.chunk(step, 0);
            return 0;
        }
        p.addValue("n", settings.chunkSize()).addValue("upTo", upTo);
        long after = 0;
        long total = 0;
        while (true) {
            long started = System.nanoTime();
            Map<String, Object> row = jdbc.queryForMap(sql, p.addValue("after", after));
            long took = System.nanoTime() - started;
            if (row.get("last") == null) {
                return total;
            }
            long n = ((Number) row.get("n")).longValue();
            total += n;
            progress.chunk(step, n);
            after = ((Number) row.get("last")).longValue();
            pause(took);
        }
    }

    /**
     * The pause after a chunk that took {@code tookNanos} (its statement and commit): {@code chunk-pause} at least, and
     * long enough that the chunks take at most {@code database-share} of the time. A chunk's time grows with what the
     * database is busy with (the exchange's commits, a checkpoint writing the purge's own pages out), so the purge slows
     * down when the database does: a fixed pause let a year's purge write its removals to the WAL as fast as the disk took
     * them, and the exchange's commits waited behind (the benchmark's year phase).
     */
    static long pauseMillis(java.time.Duration chunkPause, double share, long tookNanos) {
        long ms = chunkPause == null ? 0 : chunkPause.toMillis();
        if (share > 0 && share < 1) {
            ms = Math.max(ms, Math.round(tookNanos / 1e6 * (1 - share) / share));
        }
        return ms;
    }

    private void pause(long tookNanos) {
        long ms = pauseMillis(settings.chunkPause(), settings.databaseShare(), tookNanos);
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("retention interrupted", e);
            }
        }
    }
}
