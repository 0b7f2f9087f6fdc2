package be.absencebridge.exchange;

import be.absencebridge.support.PushHeaders;
import be.absencebridge.support.BridgeTest;

import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A code registered in one package arrives in the other, through the running product, in both directions. */
class ExchangeEndToEndTest extends BridgeTest {

    @Test
    void smartschoolCodeArrivesInInformatAndItsEchoStopsThere() {
        JsonNode s = student("lager", true);
        String internal = internalNumberOf(s);
        String personId = s.path("personId").asText();
        // the echo is Informat pushing the bridge's own write back (a vendor that notifies every change; the partner
        // contract does not): recorded at intake, in the webhook's own round
        vendorsEchoTheLinksWrites();
        NotifyBuilder echoHandled = new NotifyBuilder(camel).fromRoute("informat-webhook").whenDone(1).create();

        assertThat(smartschoolRegister(internal, "2026-11-26", "am", "Z", "ZM", "attest").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> informatCell(personId, "2026-11-26", "VM") != null);
        JsonNode stored = informatCell(personId, "2026-11-26", "VM");
        assertThat(stored.path("absenceCode").asText()).as("alias ZM maps to subcode Z01").isEqualTo("Z01");
        assertThat(stored.path("remark").asText()).isEqualTo("attest");
        assertThat(stored.path("timestamp").asText()).isEqualTo("2026-11-27T12:00+01:00");
        assertThat(stored.path("registeredBy").asText()).isEqualTo("absence-bridge");

        assertThat(echoHandled.matches(20, TimeUnit.SECONDS)).isTrue();
        JsonNode teacherCell = smartschoolCell(internal, "2026-11-26", "am");
        assertThat(teacherCell.path("registeredBy").asText()).as("the teacher's own cell is not rewritten").isEqualTo("leerkracht");
        assertThat(teacherCell.path("alias").asText()).isEqualTo("ZM");
        assertThat(decisions(s, "2026-11-26")).containsSubsequence("FORWARDED", "DELIVERED").contains("ECHO");
    }

