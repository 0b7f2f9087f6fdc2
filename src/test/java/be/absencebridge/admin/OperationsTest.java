package be.absencebridge.admin;

import be.absencebridge.support.BridgeTest;

import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The admin API's security, the decision metrics, and no free text in the log. */
@ExtendWith(OutputCaptureExtension.class)
class OperationsTest extends BridgeTest {


    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
    }

    @Test
    void theAdminApiNeedsALoginAndTheAdminRoleToChangeThings() {
        assertThat(http.get("/api/admin/audit").status()).isEqualTo(401);
        assertThat(http.get("/api/admin/dead-letters", "Authorization", basic("admin", "wrong")).status()).isEqualTo(401);
        assertThat(http.get("/api/admin/dead-letters", "Authorization", basic("viewer", VIEWER_PASSWORD)).status()).isEqualTo(200);
        assertThat(http.post("/api/admin/dead-letters/1/replay", "application/json", "", "Authorization",
                basic("viewer", VIEWER_PASSWORD)).status()).isEqualTo(403);
        assertThat(http.post("/api/admin/dead-letters/1/replay", "application/json", "").status()).isEqualTo(401);
        assertThat(http.get("/api/admin/audit?date=yesterday", "Authorization", adminAuth()).status()).isEqualTo(400);
    }

    @Test
    void hawtioAndJolokiaAnswerAdminsOnlyAndShowTheRoutesById() {
        Http management = new Http("http://127.0.0.1:" + managementPort);
        assertThat(management.get("/actuator/hawtio/").status()).isEqualTo(401);
        assertThat(management.get("/actuator/jolokia/version").status()).isEqualTo(401);
        assertThat(management.get("/actuator/jolokia/version", "Authorization", basic("viewer", VIEWER_PASSWORD)).status()).isEqualTo(403);
        assertThat(management.get("/actuator/hawtio/index.html", "Authorization", adminAuth()).status()).isEqualTo(200);
        Http.Response routes = management.postJson("/actuator/jolokia", java.util.Map.of("type", "search",
                "mbean", "org.apache.camel:type=routes,*"), "Authorization", adminAuth());
        assertThat(routes.status()).isEqualTo(200);
        assertThat(routes.text()).contains("smartschool-webhook", "informat-deliver", "process-record", "backfill-run");
    }

    @Test
    void decisionsAreCountedPerKindAndDirectionWithoutFreeTextInTheLog(CapturedOutput output) {
        JsonNode s = student("lager", true);
        String secret = "Motivatie-met-persoonsgegevens-4711";
        smartschoolRegister(internalNumberOf(s), "2026-11-13", "am", "Z", null, secret);
        informatRegister(s.path("personId").asText(), "2026-11-13", "NM", "P", secret + "-opmerking");
        await().atMost(Duration.ofSeconds(30)).until(() -> informatCell(s.path("personId").asText(), "2026-11-13", "VM") != null
                && smartschoolCell(internalNumberOf(s), "2026-11-13", "pm") != null);
        assertThat(informatCell(s.path("personId").asText(), "2026-11-13", "VM").path("remark").asText()).isEqualTo(secret);

        Http management = new Http("http://127.0.0.1:" + managementPort);
        assertThat(management.get("/actuator/prometheus").status()).isEqualTo(401);
        String metrics = management.get("/actuator/prometheus", "Authorization", adminAuth()).text();
        assertThat(metrics).contains("bridge_decisions_total{decision=\"FORWARDED\",direction=\"smartschool-to-informat\"")
                .contains("bridge_decisions_total{decision=\"DELIVERED\",direction=\"informat-to-smartschool\"");
        // the product's own gauges and the vendor delivery timers
        assertThat(metrics).contains("bridge_outbox_pending{target=\"INFORMAT\"}", "bridge_outbox_oldest_age_seconds{target=\"SMARTSCHOOL\"}",
                "bridge_dead_letters_open ", "bridge_inbox_unprocessed ", "bridge_backfill_days_remaining ",
                "bridge_vendor_circuit_open{platform=\"\",vendor=\"informat\"} 0.0",
                "bridge_vendor_deliveries_seconds_count{outcome=\"delivered\",platform=\"\",target=\"INFORMAT\"}");
        // Smartschool's per platform (the pupil's)
        assertThat(metrics).containsPattern("bridge_vendor_deliveries_seconds_count\\{outcome=\"delivered\",platform=\"school[12]\",target=\"SMARTSCHOOL\"}");
        poll("informat");
        String afterPoll = management.get("/actuator/prometheus", "Authorization", adminAuth()).text();
        assertThat(afterPoll).containsPattern("bridge_poll_lag_seconds\\{platform=\"\",system=\"informat\"} [0-9.]+");
        assertThat(jdbc.queryForObject("SELECT succeeded_at FROM poll_run WHERE system = 'informat'", java.time.OffsetDateTime.class))
                .as("the poll lag is measured from the last successful run, kept in the database").isNotNull();
        Http.Response vendors = management.get("/actuator/health/vendors", "Authorization", adminAuth());
        assertThat(vendors.status()).isEqualTo(200);
        assertThat(vendors.json().path("components").path("informatHealth").path("details").path("circuitBreaker").asText()).isEqualTo("CLOSED");
        assertThat(vendors.json().path("status").asText()).isEqualTo("UP");
        assertThat(management.get("/actuator/health/liveness").status()).isEqualTo(200);
        Http.Response ready = management.get("/actuator/health/readiness", "Authorization", adminAuth());
        assertThat(ready.status()).as(ready.text()).isEqualTo(200);
        assertThat(ready.text()).contains("camelHealth", "db");

        assertThat(output.getAll()).containsPattern("smartschool-to-informat: [0-9]+ delivered").doesNotContain(secret);
    }
}
