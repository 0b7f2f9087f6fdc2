package be.absencebridge.exchange.audit;

import be.absencebridge.support.BridgeTest;

import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole log of an end-to-end run (both directions, free text, a refusal dead-lettered and a replay, a hostile
 * webhook, a backfill, a vendor failing) holds none of the pupils' personal data and none of the credentials:
 * no motivation or remark, no person id or date of birth, no password, access code, client secret or webhook
 * secret. Pupils appear in the log by institution and registration number only.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogScanTest extends BridgeTest {

    @Test
    void anEndToEndRunLogsNoPersonalDataAndNoSecrets(CapturedOutput output) {
        List<String> forbidden = new ArrayList<>(List.of(ADMIN_PASSWORD, VIEWER_PASSWORD, "sim-accesscode",
                "sim-informat-client-secret", "sim-smartschool-webhook-secret", "sim-informat-webhook-secret"));
        List<JsonNode> pupils = new ArrayList<>();
        for (JsonNode s : students()) {
            if (s.path("startDate").asText().equals("2026-09-01") && s.path("endDate").isNull()
                    && !s.path("level").asText().equals("kleuter") && pupils.size() < 6) {
                pupils.add(s);
            }
        }
        int n = 0;
        for (JsonNode s : pupils) {
            n++;
            String motivation = "Motivatie-van-de-ouders-" + n + "-bij-de-dokter";
            String remark = "Opmerking-secretariaat-" + n + "-ziekenhuis";
            forbidden.add(motivation);
            forbidden.add(remark);
            forbidden.add(s.path("personId").asText());
            forbidden.add(s.path("dateOfBirth").asText());
            smartschoolRegister(internalNumberOf(s), "2026-11-09", "am", "Z", null, motivation);
            informatRegister(s.path("personId").asText(), "2026-11-09", "NM", "R", remark);
        }
        // a webhook whose free text is hostile and malformed: refused, and its text not echoed into the log
        String hostile = "{\"eventId\":\"x\",\"internalNumber\":\"1\",\"motivation\":\"Vertrouwelijk-verslag-CLB\","
                + "\"date\":\"2026-13-45\",\"part\":\"am\",\"code\":\"Z\"}";
        forbidden.add("Vertrouwelijk-verslag-CLB");
        assertThat(http.post("/api/inbound/smartschool/school1", "application/json", hostile,
                smartschoolPush().of(hostile)).status()).isEqualTo(400);

        await().atMost(Duration.ofSeconds(60)).until(() -> pupils.stream().allMatch(s ->
                informatCell(s.path("personId").asText(), "2026-11-09", "VM") != null
                        && smartschoolCell(internalNumberOf(s), "2026-11-09", "pm") != null));

        // a vendor failing for a while: the retries log their reasons
        http.postJson("/sim/informat/admin/faults", Map.of("errorRate", 0.5));
        JsonNode late = pupils.get(0);
        String lateMotivation = "Motivatie-na-storing-begrafenis";
        forbidden.add(lateMotivation);
        smartschoolRegister(internalNumberOf(late), "2026-11-10", "am", "Z", null, lateMotivation);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(informatCell(late.path("personId").asText(),
                "2026-11-10", "VM")).as(() -> "decisions so far: " + decisions(late, "2026-11-10")).isNotNull());
        http.postJson("/sim/informat/admin/faults", Map.of());

        // a refusal (A is for non-compulsory kindergarten pupils only: DNF010), dead-lettered, then replayed
        int deadBefore = deadLetters().size();
        JsonNode refused = pupils.get(1);
        smartschoolRegister(internalNumberOf(refused), "2026-10-29", "am", "A", null, "Motivatie-kleuter-logopedie");
        forbidden.add("Motivatie-kleuter-logopedie");
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters().size() > deadBefore);
        long id = deadLetters().get(0).path("id").asLong();
        http.post("/api/admin/dead-letters/" + id + "/replay", "application/json", "", "Authorization", adminAuth());

        // a backfill of one branch (its progress is logged)
        Http.Response backfill = http.postJson("/api/admin/backfills", Map.of("direction", "INFORMAT_TO_SMARTSCHOOL",
                "locationIdDiscimus", late.path("locationIdDiscimus").asInt(), "dryRun", true), "Authorization", adminAuth());
        assertThat(backfill.status()).as(backfill.text()).isEqualTo(202);
        String backfillId = backfill.json().path("id").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> !http.get("/api/admin/backfills/" + backfillId,
                "Authorization", adminAuth()).json().path("state").asText().equals("RUNNING"));

        String log = output.getAll();
        assertThat(log).as("the run logged its work").contains("smartschool-to-informat: 1 delivered", "informat-to-smartschool: 1 delivered");
        for (String f : forbidden) {
            assertThat(log).as("personal data or a secret in the log").doesNotContain(f);
        }
        // a warning names no pupil beside its reason (a refusal's reason can name the code): the dead letter's row does
        String refusedKey = refused.path("instituteNo").asText() + "/" + refused.path("studentNo").asText();
        assertThat(log.lines().filter(line -> line.contains(" WARN ")))
                .as("the dead letter's warning").anyMatch(line -> line.contains("dead-lettered"))
                .noneMatch(line -> line.contains(refusedKey));
    }
}