    @Test
    void theBridgesOwnWriteInInformatsChangeFeedIsAnEchoStoredAtIntake() {
        // no echo pushed (the partner contract): the change feed has the bridge's write, under its client
        JsonNode s = student("secundair", true);
        String personId = s.path("personId").asText();
        assertThat(smartschoolRegister(internalNumberOf(s), "2026-11-23", "pm", "B", null, null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> informatCell(personId, "2026-11-23", "NM") != null);

        poll("informat");
        await().atMost(Duration.ofSeconds(20)).until(() -> decisions(s, "2026-11-23").contains("ECHO"));
        // stored as decided in the poll's own transaction (processed when received): no processing round of its own
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT received_via, processed_at = received_at AS at_intake FROM inbox
                WHERE source = 'INFORMAT' AND payload->>'personId' = ? AND payload->>'date' = '2026-11-23'""", personId);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsEntry("received_via", "POLL").containsEntry("at_intake", true);
        assertThat(decisions(s, "2026-11-23")).containsSubsequence("FORWARDED", "DELIVERED").containsOnlyOnce("ECHO");
    }

    @Test
    void informatCodeArrivesInSmartschoolWithSubcodeAsItsOfficialCode() {
        JsonNode s = student("secundair", true);
        String internal = internalNumberOf(s);
        assertThat(informatRegister(s.path("personId").asText(), "2026-11-25", "VM", "R03", "begrafenis").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> smartschoolCell(internal, "2026-11-25", "am") != null);
        JsonNode cell = smartschoolCell(internal, "2026-11-25", "am");
        assertThat(cell.path("code").asText()).isEqualTo("R");
        assertThat(cell.path("motivation").asText()).isEqualTo("begrafenis");
        assertThat(cell.path("registeredBy").asText()).isEqualTo("koppeling-informat");

        // clearing the absence in Informat leaves an empty half-day there, which means present
        clock.advance(Duration.ofMinutes(1));
        informatRegister(s.path("personId").asText(), "2026-11-25", "VM", null, null);
        await().atMost(Duration.ofSeconds(20)).until(() -> "|".equals(smartschoolCell(internal, "2026-11-25", "am").path("code").asText()));
    }

    @Test
    void presenceClearsAnInformatAbsenceForACompulsoryPupilAndIsStoredForANonCompulsoryToddler() {
        JsonNode pupil = student("lager", true);
        String personId = pupil.path("personId").asText();
        informatRegister(personId, "2026-11-24", "VM", "B", null);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> smartschoolCell(internalNumberOf(pupil), "2026-11-24", "am") != null);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("B did not reach Smartschool; the audit says " + http.get("/api/admin/audit?institutionNumber="
                    + pupil.path("instituteNo").asText() + "&registrationNumber=" + pupil.path("studentNo").asText() + "&date=2026-11-24",
                    "Authorization", adminAuth()).text(), e);
        }
        // later the teacher registers the pupil present
        clock.advance(Duration.ofMinutes(5));
        smartschoolRegister(internalNumberOf(pupil), "2026-11-24", "am", "|", null, null);
        await().atMost(Duration.ofSeconds(20)).until(() -> informatCell(personId, "2026-11-24", "VM") == null);

        JsonNode toddler = student("kleuter", false);
        smartschoolRegister(internalNumberOf(toddler), "2026-11-24", "pm", "|", null, null);
        await().atMost(Duration.ofSeconds(20)).until(() -> informatCell(toddler.path("personId").asText(), "2026-11-24", "NM") != null);
        assertThat(informatCell(toddler.path("personId").asText(), "2026-11-24", "NM").path("absenceCode").asText()).isEqualTo("|");
    }

    @Test
    void webhooksRefuseBadSignaturesAndMalformedEventsWithProblems() {
        PushHeaders smartschool = smartschoolPush();
        String good = "{\"eventId\":\"e1\",\"internalNumber\":\"1\",\"institutionNumber\":\"123456\",\"registrationNumber\":\"1\","
                + "\"date\":\"2026-11-26\",\"part\":\"am\",\"code\":\"Z\",\"alias\":null,\"motivation\":null,"
                + "\"registeredAt\":\"2026-11-26T09:00:00+01:00\",\"registeredBy\":\"leerkracht\"}";
        Http.Response unsigned = http.post("/api/inbound/smartschool/school1", "application/json", good);
        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(unsigned.header("Content-Type")).startsWith("application/problem+json");
        Http.Response wrongSecret = http.post("/api/inbound/smartschool/school1", "application/json", good,
                new PushHeaders("guess", clock).of(good));
        assertThat(wrongSecret.status()).isEqualTo(401);
        Http.Response informatWithSmartschoolSecret = http.post("/api/inbound/informat", "application/json", good,
                smartschool.of(good));
        assertThat(informatWithSmartschoolSecret.status()).isEqualTo(401);

        for (String bad : List.of("{not json", "[]", "", "{}",
                good.replace("\"part\":\"am\"", "\"part\":\"evening\""),
                good.replace("\"date\":\"2026-11-26\"", "\"date\":\"26/11/2026\""),
                good.replace("\"code\":\"Z\"", "\"code\":\"QQ\""),
                good.replace("\"code\":\"Z\"", "\"code\":42"),
                good.replace("\"institutionNumber\":\"123456\"", "\"institutionNumber\":\"12\""),
                good.replace("\"registeredAt\":\"2026-11-26T09:00:00+01:00\"", "\"registeredAt\":\"yesterday\""))) {
            Http.Response r = http.post("/api/inbound/smartschool/school1", "application/json", bad,
                    smartschool.of(bad, "CamelHttpUri", "http://evil.example/"));
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.json().path("detail").asText()).as(bad).isNotBlank();
        }
        byte[] huge = ("{\"motivation\":\"" + "x".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        Http.Response tooLarge = http.post("/api/inbound/smartschool/school1", "application/json", huge, smartschool.of(huge));
        assertThat(tooLarge.status()).isEqualTo(413);
        Http.Response accepted = http.post("/api/inbound/smartschool/school1", "application/json", good,
                smartschool.of(good));
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.header("X-Signature")).as("request headers are not echoed back").isNull();
    }

    @Test
    void vendorErrorsAndThrottlingAreRetriedUntilEverythingArrives() {
        int deadBefore = deadLetters().size();
        List<JsonNode> pupils = new java.util.ArrayList<>();
        for (JsonNode s : http.get("/sim/informat/admin/students").json()) {
            boolean compulsory = Integer.parseInt(s.path("dateOfBirth").asText().substring(0, 4)) + 5 <= 2026;
            if (compulsory && s.path("startDate").asText().equals("2026-09-01") && s.path("endDate").isNull()) {
                pupils.add(s);
            }
        }
        List<JsonNode> toInformat = pupils.subList(0, 15);
        List<JsonNode> toSmartschool = pupils.subList(15, 30);
        Map<JsonNode, String> internal = new HashMap<>();
        pupils.subList(0, 30).forEach(p -> internal.put(p, internalNumberOf(p)));
        // from here on, 30% of vendor calls fail and 10% are throttled (the controls are never faulted)
        http.postJson("/sim/informat/admin/faults", Map.of("errorRate", 0.3, "throttleRate", 0.1, "retryAfterSeconds", 0));
        http.postJson("/sim/smartschool/admin/faults", Map.of("errorRate", 0.3, "throttleRate", 0.1, "retryAfterSeconds", 0));
        for (JsonNode p : toInformat) {
            assertThat(smartschoolRegister(internal.get(p), "2026-11-23", "am", "Z", null, null).status()).isEqualTo(200);
        }
        for (JsonNode p : toSmartschool) {
            assertThat(informatRegister(p.path("personId").asText(), "2026-11-23", "NM", "P", null).status()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (JsonNode p : toInformat) {
                assertThat(informatCell(p.path("personId").asText(), "2026-11-23", "VM")).as("in Informat").isNotNull();
            }
            for (JsonNode p : toSmartschool) {
                assertThat(smartschoolCell(internal.get(p), "2026-11-23", "pm")).as("in Smartschool").isNotNull();
            }
        });
        assertThat(deadLetters().size()).as("nothing a retry could fix is dead-lettered").isEqualTo(deadBefore);
    }
}
