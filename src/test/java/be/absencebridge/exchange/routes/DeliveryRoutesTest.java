package be.absencebridge.exchange.routes;

import be.absencebridge.exchange.ExchangeProperties;
import be.absencebridge.exchange.deliver.Batches;
import be.absencebridge.exchange.deliver.DeliveryBatch;
import be.absencebridge.exchange.deliver.DeliveryOutcome;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The delivery templates (delivery.camel.yaml) as instantiated for Informat's lane, Smartschool's platforms' lanes
 * (school1, school2) and the lane of rows on no platform: a lane gathers its rows into a batch, claims, sends and
 * settles it; every vendor call of a lane passes its own circuit breaker, which a failing vendor opens and whose
 * fallback makes the rows wait; a batch Smartschool refuses as a whole goes again one row a call, outside the breaker.
 */
class DeliveryRoutesTest extends RoutesTestSupport {

    /** The ids each claim was given. */
    private final List<List<?>> claimed = Collections.synchronizedList(new ArrayList<>());
    /** The lane's platform (bridgePlatform) each settled batch carried. */
    private final List<Object> settled = Collections.synchronizedList(new ArrayList<>());
    /**
     * For each call the fallback or the error handler marked failed: what it failed with, or "not let through" (a call
     * the open breaker refused: no exception, short-circuited, as Outbox.failed tells them apart).
     */
    private final List<String> failedWith = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void theOutboxClaimsWhatItIsGiven() throws Exception {
        when(outbox.claimBatch(any())).thenAnswer(call -> {
            Exchange e = call.getArgument(0);
            List<?> ids = e.getMessage().getBody(List.class);
            claimed.add(ids);
            DeliveryBatch batch = Batches.of(ids.stream().mapToLong(id -> ((Number) id).longValue()).toArray());
            e.setProperty(ExchangeProperties.BATCH, batch);
            return batch;
        });
        doAnswer(call -> {
            settled.add(((Exchange) call.getArgument(0)).getProperty(ExchangeProperties.PLATFORM));
            return null;
        }).when(outbox).settle(any());
        doAnswer(call -> {
            Exchange e = call.getArgument(0);
            Exception failure = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            boolean shortCircuited = e.getProperty(ExchangePropertyKey.CIRCUIT_BREAKER_RESPONSE_SHORT_CIRCUITED.getName(),
                    false, Boolean.class);
            failedWith.add(failure != null ? failure.getClass().getSimpleName() : shortCircuited ? "not let through" : null);
            return null;
        }).when(outbox).failed(any());
        doAnswer(call -> {
            Exchange e = call.getArgument(0);
            e.setProperty(ExchangeProperties.ITEM, e.getMessage().getBody());
            return null;
        }).when(outbox).item(any());
        doAnswer(call -> {
            Exchange e = call.getArgument(0);
            e.setProperty(ExchangeProperties.BATCH, Batches.of(e.getMessage().getBody(DeliveryBatch.Item.class)));
            return null;
        }).when(outbox).alone(any());
        // the writers: Informat's names its method (a call to make), Smartschool's puts the pending rows in the call to
        // its platform's address
        doAnswer(call -> {
            ((Exchange) call.getArgument(0)).setProperty(ExchangeProperties.METHOD, "POST");
            return null;
        }).when(informatWriter).prepare(any());
        doAnswer(call -> {
            Exchange e = call.getArgument(0);
            DeliveryBatch batch = e.getProperty(ExchangeProperties.BATCH, DeliveryBatch.class);
            batch.sent(batch.getItems().stream().filter(i -> i.result().isPending()).toList());
            e.setProperty("bridgeCallUrl", "http://" + e.getProperty(ExchangeProperties.PLATFORM) + ".smartschool.test/partner/v1/absences");
            return null;
        }).when(smartschoolWriter).prepare(any());
    }

    private MockEndpoint informatApi() {
        return getMockEndpoint(INFORMAT_API);
    }

    private MockEndpoint smartschoolApi(String platform) {
        return getMockEndpoint("mock:http:" + platform + ".smartschool.test/partner/v1/absences");
    }

    private static void answers(Exchange e, int status) {
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
    }

    private ResilienceProcessor breaker(String id) {
        return context.getProcessor(id, ResilienceProcessor.class);
    }

    /** One call through a Smartschool platform's breaker, for a batch of one row, as smartschool-send makes it. */
    private void smartschoolCall(String platform, long row) {
        template.send("direct:smartschool-" + platform + "-guarded", e -> {
            e.setProperty(ExchangeProperties.BATCH, Batches.of(row));
            e.setProperty(ExchangeProperties.PLATFORM, platform);
        });
    }

