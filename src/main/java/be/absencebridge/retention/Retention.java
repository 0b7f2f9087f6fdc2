package be.absencebridge.retention;

import be.absencebridge.exchange.Handoff;
import be.absencebridge.job.Runs;
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
 * The retention's runs: started every night (jobs.camel.yaml, one instance through Quartz's clustered store or the
 * Lease) and on demand (the admin API), one at a time, run by {@link Purge} in chunks; a run left by a stopped instance
 * is run again by another after its lease. The one owner of {@code retention_run}: a run's life (lease, progress, end)
 * through its {@link Runs}, as a backfill's and a reconciliation's.
 */
@Component("retention")
@EnableConfigurationProperties(RetentionProperties.class)
public class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final Purge purge;
    private final Handoff handoff;
    private final Clock clock;
    private final RetentionProperties settings;
    private final ObjectMapper json;
    private final Runs runs;

    public Retention(NamedParameterJdbcTemplate jdbc, Purge purge, Handoff handoff, Clock clock, RetentionProperties settings,
                     ObjectMapper json) {
        this.jdbc = jdbc;
        this.purge = purge;
        this.handoff = handoff;
        this.clock = clock;
        this.settings = settings;
        this.json = json;
        this.runs = new Runs(jdbc, "retention_run", "retention run", null, settings.leaseSeconds());
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

    /** The nightly run (jobs.camel.yaml, retention-nightly). */
    public void nightly() {
        start("schedule");
    }

    /** Runs a run that no other instance holds (retention-run); how it ends: {@link Runs#run}. */
    public void run(long id) {
        runs.run(id, "id", (rs, i) -> rs.getLong(1), this::purge);
    }

    /** Every step, each chunk added to its count with the lease renewed; then the runs that ended long ago. */
    private void purge(long id) {
        long started = System.nanoTime();
        Map<String, Long> counts = purge.all(clock.instant(), (step, rows) -> runs.advance(id, Map.of(step, rows), null, null));
        long removed = runs.removeEndedBefore(clock.instant().minus(settings.eventsAfter()));
        runs.advance(id, Map.of("retentionRunsRemoved", removed), null, null);
        runs.end(id, "DONE", null, null);
        LOG.info("retention run {} done in {} s: {}, {} earlier runs removed", id, (System.nanoTime() - started) / 1_000_000_000,
                counts, removed);
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
