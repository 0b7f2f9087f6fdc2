package be.absencebridge.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The life of one kind's runs in its table ({@code backfill}, {@code reconciliation}, {@code retention_run}), written
 * once for every kind: a run is claimed with a lease ({@code locked_until}) by one instance at a time, renews it with
 * each step of progress (its counts merged), gives it up when it pauses or a retry can fix what stopped it (the
 * resume route runs it again), and ends {@code DONE}, {@code DELIVERING}, or {@code FAILED} with the reason
 * ({@link Failures}). A kind whose runs write through the outbox is {@code DONE} once those writes have reached their
 * end ({@link #settleDelivered}).
 * <p>
 * Each table's owner (Backfills, Reconciliations, Retention) holds its {@code Runs} and is the only class that does:
 * the table has one writer, and the statements of a run's life are written here once. The table has the columns
 * {@code id}, {@code state}, {@code counts} (JSONB of numbers), {@code error}, {@code locked_until} and
 * {@code updated_at}; {@code position} for {@link #advanceDay}, {@code phase} for {@link #end} with a phase.
 */
public final class Runs {

    /** Another instance took the run over (its lease ran out here): this one stops without writing. */
    public static final class LostRun extends RuntimeException {
        LostRun(String reason) {
            super(reason);
        }
    }

    /** A kind's own steps for a run this instance has claimed. */
    @FunctionalInterface
    public interface Work<T> {
        void run(T run) throws Exception;
    }

    /** The writes a run made through the outbox, by their state. */
    public record Writes(long delivered, long pending, long deadLettered, long superseded) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Runs.class);

    /**
     * The counts of {@code :keys} and {@code :ns} added to the run's own, key by key (the other keys kept as they are);
     * one statement, so that two steps never lose each other's counts.
     */
    private static final String COUNTS_ADDED = """
            counts = counts || coalesce((SELECT jsonb_object_agg(k.key, coalesce((counts->>k.key)::bigint, 0) + k.n)
                                         FROM unnest(CAST(:keys AS text[]), CAST(:ns AS bigint[])) AS k(key, n)), '{}'::jsonb)""";

    private final NamedParameterJdbcTemplate jdbc;
    private final String table;
    private final String noun;
    private final String outboxColumn;
    private final int leaseSeconds;

    /**
     * @param table        the run table (a name of the schema, never data)
     * @param noun         what the logs call a run ("backfill")
     * @param outboxColumn the outbox column that carries the run's writes ({@code backfill_id}), null for a kind that
     *                     writes nothing there
     * @param leaseSeconds how long a claim or a step's renewal holds the run
     */
    public Runs(NamedParameterJdbcTemplate jdbc, String table, String noun, String outboxColumn, int leaseSeconds) {
        if (!table.matches("[a-z_]+") || outboxColumn != null && !outboxColumn.matches("[a-z_]+")) {
            throw new IllegalArgumentException("a run table and an outbox column are names: " + table + ", " + outboxColumn);
        }
        this.jdbc = jdbc;
        this.table = table;
        this.noun = noun;
        this.outboxColumn = outboxColumn;
        this.leaseSeconds = leaseSeconds;
    }

    // ---- running ----

    /**
     * Claims the run and does the kind's work. A run another instance holds, or that is not {@code RUNNING}, is left
     * alone. When the work throws: a run lost to another instance stops without writing; what a retry can fix (a vendor
     * unreachable, the database gone) gives the lease up with the reason, and the resume route runs it again; anything
     * else (data it cannot read, a configuration that no longer holds, a bug) ends it {@code FAILED} with the reason,
     * for a person and its alert, not resumed every half minute for ever.
     *
     * @param columns the columns {@code row} reads, as a {@code RETURNING} list
     */
    public <T> void run(long id, String columns, RowMapper<T> row, Work<T> work) {
        T run = claim(id, columns, row);
        if (run == null) {
            return;
        }
        try {
            work.run(run);
        } catch (LostRun e) {
            LOG.warn("{} {}: {}; left to the instance that holds it", noun, id, e.getMessage());
        } catch (Exception e) {
            if (Failures.retryable(e)) {
                LOG.warn("{} {} interrupted, resumes later: {}", noun, id, e.toString());
                release(id, Failures.reason(e));
            } else {
                LOG.error("{} {} failed: {}", noun, id, e.toString());
                end(id, "FAILED", null, Failures.reason(e));
            }
        }
    }

    /** The run claimed for this instance for a lease, read by {@code row}; null when another holds it or it does not run. */
    <T> T claim(long id, String columns, RowMapper<T> row) {
        List<T> claimed = jdbc.query("""
                UPDATE %s SET locked_until = now() + make_interval(secs => :lease), updated_at = now()
                WHERE id = :id AND state = 'RUNNING' AND (locked_until IS NULL OR locked_until < now())
                RETURNING %s""".formatted(table, columns), new MapSqlParameterSource("id", id).addValue("lease", leaseSeconds), row);
        return claimed.isEmpty() ? null : claimed.get(0);
    }

    /**
     * A step done, in the caller's transaction: its counts added, the lease renewed, an earlier interruption's reason
     * cleared, and the kind's own columns set ({@code set}: assignments with named parameters from {@code values}, or
     * null). Throws {@link LostRun} when the run is no longer {@code RUNNING}.
     */
    public void advance(long id, Map<String, Long> counts, String set, MapSqlParameterSource values) {
        if (update(id, counts, set, values, "") == 0) {
            throw new LostRun(noun + " " + id + " no longer runs here");
        }
    }

    /**
     * A day done, as {@link #advance}, its position the day; throws {@link LostRun} when another instance has done that
     * day already (this one outlived its lease): that one's counts stand.
     */
    public void advanceDay(long id, LocalDate day, Map<String, Long> counts, String set, MapSqlParameterSource values) {
        MapSqlParameterSource p = values == null ? new MapSqlParameterSource() : values;
        p.addValue("day", Date.valueOf(day));
        String withPosition = "position = :day" + (set == null ? "" : ", " + set);
        if (update(id, counts, withPosition, p, " AND (position IS NULL OR position < :day)") == 0) {
            throw new LostRun("day " + day + " was done by another run");
        }
    }

    private int update(long id, Map<String, Long> counts, String set, MapSqlParameterSource values, String condition) {
        MapSqlParameterSource p = values == null ? new MapSqlParameterSource() : values;
        p.addValue("id", id).addValue("lease", leaseSeconds)
                .addValue("keys", counts.keySet().toArray(String[]::new))
                .addValue("ns", counts.values().toArray(Long[]::new));
        return jdbc.update("""
                UPDATE %s SET %s, locked_until = now() + make_interval(secs => :lease), error = NULL, updated_at = now()%s
                WHERE id = :id AND state = 'RUNNING'%s""".formatted(table, COUNTS_ADDED, set == null ? "" : ", " + set, condition), p);
    }

    /** The run paused: its lease given up, so that the resume route runs it again; {@code reason} why, or null. */
    public void release(long id, String reason) {
        jdbc.update("UPDATE %s SET locked_until = NULL, error = :error, updated_at = now() WHERE id = :id".formatted(table),
                new MapSqlParameterSource("id", id).addValue("error", reason));
    }

    /**
     * The run ended in {@code state} ({@code DONE}, {@code DELIVERING}, {@code FAILED}, or a state of the kind's own),
     * with {@code reason} (null: none) and, when not null, {@code phase}; its lease given up.
     */
    public void end(long id, String state, String phase, String reason) {
        jdbc.update("""
                UPDATE %s SET state = :state, %s error = :error, locked_until = NULL, updated_at = now()
                WHERE id = :id""".formatted(table, phase == null ? "" : "phase = :phase,"),
                new MapSqlParameterSource("id", id).addValue("state", state).addValue("phase", phase).addValue("error", reason));
    }

    /** The run's counts as JSON text, for a log line. */
    public String counts(long id) {
        return jdbc.queryForObject("SELECT counts::text FROM %s WHERE id = :id".formatted(table), new MapSqlParameterSource("id", id),
                String.class);
    }

    /** Runs that ended before {@code cutoff} removed (a run still running stays); how many. */
    public int removeEndedBefore(Instant cutoff) {
        return jdbc.update("DELETE FROM %s WHERE state <> 'RUNNING' AND created_at < :cutoff".formatted(table),
                new MapSqlParameterSource("cutoff", Timestamp.from(cutoff)));
    }

    // ---- what a run wrote through the outbox ----

    /** The writes the run made through the outbox, by their state. */
    public Writes writes(long id) {
        Map<String, Object> w = jdbc.queryForMap("""
                SELECT count(*) FILTER (WHERE state = 'DONE') AS delivered, count(*) FILTER (WHERE state = 'PENDING') AS pending,
                       count(*) FILTER (WHERE state = 'DEAD') AS dead, count(*) FILTER (WHERE state = 'SUPERSEDED') AS superseded
                FROM outbox WHERE %s = :id""".formatted(outboxColumn), new MapSqlParameterSource("id", id));
        return new Writes(number(w.get("delivered")), number(w.get("pending")), number(w.get("dead")), number(w.get("superseded")));
    }

    /**
     * Runs that have done their part ({@code DELIVERING}) become {@code DONE} once none of their writes waits any more
     * (delivered, held newer by the target, superseded by a newer registration, or in the dead letters); the others log
     * their progress. Run on a timer by every instance: the update is conditional, so two instances end a run once.
     * The writes still waiting of every delivering run, for a gauge.
     */
    public long settleDelivered() {
        long pending = 0;
        // only the writes still waiting of the runs that have done their part are counted, along the outbox's index on
        // (run column, state): counting those of a backfill still deciding cost the database 0.6 s a tick (two seconds)
        // for the whole backfill, an eighth of its statements' time, for a figure nobody reads before it delivers
        for (Map<String, Object> row : jdbc.queryForList("""
                SELECT r.id, (SELECT count(*) FROM outbox o WHERE o.%2$s = r.id AND o.state = 'PENDING') AS pending
                FROM %1$s r WHERE r.state = 'DELIVERING' ORDER BY r.id""".formatted(table, outboxColumn),
                new MapSqlParameterSource())) {
            long id = number(row.get("id"));
            long waiting = number(row.get("pending"));
            pending += waiting;
            if (waiting == 0 && jdbc.update("""
                    UPDATE %1$s r SET state = 'DONE', updated_at = now() WHERE id = :id AND state = 'DELIVERING'
                      AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.%2$s = r.id AND o.state = 'PENDING')"""
                    .formatted(table, outboxColumn), new MapSqlParameterSource("id", id)) == 1) {
                Writes ended = writes(id);
                LOG.info("{} {} done: {} writes reached their end, {} of them in the dead letters", noun, id,
                        ended.delivered() + ended.deadLettered() + ended.superseded(), ended.deadLettered());
            } else if (waiting > 0) {
                LOG.info("{} {} delivering: {} writes pending", noun, id, waiting);
            }
        }
        return pending;
    }

    private static long number(Object o) {
        return ((Number) o).longValue();
    }
}
