package be.absencebridge.sim;

import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Seed, faults, traffic and bad input: the controls of both simulators. */
class SimulatorControlsTest extends SimulatorTest {

    @Test
    void oneSeedCallSeedsBothWithMatchingIdentities() {
        Map<String, Object> seed = Map.of("institutions", 1, "branchesPerInstitution", 3, "pupilsPerBranch", 20, "schoolYear", "2026-27", "seed", 99);
        JsonNode answer = http.postJson("/sim/informat/admin/seed", seed).json();
        assertThat(answer.path("pupils").asInt()).isEqualTo(60);
        JsonNode students = students();
        JsonNode pupils = smartschoolPupils();
        assertThat(students.size()).isEqualTo(60);
        assertThat(pupils.size()).isEqualTo(60);
        for (JsonNode s : students) {
            assertThat(internalNumberOf(s)).isNotBlank();
        }
        http.postJson("/sim/smartschool/admin/seed", seed);
        assertThat(students()).isEqualTo(students);
        http.postJson("/sim/smartschool/admin/seed", Map.of("institutions", 1, "branchesPerInstitution", 3, "pupilsPerBranch", 20, "seed", 100));
        assertThat(students()).isNotEqualTo(students);

        assertThat(http.postJson("/sim/informat/admin/seed", Map.of("pupilsPerBranch", 1_000_000)).status()).isEqualTo(400);
        assertThat(http.postJson("/sim/informat/admin/seed", Map.of("schoolYear", "next year")).status()).isEqualTo(400);
    }

    @Test
    void faultRatesAreWithinToleranceAndTheControlsAreNeverFaulted() {
        assertThat(http.postJson("/sim/informat/admin/faults", Map.of("errorRate", 0.3, "throttleRate", 0.2)).status()).isEqualTo(200);
        int calls = 600;
        int errors = 0;
        int throttled = 0;
        int ok = 0;
        for (int i = 0; i < calls; i++) {
            Http.Response r = http.get("/sim/informat/partner/v1/locations");
            switch (r.status()) {
                case 500, 503 -> errors++;
                case 429 -> {
                    throttled++;
                    assertThat(r.header("Retry-After")).isEqualTo("1");
                }
                case 200 -> ok++;
                default -> throw new AssertionError("unexpected " + r.status());
            }
        }
        // binomial: 3 standard deviations is about +-0.056 for p=0.3 and +-0.049 for p=0.2 at n=600
        assertThat(errors / (double) calls).isBetween(0.24, 0.36);
        assertThat(throttled / (double) calls).isBetween(0.15, 0.25);
        assertThat(ok).isEqualTo(calls - errors - throttled);
        // Smartschool is not affected by Informat's faults, and the controls never fail
        for (int i = 0; i < 50; i++) {
            assertThat(http.get("/sim/smartschool/school1/partner/v1/settings", "Authorization", "Bearer sim-accesscode").status()).isEqualTo(200);
            assertThat(http.get("/sim/informat/admin/register?date=2026-11-27").status()).isEqualTo(200);
        }
        http.postJson("/sim/informat/admin/faults", Map.of());
        for (int i = 0; i < 50; i++) {
            assertThat(http.get("/sim/informat/partner/v1/locations").status()).isEqualTo(200);
        }
    }

    @Test
    void latencyAndRetryAfterAreConfigurable() {
        http.postJson("/sim/smartschool/admin/faults", Map.of("latencyMs", 300, "throttleRate", 1.0, "retryAfterSeconds", 7));
        long start = System.nanoTime();
        Http.Response r = http.get("/sim/smartschool/school1/partner/v1/settings", "Authorization", "Bearer sim-accesscode");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.header("Retry-After")).isEqualTo("7");
        assertThat(tookMs).as("a lower bound only: the simulator waits at least latencyMs").isGreaterThanOrEqualTo(300);
        assertThat(http.postJson("/sim/smartschool/admin/faults", Map.of("errorRate", 2)).status()).isEqualTo(400);
        assertThat(http.postJson("/sim/smartschool/admin/faults", Map.of("errorRate", 0.6, "throttleRate", 0.6)).status()).isEqualTo(400);
    }

    @Test
    void trafficRegistersInBothSystemsAndPushes() {
        assertThat(http.postJson("/sim/informat/admin/traffic", Map.of("eventsPerSecond", 200)).status()).isEqualTo(200);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    PUSHES.pushes("/api/inbound/smartschool").size() > 20 && PUSHES.pushes("/api/inbound/informat").size() > 20);
        } finally {
            http.postJson("/sim/smartschool/admin/traffic", Map.of("eventsPerSecond", 0));
        }
        int registered = 0;
        for (String d : List.of("2026-11-25", "2026-11-26", "2026-11-27")) {
            registered += http.get("/sim/smartschool/admin/register?date=" + d).json().size();
            registered += http.get("/sim/informat/admin/register?date=" + d).json().size();
        }
        assertThat(registered).isPositive();
        assertThat(http.postJson("/sim/informat/admin/traffic", Map.of("eventsPerSecond", -1)).status()).isEqualTo(400);
        assertThat(http.postJson("/sim/informat/admin/traffic", Map.of()).status()).isEqualTo(400);
    }

    @Test
    void badInputGetsAClear4xxProblemNeverA500() {
        String longBody = "[" + "{\"internalNumber\":\"1\"},".repeat(80_000) + "{}]";
        List<Object[]> cases = List.of(
                new Object[] {"/sim/smartschool/school1/partner/v1/absences", "{not json", 400},
                new Object[] {"/sim/smartschool/school1/partner/v1/absences", "{\"a\":1}", 400},
                new Object[] {"/sim/smartschool/school1/partner/v1/absences", "", 400},
                new Object[] {"/sim/smartschool/school1/partner/v1/absences", longBody, 413},
                new Object[] {"/sim/smartschool/admin/register", "{\"internalNumber\":[1,2]}", 400},
                new Object[] {"/sim/smartschool/admin/register", "{}", 404},
                new Object[] {"/sim/informat/admin/register", "{\"personId\":\"nope\"}", 404},
                new Object[] {"/sim/informat/admin/faults", "{\"errorRate\":\"lots\"}", 400},
                new Object[] {"/sim/informat/admin/seed", "[1,2,3]", 400},
                new Object[] {"/sim/informat/admin/traffic", "{\"eventsPerSecond\":\"fast\"}", 400});
        for (Object[] c : cases) {
            Http.Response r = http.post((String) c[0], "application/json", (String) c[1]);
            assertThat(r.status()).as("%s %s", c[0], ((String) c[1]).length() > 40 ? "(long body)" : c[1]).isEqualTo((int) c[2]);
            assertThat(r.header("Content-Type")).as((String) c[0]).startsWith("application/problem+json");
            assertThat(r.json().path("detail").asText()).isNotBlank();
        }
        Http.Response wrongType = http.post("/sim/informat/api/v1/students/x/absences", "text/plain", "hello");
        assertThat(wrongType.status()).isBetween(400, 499);
        Http.Response wrongMethod = http.get("/sim/smartschool/school1/partner/v1/absences");
        assertThat(wrongMethod.status()).isEqualTo(405);
    }
}