    @Test
    void informatsLaneClaimsItsRowsAsOneBatchCallsOnceARowAndSettlesTheBatch() throws Exception {
        MockEndpoint api = informatApi();
        api.expectedMessageCount(2);
        api.whenAnyExchangeReceived(e -> answers(e, 201));

        template.sendBody("seda:deliver-informat", 1L);
        template.sendBody("seda:deliver-informat", 2L);

        api.assertIsSatisfied();
        await().atMost(10, TimeUnit.SECONDS).until(() -> settled.size() == 1);
        assertThat(claimed).containsExactly(List.of(1L, 2L));
        assertThat(settled).containsExactly("");
        verify(informatWriter, times(2)).outcome(any());
        assertThat(failedWith).isEmpty();
    }

    @Test
    void aPlatformsLaneSendsItsBatchInOneCallToItsPlatformAndSettlesItWithItsPlatform() throws Exception {
        MockEndpoint school2 = smartschoolApi("school2");
        school2.expectedMessageCount(1);
        school2.whenAnyExchangeReceived(e -> answers(e, 200));

        template.sendBody("seda:deliver-smartschool-school2", 3L);
        template.sendBody("seda:deliver-smartschool-school2", 4L);

        school2.assertIsSatisfied();
        await().atMost(10, TimeUnit.SECONDS).until(() -> settled.size() == 1);
        assertThat(claimed).containsExactly(List.of(3L, 4L));
        assertThat(settled).containsExactly("school2");
        assertThat(smartschoolApi("school1").getReceivedCounter()).isZero();
    }

    @Test
    void rowsNobodyCouldClaimAreNeitherSentNorSettled() throws Exception {
        doAnswer(call -> {
            claimed.add(((Exchange) call.getArgument(0)).getMessage().getBody(List.class));
            return null;
        }).when(outbox).claimBatch(any());
        var done = new org.apache.camel.builder.NotifyBuilder(context).fromRoute("informat-deliver").whenDone(3).create();

        template.sendBody("seda:deliver-informat", 1L);
        template.sendBody("seda:deliver-informat", 2L);

        assertThat(done.matches(10, TimeUnit.SECONDS)).as("the two rows and their batch").isTrue();
        assertThat(claimed).hasSize(1);
        verify(informatWriter, never()).prepare(any());
        verify(outbox, never()).settle(any());
    }

    @Test
    void rowsOnNoConfiguredPlatformAreRefusedWithoutACall() throws Exception {
        template.sendBody("seda:deliver-smartschool", 5L);
        template.sendBody("seda:deliver-smartschool", 6L);

        await().atMost(10, TimeUnit.SECONDS).until(() -> settled.size() == 1);
        verify(smartschoolWriter).onNoPlatform(any());
        verify(smartschoolWriter, never()).prepare(any());
        assertThat(settled).containsExactly("");
    }

    @Test
    void aTokenInformatNoLongerAcceptsIsRenewedAndTheCallMadeOnceMore() throws Exception {
        MockEndpoint api = informatApi();
        api.whenExchangeReceived(1, e -> answers(e, 401));
        api.whenExchangeReceived(2, e -> answers(e, 201));
        List<Integer> outcomes = new ArrayList<>();
        doAnswer(call -> outcomes.add(((Exchange) call.getArgument(0)).getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)))
                .when(informatWriter).outcome(any());

        template.send("direct:informat-call", e -> { });

