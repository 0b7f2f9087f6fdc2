package be.absencebridge.vendor.smartschool;

import be.absencebridge.support.BridgeTest;
import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A platform that refuses the bridge's access code answers the integer 8, not a fault and not an empty register: within
 * one poll that is an alarm in the vendor's health, the metrics and the log, and it clears once the code is right again.
 */
@ExtendWith(OutputCaptureExtension.class)
class AccessCodeAlarmTest extends BridgeTest {


    private static double school1PollFailures(String metrics) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "bridge_poll_failures_total\\{platform=\"school1\",system=\"smartschool\"} ([0-9.]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0.0;
    }

    @Test
    void aRefusedAccessCodeIsAnAlarmWithinOnePoll(CapturedOutput output) {
        Http management = new Http("http://127.0.0.1:" + managementPort);
        double school1FailuresBefore = school1PollFailures(management.get("/actuator/prometheus", "Authorization", adminAuth()).text());
        // one school's administrator changes the web-services password; the bridge still has the old one
        http.putJson("/sim/smartschool/admin/settings", Map.of("platform", "school2", "accesscode", "changed-by-the-school"));
        try {
            poll("smartschool");
            Http.Response vendors = management.get("/actuator/health/vendors", "Authorization", adminAuth());
            assertThat(vendors.status()).isEqualTo(503);
            JsonNode platforms = vendors.json().path("components").path("smartschoolHealth").path("components");
            assertThat(platforms.path("school2").path("status").asText()).isEqualTo("DOWN");
            assertThat(platforms.path("school2").path("details").path("alarm").asText()).contains("access code");
            assertThat(platforms.path("school1").path("details").has("alarm")).as("the other platform has no alarm").isFalse();
            String metrics = management.get("/actuator/prometheus", "Authorization", adminAuth()).text();
            assertThat(metrics).containsPattern("bridge_vendor_errors_total\\{code=\"8\",kind=\"credential\",platform=\"school2\",vendor=\"smartschool\"} [1-9]");
            assertThat(metrics).containsPattern("bridge_poll_failures_total\\{platform=\"school2\",system=\"smartschool\"} [1-9]");
            assertThat(school1PollFailures(metrics)).as("the other platform polled well").isEqualTo(school1FailuresBefore);
            assertThat(output.getAll()).contains("Smartschool platform school2 refused the web-services access code (error 8)");
        } finally {
            http.putJson("/sim/smartschool/admin/settings", Map.of("platform", "school2", "accesscode", ""));
        }
        poll("smartschool");
        Http.Response vendors = management.get("/actuator/health/vendors", "Authorization", adminAuth());
        assertThat(vendors.json().path("components").path("smartschoolHealth").path("components").path("school2").path("details")
                .has("alarm")).isFalse();
    }

    /**
     * A platform whose every call fails (here: it answers every call with a web server's error page, as a wrong address
     * or a proxy would) was UP, "reachable: yes", while every poll failed. It is DOWN with the last failure once every call
     * has failed for bridge.vendor-failing-after, and UP again once a call works.
     */
    @Test
    void aPlatformThatFailsEveryCallIsDownWithItsReasonAndUpAgainWhenItAnswers(CapturedOutput output) {
        Http management = new Http("http://127.0.0.1:" + managementPort);
        http.postJson("/sim/smartschool/admin/faults", Map.of("platform", "school2", "garbageRate", 1.0));
        try {
            await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(500)).until(() -> {
                poll("smartschool");
                JsonNode school2 = management.get("/actuator/health/vendors", "Authorization", adminAuth()).json()
                        .path("components").path("smartschoolHealth").path("components").path("school2");
                // the log line comes with the first call that fails after the time has passed, maybe after the health
                return "DOWN".equals(school2.path("status").asText())
                        && school2.path("details").path("alarm").asText().contains("every call has failed")
                        && output.getAll().contains("every call to Smartschool platform school2 has failed");
            });
            JsonNode school1 = management.get("/actuator/health/vendors", "Authorization", adminAuth()).json()
                    .path("components").path("smartschoolHealth").path("components").path("school1");
            assertThat(school1.path("details").has("alarm")).as("the other platform").isFalse();
        } finally {
            http.postJson("/sim/smartschool/admin/faults", Map.of());
        }
        poll("smartschool");
        JsonNode school2 = management.get("/actuator/health/vendors", "Authorization", adminAuth()).json()
                .path("components").path("smartschoolHealth").path("components").path("school2");
        assertThat(school2.path("details").has("alarm")).isFalse();
        assertThat(output.getAll()).contains("Smartschool platform school2 answers again");
    }

    /** The same for Informat: its change feed read failing every time makes its health DOWN with the reason. */
    @Test
    void informatWhoseEveryReadFailsIsDownWithItsReasonAndUpAgainWhenItAnswers(CapturedOutput output) {
        Http management = new Http("http://127.0.0.1:" + managementPort);
        http.postJson("/sim/informat/admin/faults", Map.of("garbageRate", 1.0));
        try {
            await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(500)).until(() -> {
                poll("informat");
                JsonNode informat = management.get("/actuator/health/vendors", "Authorization", adminAuth()).json()
                        .path("components").path("informatHealth");
                // the health turns DOWN when the time has passed, the log line comes with the first read that fails after it
                return "DOWN".equals(informat.path("status").asText())
                        && informat.path("details").path("alarm").asText().contains("every read has failed")
                        && output.getAll().contains("every read of");
            });
        } finally {
            http.postJson("/sim/informat/admin/faults", Map.of());
        }
        poll("informat");
        JsonNode informat = management.get("/actuator/health/vendors", "Authorization", adminAuth()).json()
                .path("components").path("informatHealth");
        assertThat(informat.path("details").has("alarm")).isFalse();
    }
}
