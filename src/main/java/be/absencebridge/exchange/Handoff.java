package be.absencebridge.exchange;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where Java hands work to the routes (a route calls Java, not the other way round, except here): one named endpoint
 * per flow, each consumed by a route of {@code routes/}. A hand-off happens after the commit that makes its rows
 * durable; one that is lost (a crash, a full queue) is picked up by the route's safety net (inbox-recovery,
 * outbox-poller, backfill-resume).
 *
 * <p>And the one event the product publishes for routes of the integration team's own ({@link #DEAD_LETTERS},
 * docs/extending.md): nothing of the product consumes it, and nothing of the product waits for it.
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

    /**
     * A dead letter recorded, published after its transaction committed, for routes of the integration team
     * (docs/extending.md; routes/dead-letter-chat.camel.yaml is the example). The body is a {@link DeadLetterEvent}'s
     * {@link DeadLetterEvent#fields() fields}: no name, no free text. A route consumes it as {@code seda:bridge-dead-letters}
     * (no {@code size}: the queue keeps seda's default bound of 1000 events).
     */
    public static final String DEAD_LETTERS = "seda:bridge-dead-letters";

    /**
     * How the product publishes: dropped at once when no route consumes (none started: the example is off by default),
     * never blocking when the queue is full (a consumer that is slow or stuck: the event is dropped and counted), and
     * never waiting for the consumer.
     */
    private static final String DEAD_LETTERS_PUBLISH = DEAD_LETTERS
            + "?discardIfNoConsumers=true&blockWhenFull=false&waitForTaskToComplete=Never";

    private final ProducerTemplate producer;
    private final Counter deadLettersDropped;
    private final AtomicBoolean droppedOnce = new AtomicBoolean();

    public Handoff(ProducerTemplate producer, MeterRegistry meters) {
        this.producer = producer;
        this.deadLettersDropped = Counter.builder("bridge.extension.events.dropped")
                .description("events for the integration team's routes dropped because their queue was full (a consumer "
                        + "too slow or stuck), or because publishing failed")
                .tag("event", "dead-letter").register(meters);
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

    /**
     * Publishes a dead letter's event to the routes that listen ({@link #DEAD_LETTERS}); call it after the commit that
     * recorded the dead letter. Never blocks and never throws: a full queue or any failure drops the event, counted in
     * {@code bridge_extension_events_dropped_total} and logged the first time.
     */
    public void deadLetter(DeadLetterEvent event) {
        try {
            producer.sendBody(DEAD_LETTERS_PUBLISH, event.fields());
        } catch (RuntimeException e) {
            deadLettersDropped.increment();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (droppedOnce.compareAndSet(false, true)) {
                LOG.warn("dead letter {}: its event for the integration team's routes was dropped ({}: {}); later drops are "
                        + "counted in bridge_extension_events_dropped_total, not logged", event.deadLetterId(),
                        cause.getClass().getSimpleName(), cause.getMessage());
            } else {
                LOG.debug("dead letter {}: its event was dropped ({})", event.deadLetterId(), cause.getClass().getSimpleName());
            }
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Handoff.class);
}
