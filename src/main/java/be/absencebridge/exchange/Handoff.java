package be.absencebridge.exchange;

import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

/**
 * Where Java hands work to the routes (a route calls Java, not the other way round, except here): one named endpoint
 * per flow, each consumed by a route of {@code routes/}. A hand-off happens after the commit that makes its rows
 * durable; one that is lost (a crash, a full queue) is picked up by the route's safety net (inbox-recovery,
 * outbox-poller, backfill-resume).
 */
@Component("handoff")
public class Handoff {

    /** Stored events to process (exchange.camel.yaml, process-record); the body is an inbox id. */
    public static final String PROCESS = "seda:process";
    /** Outbox rows to deliver (exchange.camel.yaml, deliver-handoff); the body is a list of rows (id, target). */
    public static final String DELIVER = "direct:deliver";
    /** A backfill to run or continue (jobs.camel.yaml, backfill-run); the body is its id. */
    public static final String BACKFILL = "seda:backfill";

    /** A reconciliation or resync to run or continue (jobs.camel.yaml, reconciliation-run); the body is its id. */
    public static final String RECONCILE = "seda:reconcile";

    /** A retention run to run (jobs.camel.yaml, retention-run); the body is its id. */
    public static final String RETENTION = "seda:retention";

    private final ProducerTemplate producer;

    public Handoff(ProducerTemplate producer) {
        this.producer = producer;
    }

    public void process(long inboxId) {
        producer.sendBody(PROCESS + "?waitForTaskToComplete=Never", inboxId);
    }

    /** Blocks while the delivery queues are full: the caller (a backfill) goes no faster than delivery. */
    public void deliver(List<Map<String, Object>> outboxRows) {
        if (!outboxRows.isEmpty()) {
            producer.sendBody(DELIVER, outboxRows);
        }
    }

    public void reconcile(long id) {
        producer.sendBody(RECONCILE + "?waitForTaskToComplete=Never", id);
    }

    public void retention(long id) {
        producer.sendBody(RETENTION + "?waitForTaskToComplete=Never", id);
    }

    public void backfill(long id) {
        producer.sendBody(BACKFILL + "?waitForTaskToComplete=Never", id);
    }
}
