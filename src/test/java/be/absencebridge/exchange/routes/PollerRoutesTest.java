package be.absencebridge.exchange.routes;

import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.seda.SedaEndpoint;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The pollers (pollers.camel.yaml) and the retention's routes (retention.camel.yaml), run once each by hand (their
 * schedules replaced): what a poll stored is handed to processing id by id, each Smartschool platform is polled as
 * itself, and a full processing queue neither blocks nor fails a poll (what it found waits in the inbox for recovery).
 * Their failures: {@link ErrorHandlingRoutesTest}.
 */
class PollerRoutesTest extends RoutesTestSupport {

    @Test
    void whatInformatsPollStoredIsProcessedIdById() throws Exception {
        when(informatPoller.poll()).thenReturn(List.of(1L, 2L, 3L));
        MockEndpoint processing = getMockEndpoint("mock:seda:process");
        processing.expectedBodiesReceived(1L, 2L, 3L);

        template.sendBody("direct:informat-poller", null);

        processing.assertIsSatisfied();
        verify(bridgeMetrics).pollSucceeded("informat", null);
        verify(bridgeMetrics, never()).pollFailed(anyString(), any());
    }

    @Test
    void eachPlatformsScheduleLeadsToAPollOfThatPlatform() throws Exception {
        when(smartschoolPoller.poll("school2")).thenReturn(List.of(8L));
        MockEndpoint processing = getMockEndpoint("mock:seda:process");
        processing.expectedBodiesReceived(8L);

        template.sendBody("direct:smartschool-poller-school2", null);

        processing.assertIsSatisfied();
        verify(smartschoolPoller).poll("school2");
        verify(smartschoolPoller, never()).poll("school1");
        verify(bridgeMetrics).pollSucceeded("smartschool", "school2");
    }

    @Test
    void pollingSmartschoolPollsEveryPlatformOneAfterTheOther() throws Exception {
        when(smartschoolPoller.poll(anyString())).thenReturn(List.of());

        template.sendBody("direct:poll-smartschool", null);

        InOrder order = inOrder(smartschoolPoller);
        order.verify(smartschoolPoller).poll("school1");
        order.verify(smartschoolPoller).poll("school2");
    }

    @Test
    void aPollThatFindsTheProcessingQueueFullNeitherWaitsNorFails() throws Exception {
        // nothing takes from the queue (bridge.processing.queue-size: 100)
        context.getRouteController().stopRoute("process-record");
        when(informatPoller.poll()).thenReturn(LongStream.rangeClosed(1, 150).boxed().toList());

        Exchange done = template.send("direct:poll-informat", e -> { });

        assertThat(done.getException()).isNull();
        verify(bridgeMetrics).pollSucceeded("informat", null);
        verify(bridgeMetrics, never()).pollFailed(anyString(), any());
        assertThat(context.getEndpoint("seda:process", SedaEndpoint.class).getCurrentQueueSize()).isEqualTo(100);
    }

    @Test
    void aRetentionRunLeftRunningIsRunAgainByItsId() throws Exception {
        MockEndpoint runs = getMockEndpoint("mock:seda:retention");
        runs.expectedBodiesReceived(4L);

        template.sendBody("direct:retention-resume", java.util.Map.of("id", 4L));

        runs.assertIsSatisfied();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> verify(retention).run(4L));
    }

    @Test
    void theNightlyScheduleStartsTheNightlyRun() throws Exception {
        template.sendBody("direct:retention-nightly", null);

        verify(retention).nightly();
    }
}
