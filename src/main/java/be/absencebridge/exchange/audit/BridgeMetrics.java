package be.absencebridge.exchange.audit;

import be.absencebridge.domain.SourceSystem;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The product's own metrics besides {@code bridge_decisions_total} (see README "What each metric means").
 * The state gauges (outbox, dead letters, inbox, poll lag, backfills) are read from the database, so every
 * instance reports the state of the whole deployment; one snapshot is taken at most every few seconds, however
 * often Prometheus scrapes. Vendor deliveries are timed per target and outcome on the instance that made them.
 */
@Component
public class BridgeMetrics {

    private static final long SNAPSHOT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final NamedParameterJdbcTemplate jdbc;
    private final MeterRegistry meters;
    private volatile Map<String, Double> snapshot = Map.of();
    private final Map<String, Timer> deliveryTimers = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long snapshotAt;

    public BridgeMetrics(NamedParameterJdbcTemplate jdbc, MeterRegistry meters, be.absencebridge.config.BridgeProperties props) {
        this.jdbc = jdbc;
        this.meters = meters;
        for (String target : new String[] {SourceSystem.INFORMAT.name(), SourceSystem.SMARTSCHOOL.name()}) {
            gauge("bridge.outbox.pending", "records waiting for delivery", "target", target, "pending." + target);
            gauge("bridge.outbox.oldest.age.seconds", "age of the oldest record waiting for delivery", "target", target,
                    "age." + target);
        }
        // Informat's change feed, and each Smartschool platform's register (platform "" for Informat)
        // a poller that has never completed a run counts from this instance's start: it is not running either
        Gauge.builder("bridge.poll.lag.seconds", this, m -> m.read().getOrDefault("lag." + SourceSystem.INFORMAT.label(), m.sinceStart()))
                .description("time since the poller's last successful run (any instance; never: since this instance's start)")
                .tag("system", SourceSystem.INFORMAT.label()).tag("platform", "").register(meters);
        for (be.absencebridge.config.BridgeProperties.Platform p : props.smartschool().platformList()) {
            String key = "lag." + pollKey(SourceSystem.SMARTSCHOOL.label(), p.name());
            Gauge.builder("bridge.poll.lag.seconds", this, m -> m.read().getOrDefault(key, m.sinceStart()))
                    .description("time since the poller's last successful run (any instance; never: since this instance's start)")
                    .tag("system", SourceSystem.SMARTSCHOOL.label()).tag("platform", p.name()).register(meters);
        }
        gauge("bridge.dead.letters.open", "dead letters not replayed", null, null, "deadLetters");
        gauge("bridge.inbox.unprocessed", "events received and not processed yet", null, null, "inbox");
        gauge("bridge.waiting.pupil", "records waiting for a pupil a package does not know yet (decided when a directory "
                + "read knows the pupil, parked after bridge.exchange.unknown-pupil-wait)", null, null, "waitingPupil");
        gauge("bridge.waiting.pupil.oldest.age.seconds", "how long the oldest record waiting for a pupil has waited", null, null,
                "waitingPupilAge");
        gauge("bridge.backfill.running", "backfills running", null, null, "backfills");
        gauge("bridge.backfill.days.remaining", "instruction days the running backfills still have to go through",
                null, null, "backfillDays");
        gauge("bridge.backfill.failed", "backfills that ended FAILED in the last 24 hours", null, null, "backfillsFailed");
        gauge("bridge.reconciliation.drift.half.days", "half-days the reconciliations and resyncs of the last 24 hours found "
                + "different in the two registers (to write or to review)", null, null, "drift");
        gauge("bridge.reconciliation.waiting.approval", "reconciliations waiting for a person's approval (the guard)", null, null,
                "waitingApproval");
        gauge("bridge.reconciliation.failed", "reconciliations that ended FAILED in the last 24 hours", null, null,
                "reconciliationsFailed");
        // the retention's last run that ended DONE (any instance); none yet: since this instance's start, as a poller
        Gauge.builder("bridge.retention.last.done.age.seconds", this, m -> m.read().getOrDefault("retentionAge", m.sinceStart()))
                .description("time since the retention's last run that ended DONE (any instance; none yet: since this instance's start)")
                .register(meters);
        // counters a rule watches from zero on: present before their first failure, so that increase() sees the first
        meters.counter("bridge.poll.failures", "system", SourceSystem.INFORMAT.label(), "platform", "");
        for (be.absencebridge.config.BridgeProperties.Platform p : props.smartschool().platformList()) {
            meters.counter("bridge.poll.failures", "system", SourceSystem.SMARTSCHOOL.label(), "platform", p.name());
        }

    }

    private void gauge(String name, String description, String tag, String value, String key) {
        ToDoubleFunction<BridgeMetrics> f = m -> m.read().getOrDefault(key, 0.0);
        Gauge.Builder<BridgeMetrics> b = Gauge.builder(name, this, f).description(description);
        if (tag != null) {
            b.tag(tag, value);
        }
        b.register(meters);
    }

    private final long startedAt = System.nanoTime();

    private double sinceStart() {
        return (System.nanoTime() - startedAt) / 1e9;
    }

