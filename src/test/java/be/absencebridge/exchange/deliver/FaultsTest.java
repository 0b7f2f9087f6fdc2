package be.absencebridge.exchange.deliver;

import be.absencebridge.support.BridgeTest;

import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The vendors misbehave while codes flow both ways: half of the calls fail or are throttled with Retry-After,
 * latency spikes, every Informat token expires mid-run, and a vendor is down for a while (its circuit breaker
 * opens, the records wait). Everything arrives once the vendor is back, the breaker closes again, and nothing that
 * a retry could fix reaches the dead-letter table.
 */
class FaultsTest extends BridgeTest {

    private List<JsonNode> pupils(int from, int to) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode s : students()) {
            boolean compulsory = Integer.parseInt(s.path("dateOfBirth").asText().substring(0, 4)) + 5 <= 2026;
            if (compulsory && s.path("startDate").asText().equals("2026-09-01") && s.path("endDate").isNull()) {
                out.add(s);
            }
        }
        return out.subList(from, to);
    }

    private void awaitEverywhere(List<JsonNode> toInformat, List<JsonNode> toSmartschool, String date, Map<JsonNode, String> internal,
                                 Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (JsonNode p : toInformat) {
                assertThat(informatCell(p.path("personId").asText(), date, "VM")).as("in Informat").isNotNull();
            }
            for (JsonNode p : toSmartschool) {
                assertThat(smartschoolCell(internal.get(p), date, "pm")).as("in Smartschool").isNotNull();
            }
        });
    }

    @Test
    void halfTheCallsFailingOrThrottledWithLatencySpikesAndExpiringTokensStillDeliverEverything() {
        int deadBefore = deadLetters().size();
        List<JsonNode> pupils = pupils(0, 40);
        Map<JsonNode, String> internal = new HashMap<>();
        pupils.forEach(p -> internal.put(p, internalNumberOf(p)));
        List<JsonNode> toInformat = pupils.subList(0, 20);
        List<JsonNode> toSmartschool = pupils.subList(20, 40);
        // 35% errors and 15% throttling with Retry-After: 1, every call 300 ms late
        Map<String, Object> faults = Map.of("errorRate", 0.35, "throttleRate", 0.15, "retryAfterSeconds", 1, "latencyMs", 300);
        http.postJson("/sim/informat/admin/faults", faults);
        http.postJson("/sim/smartschool/admin/faults", faults);
        for (int i = 0; i < 20; i++) {
            assertThat(smartschoolRegister(internal.get(toInformat.get(i)), "2026-10-13", "am", "Z", null, null).status()).isEqualTo(200);
            assertThat(informatRegister(toSmartschool.get(i).path("personId").asText(), "2026-10-13", "NM", "P", null).status()).isEqualTo(200);
            if (i == 10) {
                // every Informat token stops working in the middle of the run, and the latency spikes to 2.5 s
                // while the other half is registered
                http.post("/sim/informat/admin/tokens/expire", "application/json", "");
                Map<String, Object> spike = new HashMap<>(faults);
                spike.put("latencyMs", 2500);
                http.postJson("/sim/informat/admin/faults", spike);
                http.postJson("/sim/smartschool/admin/faults", spike);
            }
        }
        // the spike passes: back to 300 ms, errors and throttling go on
        http.postJson("/sim/informat/admin/faults", faults);
        http.postJson("/sim/smartschool/admin/faults", faults);
        awaitEverywhere(toInformat, toSmartschool, "2026-10-13", internal, Duration.ofSeconds(120));
        assertThat(deadLetters().size()).as("nothing a retry could fix is dead-lettered").isEqualTo(deadBefore);
        System.out.println("faults: 40 registrations delivered through 50% failing calls, a latency spike and a token expiry");
    }

    @Test
    void aVendorDownOpensItsCircuitBreakerAndEverythingArrivesWhenItIsBack() {
        int deadBefore = deadLetters().size();
        ResilienceProcessor breaker = camel.getProcessor("informat-breaker", ResilienceProcessor.class);
        List<JsonNode> pupils = pupils(40, 70);
        Map<JsonNode, String> internal = new HashMap<>();
        pupils.forEach(p -> internal.put(p, internalNumberOf(p)));
        // Informat answers nothing but 503 from now on
        http.postJson("/sim/informat/admin/faults", Map.of("errorRate", 1.0));
        for (JsonNode p : pupils) {
            assertThat(smartschoolRegister(internal.get(p), "2026-10-14", "am", "R", null, null).status()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> !"CLOSED".equals(breaker.getCircuitBreakerState()));
        Http management = new Http("http://127.0.0.1:" + managementPort);
        JsonNode vendors = management.get("/actuator/health/vendors", "Authorization", adminAuth()).json();
        assertThat(vendors.path("status").asText()).isEqualTo("DEGRADED");
        assertThat(vendors.path("components").path("informatHealth").path("details").path("circuitBreaker").asText()).isNotEqualTo("CLOSED");
        assertThat(management.get("/actuator/prometheus", "Authorization", adminAuth()).text())
                .contains("bridge_vendor_circuit_open{platform=\"\",vendor=\"informat\"} 1.0");
        // the records wait in the outbox for as long as the vendor is down, none is given up: 20 s here, four rounds of
        // the breaker's 5 s open state and its half-open calls, each refused
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM outbox WHERE state = 'PENDING' AND target = 'INFORMAT' AND date = '2026-10-14'", Long.class) == pupils.size());
        await().during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(35)).pollInterval(Duration.ofSeconds(2)).until(() ->
                jdbc.queryForObject("SELECT count(*) FROM outbox WHERE state = 'PENDING' AND target = 'INFORMAT' AND date = '2026-10-14'",
                        Long.class) == pupils.size() && deadLetters().size() == deadBefore);

        // the vendor is back
        http.postJson("/sim/informat/admin/faults", Map.of());
        awaitEverywhere(pupils, List.of(), "2026-10-14", internal, Duration.ofSeconds(120));
        await().atMost(Duration.ofSeconds(60)).until(() -> "CLOSED".equals(breaker.getCircuitBreakerState()));
        assertThat(deadLetters().size()).as("nothing a retry could fix is dead-lettered").isEqualTo(deadBefore);
        assertThat(management.get("/actuator/health/vendors", "Authorization", adminAuth()).json().path("status").asText()).isEqualTo("UP");
    }

}
