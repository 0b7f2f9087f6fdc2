package be.absencebridge.exchange;

import be.absencebridge.support.BridgeTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.seda.SedaEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The dead-letter event as the product ships (docs/extending.md), on the suite's shared context: the example route is
 * off, so nothing consumes the events and they are dropped at once (not kept, not counted); and a route that does not
 * keep up never holds up the product: what its queue cannot take is dropped and counted.
 */
class DeadLetterEventsTest extends BridgeTest {

    @Autowired
    private Handoff handoff;
    @Autowired
    private MeterRegistry meters;

    private double dropped() {
        return meters.get("bridge.extension.events.dropped").tag("event", "dead-letter").counter().count();
    }

    private SedaEndpoint events() {
        return camel.getEndpoint(Handoff.DEAD_LETTERS, SedaEndpoint.class);
    }

    @Test
    void offByDefaultTheExampleRouteIsNotStartedAndTheProductDeadLettersAsEver() {
        assertThat(((org.apache.camel.model.ModelCamelContext) camel).getRouteDefinition("dead-letter-chat"))
                .as("the example route is loaded").isNotNull();
        assertThat(camel.getRouteController().getRouteStatus("dead-letter-chat")).isNotEqualTo(ServiceStatus.Started);
        double before = dropped();
        JsonNode pupil = student("secundair", true, 46);
        // a code Informat refuses for good (A: non-compulsory kindergarten pupils only)
        assertThat(smartschoolRegister(internalNumberOf(pupil), "2026-11-12", "am", "A", null, null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> decisions(pupil, "2026-11-12").contains("DEAD_LETTERED"));
        // no consumer: the event was dropped at once, neither held in memory nor counted as a drop
        assertThat(events().getConsumers()).isEmpty();
        assertThat(events().getCurrentQueueSize()).isZero();
        assertThat(dropped()).isEqualTo(before);
    }

    @Test
    void aRouteThatDoesNotKeepUpNeverHoldsUpTheProductWhatItsQueueCannotTakeIsDroppedAndCounted() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(Handoff.DEAD_LETTERS).routeId("stuck-extension").process(e -> release.await());
            }
        });
        try {
            // a route added to a running context waits for its start (the supervising route controller)
            if (camel.getRouteController().getRouteStatus("stuck-extension") != ServiceStatus.Started) {
                camel.getRouteController().startRoute("stuck-extension");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> !events().getConsumers().isEmpty());
            double before = dropped();
            // one event taken by the stuck route (or none yet), a thousand held by the queue (seda's bound), the rest
            // dropped: each publication returns at once
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                for (int i = 0; i < 1010; i++) {
                    handoff.deadLetter(new DeadLetterEvent(-1 - i, "DELIVER", "smartschool-to-informat", "990001", "X" + i,
                            LocalDate.parse("2026-11-16"), "AM", "test", null));
                }
            });
            assertThat(dropped() - before).isBetween(9.0, 10.0);
        } finally {
            release.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> events().getCurrentQueueSize() == 0);
            camel.getRouteController().stopRoute("stuck-extension");
            camel.removeRoute("stuck-extension");
        }
    }
}
