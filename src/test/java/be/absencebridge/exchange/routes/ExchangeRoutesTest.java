package be.absencebridge.exchange.routes;

import be.absencebridge.domain.AbsenceRecord;
import be.absencebridge.domain.Decision;
import be.absencebridge.exchange.ExchangeProperties;
import be.absencebridge.exchange.decide.Decisions;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/**
 * The exchange's routes (exchange.camel.yaml): what process-record does with a stored event as its steps answer (the
 * {@code bridgeStop} switch the gate and the translation set makes it skip the rest, record why and stop), how the
 * records that go on are decided together and their outbox rows handed to their lanes (deliver-handoff), and the
 * safety nets and background checks that feed them.
 */
class ExchangeRoutesTest extends RoutesTestSupport {

    /** The bodies inbox.load was given, in order. */
    private final List<Object> loaded = new ArrayList<>();

    @BeforeEach
    void aStoredEventLoadsAsARecord() throws Exception {
        when(inbox.load(any())).thenAnswer(call -> {
            Exchange e = call.getArgument(0);
            loaded.add(e.getMessage().getBody());
            e.setProperty(ExchangeProperties.INBOX_ID, e.getMessage().getBody(Long.class));
            return mock(AbsenceRecord.class);
        });
        when(decisions.candidate(any())).thenAnswer(call -> new Decisions.Candidate(null, null, "c",
                ((Exchange) call.getArgument(0)).getProperty(ExchangeProperties.INBOX_ID, Long.class), null));
        // Decisions.stop records the stop and says what the audit recorded
        doAnswer(call -> {
            Exchange e = call.getArgument(0);
            e.setProperty(ExchangeProperties.DECISION, e.getProperty(ExchangeProperties.STOP));
            return null;
        }).when(decisions).stop(any());
        // a row's lane: its target's (Informat's, or a Smartschool platform's as the row names it)
        doAnswer(call -> {
            Exchange e = call.getArgument(0);
            Map<?, ?> row = e.getMessage().getBody(Map.class);
            e.setProperty("bridgeTarget", row.get("target"));
            e.getMessage().setBody(row.get("id"));
            return null;
        }).when(smartschoolWriter).toLane(any());
    }

    private static void stops(Exchange e, Decision decision) {
        e.setProperty(ExchangeProperties.STOP, decision);
        e.setProperty(ExchangeProperties.REASON, "a test's reason");
    }

    /** Processes the stored event with this inbox id, as a push, a poll or the recovery hands it over; back once its turn is done. */
    private void process(long inboxId) {
        template.requestBody("seda:process", inboxId);
    }

    @Test
    void anEventProcessedAlreadyGoesNoFurther() throws Exception {
        org.mockito.Mockito.doReturn(null).when(inbox).load(any());

        process(1);

        verify(inbox).load(any());
        verifyNoInteractions(gate, translator, decisions);
    }

    @Test
    void aRecordTheGateStopsIsRecordedWithItsReasonAndNeitherTranslatedNorDecided() throws Exception {
        doAnswer(call -> {
            stops(call.getArgument(0), Decision.NOT_ACTIVE);
            return null;
        }).when(gate).check(any());
        ArgumentCaptor<Exchange> stopped = ArgumentCaptor.forClass(Exchange.class);

        process(1);

        verify(decisions).stop(stopped.capture());
        assertThat(stopped.getValue().getProperty(ExchangeProperties.REASON)).isEqualTo("a test's reason");
        verify(translator, never()).translate(any(Exchange.class));
        verify(decisions, never()).candidate(any());
    }

    @Test
    void aRecordTheTranslationStopsIsParkedAndNotDecided() throws Exception {
        doAnswer(call -> {
            stops(call.getArgument(0), Decision.PARKED_UNMAPPED);
            return null;
        }).when(translator).translate(any(Exchange.class));

        process(1);

        verify(gate).check(any());
        verify(decisions).stop(any());
        verify(decisions, never()).candidate(any());
    }

    @Test
    void recordsThatGoOnAreDecidedTogetherAndTheirRowsHandedToTheirLanes() throws Exception {
        when(decisions.decideBatch(any())).thenReturn(new Decisions.Result(List.of(),
                List.of(row(11, "informat"), row(12, "smartschool-school1"))));
        MockEndpoint informat = getMockEndpoint("mock:seda:deliver-informat");
        informat.expectedBodiesReceived(11L);
        MockEndpoint school1 = getMockEndpoint("mock:seda:deliver-smartschool-school1");
        school1.expectedBodiesReceived(12L);

        process(1);
        process(2);

        MockEndpoint.assertIsSatisfied(informat, school1);
        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<Decisions.Candidate>> batch = ArgumentCaptor.forClass(List.class);
        verify(decisions).decideBatch(batch.capture());
        assertThat(batch.getValue()).extracting(Decisions.Candidate::inboxId).containsExactlyInAnyOrder(1L, 2L);
        verify(decisions, never()).stop(any());
    }

    @Test
    void aRowWhoseLaneCannotBeToldHoldsUpNoOtherRowOfItsHandOff() throws Exception {
        doAnswer(call -> {
            Exchange e = call.getArgument(0);
            Map<?, ?> row = e.getMessage().getBody(Map.class);
            if (row.get("id").equals(12L)) {
                throw new java.io.IOException("Smartschool's accounts cannot be read");
            }
            e.setProperty("bridgeTarget", row.get("target"));
            e.getMessage().setBody(row.get("id"));
            return null;
        }).when(smartschoolWriter).toLane(any());
        MockEndpoint informat = getMockEndpoint("mock:seda:deliver-informat");
        informat.expectedBodiesReceived(11L, 13L);

        Exchange handed = template.send("direct:deliver", e -> e.getMessage().setBody(
                List.of(row(11, "informat"), row(12, "smartschool-school1"), row(13, "informat"))));

        informat.assertIsSatisfied();
        assertThat(handed.getException()).as("handled: the outbox poller hands the row again").isNull();
        assertThat(getMockEndpoint("mock:seda:deliver-smartschool-school1").getReceivedCounter()).isZero();
    }

    @Test
    void theOutboxPollersPageOfDueRowsGoesToTheirLanes() throws Exception {
        MockEndpoint informat = getMockEndpoint("mock:seda:deliver-informat");
        informat.expectedBodiesReceived(21L);
        MockEndpoint noPlatform = getMockEndpoint("mock:seda:deliver-smartschool");
        noPlatform.expectedBodiesReceived(22L);

        template.sendBody("direct:outbox-poller", List.of(row(21, "informat"), row(22, "smartschool")));

        MockEndpoint.assertIsSatisfied(informat, noPlatform);
    }

    @Test
    void anEventTheRecoveryFindsIsProcessedAgainByItsInboxId() throws Exception {
        doAnswer(call -> {
            loaded.add(((Exchange) call.getArgument(0)).getMessage().getBody());
            return null;
        }).when(inbox).load(any());
        NotifyBuilder processed = new NotifyBuilder(context).fromRoute("process-record").whenDone(1).create();

        template.sendBody("direct:inbox-recovery", Map.of("id", 42L));

        assertThat(processed.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(loaded).containsExactly(42L);
    }

    @Test
    void recordsWaitingForAPupilAreTriedAgainOnlyAfterADirectoryRead() throws Exception {
        when(directories.check()).thenReturn(false);
        template.sendBody("direct:directories", null);
        verify(inbox, never()).releaseWaiting();

        when(directories.check()).thenReturn(true);
        template.sendBody("direct:directories", null);
        verify(inbox).releaseWaiting();
    }
}
