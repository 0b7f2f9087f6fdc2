package be.absencebridge.exchange.routes;

import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.verify;

/**
 * The job templates (jobs.camel.yaml): every kind of run over many days made from the same four routes. A run is taken
 * from its queue by its runner; a runner that throws leaves the queue working for the next run (background-errors: the
 * resume takes the failed one up again); the resume hands the ids of runs left running to the queue; the settle timer
 * and the nightly schedule call their owner.
 */
class JobRoutesTest extends RoutesTestSupport {

    @Test
    void eachKindsQueueIsTakenByItsOwnRunner() {
        template.sendBody("seda:backfill", 11L);
        template.sendBody("seda:reconcile", 12L);
        template.sendBody("seda:retention", 13L);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            verify(backfillJob).run(11L);
            verify(reconciliationJob).run(12L);
            verify(retention).run(13L);
        });
    }

    @Test
    void aRunnerThatThrowsIsHandledAndTheQueueGoesOn() {
        doThrow(new IllegalStateException("the database is gone")).when(backfillJob).run(21L);
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("backfill-run").whenCompleted(2).create();

        template.sendBody("seda:backfill", 21L);
        template.sendBody("seda:backfill", 22L);

        assertThat(done.matches(10, TimeUnit.SECONDS)).as("both runs completed by backfill-run, the failed one handled").isTrue();
        verify(backfillJob).run(21L);
        verify(backfillJob).run(22L);
    }

    @Test
    void runsLeftRunningAreHandedToTheirQueueByTheirIds() throws Exception {
        MockEndpoint backfill = getMockEndpoint("mock:seda:backfill");
        MockEndpoint reconcile = getMockEndpoint("mock:seda:reconcile");
        backfill.expectedBodiesReceived(31L);
        reconcile.expectedBodiesReceived(32L);

        template.sendBody("direct:backfill-resume", Map.of("id", 31L));
        template.sendBody("direct:reconciliation-resume", Map.of("id", 32L));

        MockEndpoint.assertIsSatisfied(backfill, reconcile);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            verify(backfillJob).run(31L);
            verify(reconciliationJob).run(32L);
        });
    }

    @Test
    void theSettleTimersAndTheNightlyScheduleCallTheirOwners() throws Exception {
        template.sendBody("direct:backfill-delivered", null);
        template.sendBody("direct:reconciliation-delivered", null);
        template.sendBody("direct:reconciliation-nightly", null);

        verify(backfills).settleDelivered();
        verify(reconciliations).settleDelivered();
        verify(reconciliations).nightly();
    }
}
