package be.absencebridge.process;

import be.absencebridge.support.FreePort;
import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The preflight as a school runs it: {@code java -jar <jar> --bridge.preflight=true} with its configuration, here
 * against the simulators in a process of their own. It prints the report as JSON and ends by itself, with exit code 0
 * only when the report is ok: once with the right credentials, once with a platform's access code wrong. No route
 * starts meanwhile (no poller, no delivery: the vendors are only read).
 */
class PreflightCommandIT extends ProcessTest {

    /** The JSON report in the command's output (the pretty-printed object between the log lines). */
    private static JsonNode report(String output) throws Exception {
        int start = output.indexOf("\n{\n");
        int end = output.indexOf("\n}\n", start);
        assertThat(start).as(output).isNotNegative();
        assertThat(end).as(output).isPositive();
        return Http.JSON.readTree(output.substring(start + 1, end + 2));
    }

    private static Map<String, JsonNode> byPlatform(JsonNode report) {
        Map<String, JsonNode> out = new HashMap<>();
        report.path("vendors").forEach(v -> out.put(v.path("vendor").asText() + "/" + v.path("platform").asText(), v));
        return out;
    }

    @Test
    void theCommandPrintsTheReportAndExitsZeroOnlyWhenItIsOk() throws Exception {
        ProductProcess sims = track(ProductProcess.simulators(FreePort.find(), "http://127.0.0.1:9")).start().awaitReady();
        String database = newDatabase();

        ProductProcess ok = track(ProductProcess.preflight("preflight-ok", sims.port, database));
        long started = System.nanoTime();
        int exit = ok.start().awaitExit(Duration.ofSeconds(180));
        System.out.printf("preflight, right credentials: exit %d after %d ms%n", exit, (System.nanoTime() - started) / 1_000_000);
        JsonNode report = report(ok.output());
        assertThat(exit).as(ok.output()).isZero();
        assertThat(report.path("ok").asBoolean()).isTrue();
        assertThat(byPlatform(report)).containsKeys("smartschool/school1", "smartschool/school2", "informat/");
        assertThat(byPlatform(report).get("smartschool/school2").path("credential").asText()).isEqualTo("valid");
        // read-only: no route started, so no poller, delivery or webhook ran (a route shipped off counts as disabled)
        assertThat(ok.output()).containsPattern("Routes startup \\(total:[0-9]+( started:0[^)]*)?\\)")
                .doesNotContainPattern("Started [a-z-]+ \\(")
                .doesNotContain("Starting Quartz scheduler");

        ProductProcess refused = track(ProductProcess.preflight("preflight-refused", sims.port, database,
                "--bridge.smartschool.platforms.school2.accesscode=not-the-platforms-code"));
        started = System.nanoTime();
        exit = refused.start().awaitExit(Duration.ofSeconds(180));
        System.out.printf("preflight, school2's access code wrong: exit %d after %d ms%n", exit, (System.nanoTime() - started) / 1_000_000);
        report = report(refused.output());
        assertThat(exit).as(refused.output()).isEqualTo(1);
        assertThat(report.path("ok").asBoolean()).isFalse();
        JsonNode school2 = byPlatform(report).get("smartschool/school2");
        assertThat(school2.path("credential").asText()).isEqualTo("refused");
        assertThat(school2.path("problems").toString()).contains("error code 8");
        assertThat(byPlatform(report).get("smartschool/school1").path("problems")).isEmpty();
    }
}
