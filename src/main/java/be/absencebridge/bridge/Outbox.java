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


    // ---- batches: a vendor's due rows claimed, called and settled together (one claim, one settling transaction) ----

    public static final String BATCH = "bridgeBatch";
    static final String ITEM = "bridgeItem";

    /** One claimed outbox row of a batch and what its delivery came to. */
    public static final class Item {
        final long id;
        final int attempts;
        final Delivery delivery;
        final long claimedAt;
        final DeliveryResult result = new DeliveryResult();
        volatile Exception failure;

        Item(long id, int attempts, Delivery delivery, long claimedAt) {
            this.id = id;
            this.attempts = attempts;
            this.delivery = delivery;
            this.claimedAt = claimedAt;
        }

        public Delivery getDelivery() {
            return delivery;
        }
    }

    /**
     * The rows of one batch (shared by reference, so the results survive the circuit breaker's copy of the
     * exchange), those of them the writer put in its call, and whether the vendor refused that call as a whole.
     */
    public static final class Batch {
        private final List<Item> items;
        private volatile List<Item> sent = List.of();
        private volatile boolean refusedAsWhole;

        Batch(List<Item> items) {
            this.items = items;
        }

        public List<Item> getItems() {
            return items;
        }

        List<Item> sent() {
            return sent;
        }

        void sent(List<Item> sent) {
            this.sent = sent;
        }

        public boolean isCallNeeded() {
            return !sent.isEmpty();
        }

        public boolean isRefusedAsWhole() {
            return refusedAsWhole;
        }

        void markRefusedAsWhole() {
            this.refusedAsWhole = true;
        }
    }

    /**
     * Claims the due rows among the ids in the body (the aggregator's list) with a lease, in one statement; the
     * body becomes the {@link Batch}, or null when none was due (delivered, claimed by another consumer or instance).
     */
    public Batch claimBatch(Exchange exchange) throws Exception {
        List<?> body = exchange.getMessage().getBody(List.class);
        List<Long> ids = body.stream().map(o -> ((Number) o).longValue()).distinct().toList();
        long now = System.nanoTime();
        List<Object[]> rows = ids.isEmpty() ? List.of() : jdbc.query("""
                UPDATE outbox SET locked_until = now() + make_interval(secs => :lease), attempts = attempts + 1
                WHERE id IN (SELECT id FROM outbox WHERE id IN (:ids) AND state = 'PENDING' AND next_attempt_at <= now()
                               AND (locked_until IS NULL OR locked_until < now())
                             ORDER BY id FOR UPDATE SKIP LOCKED)
                RETURNING id, attempts, record::text""", new MapSqlParameterSource("ids", ids).addValue("lease", leaseSeconds),
                (rs, i) -> new Object[] {rs.getLong(1), rs.getInt(2), rs.getString(3)});
        if (rows.isEmpty()) {
            return null;
        }
        List<Item> items = new java.util.ArrayList<>(rows.size());
        for (Object[] r : rows) {
            items.add(new Item((Long) r[0], (Integer) r[1], json.readValue((String) r[2], Delivery.class), now));
        }
        Batch batch = new Batch(items);
        exchange.setProperty(BATCH, batch);
        return batch;
    }

    /** A batch of the one item in the body (a split of a batch): it is sent alone. */
    public void alone(Exchange exchange) {
        exchange.setProperty(BATCH, new Batch(List.of(exchange.getMessage().getBody(Item.class))));
    }

    /** The item in the body (a split of a batch) becomes the exchange's delivery, for a writer of one row per call. */
    public void item(Exchange exchange) {
        Item item = exchange.getMessage().getBody(Item.class);
        exchange.setProperty(ITEM, item);
        exchange.setProperty(DELIVERY, item.delivery);
        exchange.setProperty(RESULT, item.result);
        exchange.setProperty(Inbox.KEY, item.delivery.key());
        exchange.setProperty(Inbox.DIRECTION, item.delivery.direction());
    }

    /** The call for this split item failed in a way another try may fix. */
    public void failed(Exchange exchange) {
        exchange.getProperty(ITEM, Item.class).failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    }

    /** The batch's call failed as a whole in a way another try may fix: every row without an answer waits. */
    public void failedAll(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        for (Item item : exchange.getProperty(BATCH, Batch.class).getItems()) {
            if (item.result.isPending() && item.failure == null) {
                item.failure = e;
            }
        }
    }

    /**
     * Settles a batch in one transaction: delivered rows (saved, unchanged, or the target holds something newer)
     * done with their audit, refused rows in the dead-letter table, the others rescheduled with exponential backoff
     * or the vendor's {@code Retry-After} (or dead-lettered when out of attempts).
     */
    public void settle(Exchange exchange) {
        Batch batch = exchange.getProperty(BATCH, Batch.class);
        List<Item> done = new java.util.ArrayList<>();
        List<Item> refused = new java.util.ArrayList<>();
        List<Item> retry = new java.util.ArrayList<>();
        for (Item item : batch.getItems()) {
            if (item.result.isPending()) {
                retry.add(item);
            } else if (item.result.isRefused()) {
                refused.add(item);
            } else {
                done.add(item);
            }
        }
        List<Item> exhausted = retry.stream().filter(i -> i.attempts >= maxAttempts).toList();
        retry.removeAll(exhausted);
        tx.executeWithoutResult(s -> {
            if (!done.isEmpty()) {
                jdbc.batchUpdate("UPDATE outbox SET state = 'DONE', outcome = :outcome, done_at = now(), locked_until = NULL WHERE id = :id",
                        done.stream().map(i -> new MapSqlParameterSource("id", i.id).addValue("outcome", i.result.getOutcome()))
                                .toArray(MapSqlParameterSource[]::new));
                audit.recordAll(done.stream().map(i -> Audit.row(i.delivery.correlationId(), i.delivery.direction(),
                        i.delivery.institutionNumber(), i.delivery.registrationNumber(), i.delivery.date(), i.delivery.part().name(),
                        i.result.getDecision(), i.delivery.officialCode(), i.delivery.registeredAt(), i.result.getOutcome())).toList());
            }
            if (!retry.isEmpty()) {
                jdbc.batchUpdate("""
                        UPDATE outbox SET next_attempt_at = now() + make_interval(secs => :delay), locked_until = NULL, outcome = :reason
                        WHERE id = :id""", retry.stream().map(i -> new MapSqlParameterSource("id", i.id)
                        .addValue("delay", delay(i.failure, i.attempts)).addValue("reason", reason(i.failure)))
                        .toArray(MapSqlParameterSource[]::new));
            }
            for (Item i : refused) {
                deadLetter(i.id, i.delivery, i.result.getOutcome());
            }
            for (Item i : exhausted) {
                deadLetter(i.id, i.delivery, "gave up after " + i.attempts + " attempts: " + reason(i.failure));
            }
        });
        int delivered = 0;
        int newer = 0;
        for (Item i : done) {
            boolean d = "DELIVERED".equals(i.result.getDecision());
            delivered += d ? 1 : 0;
            newer += d ? 0 : 1;
            metrics.delivery(i.claimedAt, i.delivery.target().name(), d ? "delivered" : "target-newer");
            audit.count(i.result.getDecision(), i.delivery.direction());
            LOG.debug("{} {} {}: {}", i.delivery.direction(), i.delivery.key(), i.result.getAction(), i.result.getOutcome());
        }
        for (Item i : refused) {
            metrics.delivery(i.claimedAt, i.delivery.target().name(), "refused");
        }
        for (Item i : retry) {
            metrics.delivery(i.claimedAt, i.delivery.target().name(), BridgeMetrics.failureKind(i.failure));
            audit.count("RETRY_SCHEDULED", i.delivery.direction());
            LOG.debug("{} {} attempt {} failed ({})", i.delivery.direction(), i.delivery.key(), i.attempts, reason(i.failure));
        }
        for (Item i : exhausted) {
            metrics.delivery(i.claimedAt, i.delivery.target().name(), BridgeMetrics.failureKind(i.failure));
        }
        LOG.info("{}: {} delivered, {} held newer by the target, {} refused, {} to retry", batch.getItems().get(0).delivery.direction(),
                delivered, newer, refused.size() + exhausted.size(), retry.size());
    }

    private double delay(Exception e, int attempts) {
        long retryAfter = e instanceof VendorUnavailableException v ? v.retryAfterSeconds() : -1;
        return retryAfter >= 0 ? retryAfter : Math.min(maxDelaySeconds, baseDelaySeconds * Math.pow(2, Math.min(attempts - 1, 20)));
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
