package be.absencebridge.exchange.routes;

import be.absencebridge.domain.AbsenceRecord;
import be.absencebridge.exchange.ExchangeProperties;
import be.absencebridge.exchange.decide.Decisions;
import be.absencebridge.exchange.deliver.Batches;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The error configurations of error-handling.camel.yaml other than the webhooks' (those are in
 * {@link WebhookRoutesTest}), each through a route that opts into it: what is tried again in place and how often, what
 * is handled (the exchange ends without an exception: the database's retries take the work up) and what reaches the
 * caller. There is no dead-letter channel: a record or row is parked in the dead-letter table by the Java beans
 * (Decisions.stop, Outbox.settle), never by an error handler.
 */
class ErrorHandlingRoutesTest extends RoutesTestSupport {

    /** The redelivery counter each try of gate.check saw (0 the first). */
    private final List<Integer> gateTries = new ArrayList<>();

    @BeforeEach
    void storedEventsLoad() throws Exception {
        when(inbox.load(any())).thenAnswer(call -> {
            Exchange e = call.getArgument(0);
            e.setProperty(ExchangeProperties.INBOX_ID, e.getMessage().getBody(Long.class));
            return mock(AbsenceRecord.class);
        });
        when(decisions.candidate(any())).thenReturn(new Decisions.Candidate(null, null, "c", 1L, null));
        when(decisions.decideBatch(any())).thenReturn(new Decisions.Result(List.of(), List.of()));
    }

    /** Hands the stored event to process-record and waits for its turn to end (in-out: back when the route is done). */
    private Exchange process(long inboxId) {
        return template.request("seda:process", e -> e.getMessage().setBody(inboxId));
    }

    private void gateFails(int times) throws IOException {
        doAnswer(call -> {
            Exchange e = call.getArgument(0);
            gateTries.add(e.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class));
            if (gateTries.size() <= times) {
                throw new IOException("Informat's pupils cannot be read");
            }
            return null;
        }).when(gate).check(any());
    }

    // ---- processing-errors (process-record) ----

    @Test
    void aVendorReadThatKeepsFailingIsTriedThreeTimesMoreThenLeftInTheInbox() throws Exception {
        gateFails(Integer.MAX_VALUE);

        Exchange done = process(1);

        assertThat(done.getException()).as("handled: the event waits in the inbox for inbox-recovery").isNull();
        assertThat(gateTries).as("bridge.processing.vendor-retries: 3").containsExactly(0, 1, 2, 3);
        verify(translator, never()).translate(any(Exchange.class));
        verify(decisions, never()).candidate(any());
        verify(decisions, never()).stop(any());
    }

    @Test
    void aVendorReadThatFailsOnceCostsTheRecordOnlyItsRetry() throws Exception {
        gateFails(1);

        process(1);
        process(2);

        assertThat(gateTries).containsExactly(0, 1, 0);
        verify(translator, times(2)).translate(any(Exchange.class));
        verify(decisions, times(2)).candidate(any());
    }

    @Test
    void anyOtherFailureOfAStepIsNotTriedAgainAndLeavesTheEventInTheInbox() throws Exception {
        doThrow(new IllegalStateException("the code table is broken")).when(translator).translate(any(Exchange.class));

        Exchange done = process(1);

        assertThat(done.getException()).isNull();
        verify(translator).translate(any(Exchange.class));
        verify(gate).check(any());
        verify(decisions, never()).candidate(any());
        verify(decisions, never()).stop(any());
    }

    // ---- background-errors ----

    @Test
    void aFailedBackgroundRunIsHandledAndTheNextOneTakesItUp() throws Exception {
        when(directories.check()).thenThrow(new IllegalStateException("a directory read failed"));
        assertThat(template.send("direct:directories", e -> { }).getException()).isNull();
        verify(inbox, never()).releaseWaiting();

        doThrow(new IllegalStateException("the database is gone")).when(retention).run(3L);
        assertThat(template.request("seda:retention", e -> e.getMessage().setBody(3L)).getException()).isNull();
        verify(retention).run(3L);
    }

    // ---- delivery-call-errors and vendor-call (delivery.camel.yaml) ----

    @Test
    void aVendorCallHasNoErrorHandlerOfItsOwnItsCallerDecides() throws Exception {
        doThrow(new IOException("Informat's token cannot be had")).when(informatWriter).prepare(any());

        Exchange direct = template.send("direct:informat-call", e -> { });

        assertThat(direct.getException()).as("propagated to the caller, not tried again").isInstanceOf(IOException.class);
        verify(informatWriter).prepare(any());
        verify(outbox, never()).failed(any());

        // its caller, the lane's guarded call: the rows wait (the breaker's fallback)
        Exchange guarded = template.send("direct:informat-guarded", e -> { });
        assertThat(guarded.getException()).isNull();
        verify(outbox).failed(any());
    }

    @Test
    void aSendThatFailsOutsideTheBreakerMakesItsRowsWaitAndTheBatchIsStillSettled() throws Exception {
        when(outbox.claimBatch(any())).thenAnswer(call -> {
            ((Exchange) call.getArgument(0)).setProperty(ExchangeProperties.BATCH, Batches.of(1, 2));
            return ((Exchange) call.getArgument(0)).getProperty(ExchangeProperties.BATCH);
        });
        doThrow(new IllegalStateException("a row that cannot be read")).when(outbox).item(any());

        template.sendBody("seda:deliver-informat", 1L);
        template.sendBody("seda:deliver-informat", 2L);

        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> verify(outbox).settle(any()));
        var order = inOrder(outbox);
        order.verify(outbox, times(2)).failed(any());
        order.verify(outbox).settle(any());
        verify(informatWriter, never()).prepare(any());
    }

    // ---- polling-errors (pollers.camel.yaml) ----

    @Test
    void aFailedPollIsCountedAndNothingOfItIsProcessed() throws Exception {
        when(informatPoller.poll()).thenThrow(new IOException("Informat's feed answered 503"));

        Exchange done = template.send("direct:informat-poller", e -> { });

        assertThat(done.getException()).isNull();
        verify(bridgeMetrics).pollFailed("informat", null);
        verify(bridgeMetrics, never()).pollSucceeded(anyString(), any());
        assertThat(getMockEndpoint("mock:seda:process").getReceivedCounter()).isZero();
    }

    @Test
    void onePlatformsFailedPollDoesNotStopTheNextPlatformsPoll() throws Exception {
        when(smartschoolPoller.poll("school1")).thenThrow(new IOException("school1's register answered 500"));
        when(smartschoolPoller.poll("school2")).thenReturn(List.of(5L, 6L));
        MockEndpoint processing = getMockEndpoint("mock:seda:process");
        processing.expectedBodiesReceived(5L, 6L);

        template.sendBody("direct:poll-smartschool", null);

        processing.assertIsSatisfied();
        verify(bridgeMetrics).pollFailed("smartschool", "school1");
        verify(bridgeMetrics).pollSucceeded("smartschool", "school2");
        verify(bridgeMetrics, never()).pollSucceeded(eq("smartschool"), eq("school1"));
        verify(bridgeMetrics, never()).pollFailed(eq("smartschool"), eq("school2"));
    }

    @Test
    void aDecisionBatchThatFailsIsHandledItsRecordsWaitInTheInbox() throws Exception {
        when(decisions.decideBatch(any())).thenThrow(new IllegalStateException("the database refused the batch"));
        // the two records and their batch, none of them failed
        NotifyBuilder decided = new NotifyBuilder(context).fromRoute("process-record").whenCompleted(3).create();

        process(1);
        process(2);

        assertThat(decided.matches(10, TimeUnit.SECONDS)).isTrue();
        verify(decisions).decideBatch(any());
        assertThat(getMockEndpoint("mock:seda:deliver-informat").getReceivedCounter()).isZero();
    }
}
