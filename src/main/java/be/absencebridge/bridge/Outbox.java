package be.absencebridge.bridge;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Map;

/**
 * Step 6's bookkeeping: an outbox row is claimed with a lease before its vendor call (so two instances
 * never deliver it both), then marked done, rescheduled with exponential backoff (or the vendor's
 * {@code Retry-After}), or moved to the dead-letter table when the vendor refused it for good.
 * Waiting happens in the database, never in memory: a restart loses no retry.
 */
@Component("outbox")
public class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    public static final String DELIVERY = "bridgeDelivery";
    public static final String OUTBOX_ID = "bridgeOutboxId";
    public static final String RESULT = "bridgeResult";
    static final String ATTEMPTS = "bridgeAttempts";

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Audit audit;
    private final ObjectMapper json;
    private final BridgeMetrics metrics;
    private final int leaseSeconds;
    private final double baseDelaySeconds;
    private final long maxDelaySeconds;
    private final int maxAttempts;

    public Outbox(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, Audit audit, ObjectMapper json, BridgeMetrics metrics,
                  @Value("${bridge.delivery.lease-seconds:60}") int leaseSeconds,
                  @Value("${bridge.delivery.retry-base-delay-ms:500}") long baseDelayMs,
                  @Value("${bridge.delivery.retry-max-delay-seconds:300}") long maxDelaySeconds,
                  @Value("${bridge.delivery.max-attempts:100}") int maxAttempts) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.audit = audit;
        this.json = json;
        this.metrics = metrics;
        this.leaseSeconds = leaseSeconds;
        this.baseDelaySeconds = baseDelayMs / 1000.0;
        this.maxDelaySeconds = maxDelaySeconds;
        this.maxAttempts = maxAttempts;
    }

    /** Claims a due row for delivery; the body becomes its {@link Delivery}, or null when someone else has it. */
    public Delivery claim(Exchange exchange) throws Exception {
        long id = exchange.getMessage().getBody(Long.class);
        exchange.setProperty(OUTBOX_ID, id);
        List<Object[]> rows = jdbc.query("""
                UPDATE outbox SET locked_until = now() + make_interval(secs => :lease), attempts = attempts + 1
                WHERE id = :id AND state = 'PENDING' AND next_attempt_at <= now()
                  AND (locked_until IS NULL OR locked_until < now())
                RETURNING attempts, record::text""", new MapSqlParameterSource("id", id).addValue("lease", leaseSeconds),
                (rs, i) -> new Object[] {rs.getInt(1), rs.getString(2)});
        if (rows.isEmpty()) {
            return null;
        }
        exchange.setProperty(BridgeMetrics.CLAIMED_AT, System.nanoTime());
        exchange.setProperty(ATTEMPTS, rows.get(0)[0]);
        Delivery d = json.readValue((String) rows.get(0)[1], Delivery.class);
        exchange.setProperty(DELIVERY, d);
        exchange.setProperty(RESULT, new DeliveryResult());
        exchange.setProperty(Inbox.KEY, d.key());
        exchange.setProperty(Inbox.DIRECTION, d.direction());
        return d;
    }

    /** The vendor took it (saved or unchanged), or answered that it holds something newer. */
    public void done(Exchange exchange) {
        long id = exchange.getProperty(OUTBOX_ID, Long.class);
        Delivery d = exchange.getProperty(DELIVERY, Delivery.class);
        DeliveryResult result = exchange.getProperty(RESULT, DeliveryResult.class);
        String decision = result.getDecision();
        String outcome = result.getOutcome();
        if (decision == null) {
            throw new IllegalStateException("the vendor call left no outcome");
        }
        tx.executeWithoutResult(s -> {
            jdbc.update("UPDATE outbox SET state = 'DONE', outcome = :outcome, done_at = now(), locked_until = NULL WHERE id = :id",
                    new MapSqlParameterSource("id", id).addValue("outcome", outcome));
            audit.record(d.correlationId(), d.direction(), d.institutionNumber(), d.registrationNumber(), d.date(),
                    d.part().name(), decision, d.officialCode(), d.registeredAt(), outcome);
        });
        metrics.delivery(exchange, d.target().name(), "DELIVERED".equals(decision) ? "delivered" : "target-newer");
    }

    /** A failure another try may fix: the row waits, with exponential backoff or the vendor's Retry-After. */
    public void retryLater(Exchange exchange) {
        long id = exchange.getProperty(OUTBOX_ID, Long.class);
        Delivery d = exchange.getProperty(DELIVERY, Delivery.class);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        int attempts = exchange.getProperty(ATTEMPTS, Integer.class);
        String reason = reason(e);
        metrics.delivery(exchange, d.target().name(), BridgeMetrics.failureKind(e));
        if (attempts >= maxAttempts) {
            deadLetter(id, d, "gave up after " + attempts + " attempts: " + reason);
            return;
        }
        long retryAfter = e instanceof VendorUnavailableException v ? v.retryAfterSeconds() : -1;
        double delay = retryAfter >= 0 ? retryAfter
                : Math.min(maxDelaySeconds, baseDelaySeconds * Math.pow(2, Math.min(attempts - 1, 20)));
        jdbc.update("""
                UPDATE outbox SET next_attempt_at = now() + make_interval(secs => :delay), locked_until = NULL, outcome = :reason
                WHERE id = :id""", new MapSqlParameterSource("id", id).addValue("delay", delay).addValue("reason", reason));
        audit.count("RETRY_SCHEDULED", d.direction());
        LOG.debug("{} {} attempt {} failed ({}), next in {}s", d.direction(), d.key(), attempts, reason, delay);
    }

    /** A refusal no retry can fix: the record waits in the dead-letter table with the vendor's reason. */
    public void refused(Exchange exchange) {
        long id = exchange.getProperty(OUTBOX_ID, Long.class);
        Delivery d = exchange.getProperty(DELIVERY, Delivery.class);
        metrics.delivery(exchange, d.target().name(), "refused");
        deadLetter(id, d, exchange.getProperty(RESULT, DeliveryResult.class).getOutcome());
    }

    private void deadLetter(long id, Delivery d, String reason) {
        tx.executeWithoutResult(s -> {
            jdbc.update("UPDATE outbox SET state = 'DEAD', outcome = :reason, done_at = now(), locked_until = NULL WHERE id = :id",
                    new MapSqlParameterSource("id", id).addValue("reason", reason));
            jdbc.update("""
                    INSERT INTO dead_letter (stage, direction, institution_number, registration_number, date, part, reason, outbox_id)
                    VALUES ('DELIVER', :direction, :inst, :reg, :date, :part, :reason, :outbox)""", new MapSqlParameterSource()
                    .addValue("direction", d.direction()).addValue("inst", d.institutionNumber())
                    .addValue("reg", d.registrationNumber()).addValue("date", d.date()).addValue("part", d.part().name())
                    .addValue("reason", reason).addValue("outbox", id));
            audit.record(d.correlationId(), d.direction(), d.institutionNumber(), d.registrationNumber(), d.date(),
                    d.part().name(), "DEAD_LETTERED", d.officialCode(), d.registeredAt(), reason);
        });
        LOG.warn("{} {} dead-lettered: {}", d.direction(), d.key(), reason);
    }

    /** Rows due for delivery (new, or waiting for a retry whose time has come). */
    public List<Map<String, Object>> due(int limit) {
        return jdbc.queryForList("""
                SELECT id, lower(target) AS target FROM outbox
                WHERE state = 'PENDING' AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
                ORDER BY id LIMIT :limit""", new MapSqlParameterSource("limit", limit));
    }

    private static String reason(Exception e) {
        if (e == null) {
            return "unknown";
        }
        if (e instanceof VendorUnavailableException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse(""));
    }
}