    private Map<String, Double> read() {
        long now = System.nanoTime();
        if (now - snapshotAt < SNAPSHOT_NANOS && !snapshot.isEmpty()) {
            return snapshot;
        }
        Map<String, Double> s = new HashMap<>();
        MapSqlParameterSource none = new MapSqlParameterSource();
        jdbc.query("""
                SELECT target, count(*) AS n, coalesce(extract(epoch FROM now() - min(created_at)), 0) AS age
                FROM outbox WHERE state = 'PENDING' GROUP BY target""", none, rs -> {
            s.put("pending." + rs.getString("target"), rs.getDouble("n"));
            s.put("age." + rs.getString("target"), rs.getDouble("age"));
        });
        jdbc.query("SELECT system, extract(epoch FROM now() - succeeded_at) AS lag FROM poll_run WHERE succeeded_at IS NOT NULL",
                none, rs -> {
                    s.put("lag." + rs.getString("system"), rs.getDouble("lag"));
                });
        jdbc.query("""
                SELECT (SELECT count(*) FROM dead_letter WHERE replayed_at IS NULL) AS dead,
                       (SELECT count(*) FROM inbox WHERE processed_at IS NULL) AS inbox,
                       (SELECT count(*) FROM backfill WHERE state = 'RUNNING') AS backfills,
                       (SELECT coalesce(sum(total - done), 0) FROM backfill WHERE state = 'RUNNING') AS days,
                       (SELECT count(*) FROM backfill WHERE state = 'FAILED' AND updated_at > now() - interval '1 day') AS failed,
                       (SELECT coalesce(sum(c.value::bigint), 0) FROM reconciliation r, jsonb_each_text(r.counts) c
                        WHERE r.created_at > now() - interval '1 day' AND c.key IN ('WRITE_SMARTSCHOOL', 'WRITE_INFORMAT',
                              'WRITE_BOTH', 'COPY_TO_SMARTSCHOOL', 'COPY_TO_INFORMAT', 'REVIEW')) AS drift,
                       (SELECT count(*) FROM reconciliation WHERE state = 'WAITING_APPROVAL') AS waiting,
                       (SELECT count(*) FROM reconciliation WHERE state = 'FAILED' AND updated_at > now() - interval '1 day')
                           AS reconciliations_failed,
                       (SELECT extract(epoch FROM now() - max(updated_at)) FROM retention_run WHERE state = 'DONE') AS retention_age,
                       (SELECT count(*) FROM inbox WHERE processed_at IS NULL AND waiting_since IS NOT NULL) AS pupil,
                       (SELECT coalesce(extract(epoch FROM now() - min(waiting_since)), 0) FROM inbox
                        WHERE processed_at IS NULL AND waiting_since IS NOT NULL) AS pupil_age""", none, rs -> {
            s.put("waitingPupil", rs.getDouble("pupil"));
            s.put("waitingPupilAge", rs.getDouble("pupil_age"));
            s.put("deadLetters", rs.getDouble("dead"));
            s.put("inbox", rs.getDouble("inbox"));
            s.put("backfills", rs.getDouble("backfills"));
            s.put("backfillDays", rs.getDouble("days"));
            s.put("backfillsFailed", rs.getDouble("failed"));
            s.put("drift", rs.getDouble("drift"));
            s.put("waitingApproval", rs.getDouble("waiting"));
            s.put("reconciliationsFailed", rs.getDouble("reconciliations_failed"));
            double retentionAge = rs.getDouble("retention_age");
            if (!rs.wasNull()) {
                s.put("retentionAge", retentionAge);
            }
        });
        snapshot = s;
        snapshotAt = now;
        return s;
    }

    /** The poller's row in {@code poll_run}: the system, and for Smartschool the platform ({@code smartschool/<platform>}). */
    private static String pollKey(String system, String platform) {
        return platform == null || platform.isEmpty() ? system : system + "/" + platform;
    }

    /** A poller's run ended well (called from pollers.camel.yaml); {@code platform} null for Informat. */
    public void pollSucceeded(String system, String platform) {
        jdbc.update("""
                INSERT INTO poll_run (system, succeeded_at) VALUES (:system, now())
                ON CONFLICT (system) DO UPDATE SET succeeded_at = now()""", new MapSqlParameterSource("system", pollKey(system, platform)));
    }

    /** A poller's run failed; the next scheduled run tries again. */
    public void pollFailed(String system, String platform) {
        jdbc.update("""
                INSERT INTO poll_run (system, failed_at) VALUES (:system, now())
                ON CONFLICT (system) DO UPDATE SET failed_at = now()""", new MapSqlParameterSource("system", pollKey(system, platform)));
        meters.counter("bridge.poll.failures", "system", system, "platform", platform == null ? "" : platform).increment();
    }

    /**
     * One delivery attempt to a vendor, from the claim of the outbox row to its outcome: {@code delivered},
     * {@code refused} (dead-lettered) or a retryable failure by kind ({@code throttled}, {@code unavailable},
     * {@code timeout}, {@code circuit-open}, ...).
     */
    public void delivery(long claimedAtNanos, SourceSystem target, String platform, String outcome) {
        deliveryTimers.computeIfAbsent(target.name() + "|" + platform + "|" + outcome, k -> Timer.builder("bridge.vendor.deliveries")
                .description("delivery attempts to a vendor, by outcome (and Smartschool platform)")
                .tag("target", target.name()).tag("platform", platform).tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(meters)).record(System.nanoTime() - claimedAtNanos, TimeUnit.NANOSECONDS);
    }
}