        assertThat(api.getReceivedCounter()).isEqualTo(2);
        verify(informatWriter).renewToken(any());
        assertThat(outcomes).containsExactly(201);
    }

    @Test
    void anAcceptedTokenIsNotRenewed() throws Exception {
        informatApi().whenAnyExchangeReceived(e -> answers(e, 201));

        template.send("direct:informat-call", e -> { });

        assertThat(informatApi().getReceivedCounter()).isEqualTo(1);
        verify(informatWriter, never()).renewToken(any());
        verify(informatWriter).outcome(any());
    }

    @Test
    void aRowTheWriterRefusesBeforeTheCallIsNotCalledFor() throws Exception {
        doAnswer(call -> null).when(informatWriter).prepare(any());
        doAnswer(call -> null).when(smartschoolWriter).prepare(any());

        template.send("direct:informat-call", e -> { });
        template.send("direct:smartschool-call", e -> {
            e.setProperty(ExchangeProperties.BATCH, Batches.of(7));
            e.setProperty(ExchangeProperties.PLATFORM, "school1");
        });

        assertThat(informatApi().getReceivedCounter()).isZero();
        assertThat(smartschoolApi("school1").getReceivedCounter()).isZero();
        verify(informatWriter, never()).outcome(any());
        verify(smartschoolWriter, never()).outcome(any());
    }

    @Test
    void aFailingVendorOpensItsLanesBreakerAfterwardsTheRowsWaitWithoutACall() throws Exception {
        informatApi().whenAnyExchangeReceived(e -> {
            throw new ConnectException("Connection refused");
        });

        for (int i = 0; i < 6; i++) {
            assertThat(template.send("direct:informat-guarded", e -> { }).getException()).as("the fallback handled it").isNull();
        }

        // bridge.delivery.breaker: 4 calls at least, half of them failed: open
        assertThat(informatApi().getReceivedCounter()).isEqualTo(4);
        assertThat(failedWith).containsExactly("ConnectException", "ConnectException", "ConnectException",
                "ConnectException", "not let through", "not let through");
        assertThat(breaker("informat-breaker").getCircuitBreakerState()).isEqualTo("OPEN");
    }

    @Test
    void halfTheCallsFailingOpensTheBreakerFewerDoNot() throws Exception {
        MockEndpoint api = informatApi();
        // fail, ok, ok, ok: a quarter
        api.whenExchangeReceived(1, e -> {
            throw new IOException("Connection reset");
        });
        api.whenAnyExchangeReceived(e -> answers(e, 201));
        for (int i = 0; i < 4; i++) {
            template.send("direct:informat-guarded", e -> { });
        }
        assertThat(breaker("informat-breaker").getCircuitBreakerState()).isEqualTo("CLOSED");

        // two more failures: three of the six calls (the window holds ten)
        api.whenExchangeReceived(5, e -> {
            throw new IOException("Connection reset");
        });
        api.whenExchangeReceived(6, e -> {
            throw new IOException("Connection reset");
        });
        template.send("direct:informat-guarded", e -> { });
        template.send("direct:informat-guarded", e -> { });
        assertThat(breaker("informat-breaker").getCircuitBreakerState()).isEqualTo("OPEN");
    }

    @Test
    void onePlatformsOpenBreakerHoldsUpNoOtherPlatform() throws Exception {
        smartschoolApi("school1").whenAnyExchangeReceived(e -> {
            throw new IOException("school1 is down");
        });
        smartschoolApi("school2").whenAnyExchangeReceived(e -> answers(e, 200));

        for (int i = 0; i < 5; i++) {
            smartschoolCall("school1", i);
        }
        smartschoolCall("school2", 9);

        assertThat(breaker("smartschool-school1-breaker").getCircuitBreakerState()).isEqualTo("OPEN");
        assertThat(breaker("smartschool-school2-breaker").getCircuitBreakerState()).isEqualTo("CLOSED");
        assertThat(smartschoolApi("school1").getReceivedCounter()).isEqualTo(4);
        assertThat(smartschoolApi("school2").getReceivedCounter()).isEqualTo(1);
        assertThat(failedWith).containsExactly("IOException", "IOException", "IOException", "IOException",
                "not let through");
        verify(smartschoolWriter).outcome(any());
    }

    @Test
    void aBatchRefusedAsAWholeGoesAgainOneRowACallOutsideTheBreaker() throws Exception {
        MockEndpoint api = smartschoolApi("school1");
        api.expectedMessageCount(3);
        api.whenAnyExchangeReceived(e -> answers(e, 200));
        doAnswer(call -> {
            DeliveryBatch batch = ((Exchange) call.getArgument(0)).getProperty(ExchangeProperties.BATCH, DeliveryBatch.class);
            if (batch.getItems().size() > 1) {
                // refused as a whole (one cell Smartschool objects to); and school1's breaker opens meanwhile
                batch.markRefusedAsWhole();
                breaker("smartschool-school1-breaker").transitionToForcedOpenState();
            } else {
                batch.getItems().get(0).result().set(DeliveryOutcome.DELIVERED, "200");
            }
            return null;
        }).when(smartschoolWriter).outcome(any());

        template.sendBody("seda:deliver-smartschool-school1", 1L);
        template.sendBody("seda:deliver-smartschool-school1", 2L);

        api.assertIsSatisfied();
        await().atMost(10, TimeUnit.SECONDS).until(() -> settled.size() == 1);
        verify(outbox, times(2)).alone(any());
        verify(smartschoolWriter, times(3)).outcome(any());
        assertThat(failedWith).isEmpty();
    }
}
