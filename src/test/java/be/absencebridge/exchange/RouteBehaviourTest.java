package be.absencebridge.exchange;

import be.absencebridge.support.BridgeTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The routes' own behaviour, followed by route id with NotifyBuilder: where a record ends, and what the delivery
 * template does when its vendor fails (the guarded call's fallback, which replaced the delivery routes' doTry/doCatch).
 * On the suite's one shared context: {@code @CamelSpringBootTest} only adds Camel's test listener to it.
 */
@CamelSpringBootTest
class RouteBehaviourTest extends BridgeTest {

    @Test
    void aRecordTheGateStopsEndsInProcessRecordAndIsNeverHandedToDelivery() {
        JsonNode s = student("lager", true, 5);
        http.putJson("/sim/informat/admin/settings", Map.of("locationIdDiscimus", s.path("locationIdDiscimus").asInt(),
                "exchangeAbsences", false));
        String key = s.path("instituteNo").asText() + "/" + s.path("studentNo").asText() + " 2026-11-25 AM";
        NotifyBuilder processed = new NotifyBuilder(camel).fromRoute("process-record")
                .filter(e -> key.equals(e.getProperty(ExchangeProperties.KEY))).whenCompleted(1).create();

        // the shared context keeps what earlier tests decided: only what this push adds counts
        int decidedBefore = decisions(s, "2026-11-25").size();
        String outbox = "SELECT count(*) FROM outbox WHERE registration_number = ? AND date = '2026-11-25'";
        long outboxBefore = jdbc.queryForObject(outbox, Long.class, s.path("studentNo").asText());

        smartschoolRegister(internalNumberOf(s), "2026-11-25", "am", "B", null, null);

        assertThat(processed.matches(30, TimeUnit.SECONDS)).as("process-record completed the push").isTrue();
        List<String> decided = decisions(s, "2026-11-25");
        assertThat(decided.subList(decidedBefore, decided.size())).containsExactly("NOT_ACTIVE");
        assertThat(jdbc.queryForObject(outbox, Long.class, s.path("studentNo").asText())).as("nothing to deliver")
                .isEqualTo(outboxBefore);
    }

    @Test
    void aFailingVendorCallMakesTheRowsWaitInTheOutboxAndNothingIsDeadLettered() {
        JsonNode s = student("secundair", true, 5);
        // a first code delivered: the bridge's copies of both packages' switches and pupils are of this seed (with
        // Informat down it keeps using the copies it has)
        smartschoolRegister(internalNumberOf(s), "2026-11-23", "pm", "B", null, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> informatCell(s.path("personId").asText(), "2026-11-23", "NM") != null);
        http.postJson("/sim/informat/admin/faults", Map.of("errorRate", 1.0));
        String reg = s.path("studentNo").asText();
        // the calls to Informat as the guarded-call template makes them (its breaker's fallback settles a failed one)
        NotifyBuilder called = new NotifyBuilder(camel).wereSentTo("direct:informat-call").whenDone(1).create();
        long deadBefore = jdbc.queryForObject("SELECT count(*) FROM dead_letter", Long.class);

        smartschoolRegister(internalNumberOf(s), "2026-11-24", "pm", "Z", null, null);

        assertThat(called.matches(30, TimeUnit.SECONDS)).as("Informat was called").isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("""
                SELECT count(*) FROM outbox WHERE target = 'INFORMAT' AND registration_number = ? AND date = '2026-11-24'
                  AND state = 'PENDING' AND attempts >= 1
                  AND (outcome LIKE 'Informat answered 5%' OR outcome LIKE 'CallNotPermittedException%')""",
                Long.class, reg) == 1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dead_letter", Long.class)).isEqualTo(deadBefore);

        // the vendor back: the waiting row arrives
        http.postJson("/sim/informat/admin/faults", Map.of());
        camel.getProcessor("informat-breaker", org.apache.camel.component.resilience4j.ResilienceProcessor.class).transitionToCloseState();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> informatCell(s.path("personId").asText(), "2026-11-24", "NM") != null);
        assertThat(informatCell(s.path("personId").asText(), "2026-11-24", "NM").path("absenceCode").asText()).isEqualTo("Z");
    }
}
