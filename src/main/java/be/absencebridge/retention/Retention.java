package be.absencebridge.retention;

import be.absencebridge.exchange.Handoff;
import be.absencebridge.job.Failures;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The retention's runs: started every night (retention.camel.yaml, one instance through Quartz's clustered store or the
 * Lease) and on demand (the admin API), one at a time, run by {@link Purge} in chunks; a run left by a stopped instance
 * is run again by another after its lease. The one owner of {@code retention_run}.
 */
@Component("retention")
@EnableConfigurationProperties(RetentionProperties.class)
public class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    /** Another instance took the run over (its lease ran out here): this one stops. */
    static final class LostRun extends RuntimeException {
        LostRun(long id) {
            super("retention run " + id + " is no longer this instance's");
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final Purge purge;
    private final Handoff handoff;
    private final Clock clock;
    private final RetentionProperties settings;
    private final ObjectMapper json;

    public Retention(NamedParameterJdbcTemplate jdbc, Purge purge, Handoff handoff, Clock clock, RetentionProperties settings,
                     ObjectMapper json) {
        this.jdbc = jdbc;
        this.purge = purge;
        this.handoff = handoff;
        this.clock = clock;
        this.settings = settings;
        this.json = json;
    }

    /** A run started (or the one running already): its id. */
    public long start(String startedBy) {
        List<Long> inserted = jdbc.queryForList("""
                INSERT INTO retention_run (started_by, state) VALUES (:by, 'RUNNING')
                ON CONFLICT ((true)) WHERE state = 'RUNNING' DO NOTHING RETURNING id""",
                new MapSqlParameterSource("by", startedBy), Long.class);
        if (inserted.isEmpty()) {
            List<Long> running = jdbc.queryForList("SELECT id FROM retention_run WHERE state = 'RUNNING'", Map.of(), Long.class);
            if (!running.isEmpty()) {
                return running.get(0);
            }
            // it ended between the two statements: start one after it
            return start(startedBy);
        }
        long id = inserted.get(0);
        LOG.info("retention run {} started by {}", id, startedBy);
        handoff.retention(id);
        return id;
    }

    /** The nightly run (retention.camel.yaml). */
    public void nightly() {
        start("schedule");
    }

    public void run(long id) {
        int claimed = jdbc.update("""
                UPDATE retention_run SET locked_until = now() + make_interval(secs => :lease), updated_at = now()
                WHERE id = :id AND state = 'RUNNING' AND (locked_until IS NULL OR locked_until < now())""",
                new MapSqlParameterSource("id", id).addValue("lease", settings.leaseSeconds()));
        if (claimed == 0) {
            return;
        }
        long started = System.nanoTime();
        try {
            Map<String, Long> counts = purge.all(clock.instant(), (step, rows) -> progress(id, step, rows));
            jdbc.update("UPDATE retention_run SET state = 'DONE', locked_until = NULL, error = NULL, updated_at = now() WHERE id = :id",
                    new MapSqlParameterSource("id", id));
            LOG.info("retention run {} done in {} s: {}", id, (System.nanoTime() - started) / 1_000_000_000, counts);
        } catch (LostRun e) {
            LOG.warn("{}; left to the instance that holds it", e.getMessage());
        } catch (RuntimeException e) {
            if (Failures.retryable(e)) {
                // the database gone a moment: the run stays RUNNING and is run again after its lease
                LOG.warn("retention run {} interrupted, resumes later: {}", id, e.toString());
                jdbc.update("UPDATE retention_run SET locked_until = NULL, error = :error, updated_at = now() WHERE id = :id",
                        new MapSqlParameterSource("id", id).addValue("error", Failures.reason(e)));
            } else {
                LOG.error("retention run {} failed: {}", id, e.toString());
                jdbc.update("UPDATE retention_run SET state = 'FAILED', locked_until = NULL, error = :error, updated_at = now() WHERE id = :id",
                        new MapSqlParameterSource("id", id).addValue("error", Failures.reason(e)));
            }
        }
    }

    /** A chunk done: its rows added to the step's count, the lease renewed; a run another instance holds stops. */
    private void progress(long id, String step, long rows) {
        int n = jdbc.update("""
                UPDATE retention_run SET locked_until = now() + make_interval(secs => :lease), updated_at = now(),
                       counts = counts || jsonb_build_object(CAST(:step AS text), coalesce((counts->>CAST(:step AS text))::bigint, 0) + :rows)
                WHERE id = :id AND state = 'RUNNING'""", new MapSqlParameterSource("id", id).addValue("step", step)
                .addValue("rows", rows).addValue("lease", settings.leaseSeconds()));
        if (n == 0) {
            throw new LostRun(id);
        }
    }

    /** {@code {"id","state","counts","startedBy","error","createdAt","updatedAt"}}, or null when there is no such run. */
    public Map<String, Object> status(long id) throws IOException {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT id, state, counts::text AS counts, started_by, error, created_at, updated_at FROM retention_run WHERE id = :id""",
                new MapSqlParameterSource("id", id));
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> row = rows.get(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", row.get("id"));
        out.put("state", row.get("state"));
        out.put("counts", json.readTree((String) row.get("counts")));
        out.put("startedBy", row.get("started_by"));
        out.put("error", row.get("error"));
        out.put("createdAt", ((java.sql.Timestamp) row.get("created_at")).toInstant().toString());
        out.put("updatedAt", ((java.sql.Timestamp) row.get("updated_at")).toInstant().toString());
        return out;
    }
}
