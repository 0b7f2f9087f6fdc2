package be.absencebridge.admin;

import be.absencebridge.support.BridgeTest;
import be.absencebridge.support.Http;
import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The product's own API answers as {@code contracts/absence-bridge-api.yaml} describes it (swagger-request-validator). */
class ProductApiContractTest extends BridgeTest {

    private static OpenApiInteractionValidator contract;

    private static void check(String path, Request.Method method, Http.Response r) throws Exception {
        if (contract == null) {
            contract = OpenApiInteractionValidator
                    .createForInlineApiSpecification(Files.readString(Path.of("contracts", "absence-bridge-api.yaml"))).build();
        }
        SimpleResponse.Builder response = SimpleResponse.Builder.status(r.status());
        if (r.header("Content-Type") != null) {
            response.withContentType(r.header("Content-Type"));
        }
        if (!r.text().isEmpty()) {
            response.withBody(r.text());
        }
        assertThat(contract.validateResponse(path, method, response.build()).getMessages())
                .as("%s %s -> %s %s", method, path, r.status(), r.text()).isEmpty();
    }

    @Test
    void theAdminApiAndTheWebhooksAnswerAsTheirContractSays() throws Exception {
        JsonNode s = student("secundair", true, 10);
        String body = "{\"eventId\":\"contract-1\",\"username\":\"leerling" + internalNumberOf(s) + "\",\"internalNumber\":\""
                + internalNumberOf(s) + "\",\"institutionNumber\":\"" + s.path("instituteNo").asText() + "\",\"registrationNumber\":\""
                + s.path("studentNo").asText() + "\",\"date\":\"2026-11-20\",\"part\":\"pm\",\"code\":\"Z\",\"alias\":null,"
                + "\"motivation\":null,\"registeredAt\":\"2026-11-27T11:30:00+01:00\",\"registeredBy\":\"leerkracht\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String[] signature = smartschoolSigner(internalNumberOf(s)).of(bytes);
        String webhook = smartschoolWebhook(internalNumberOf(s));
        check(webhook, Request.Method.POST, http.post(webhook, "application/json", bytes, signature));
        check(webhook, Request.Method.POST, http.post(webhook, "application/json", bytes, signature[0], signature[1], "X-Signature", "sha256=" + "0".repeat(64)));
        check("/api/inbound/smartschool/school9", Request.Method.POST,
                http.post("/api/inbound/smartschool/school9", "application/json", bytes, signature));
        check("/api/inbound/informat", Request.Method.POST, http.post("/api/inbound/informat", "application/json",
                "{not json".getBytes(StandardCharsets.UTF_8), informatPush().of("{not json")));

        String audit = "/api/admin/audit?institutionNumber=" + s.path("instituteNo").asText() + "&registrationNumber="
                + s.path("studentNo").asText() + "&date=2026-11-20";
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get(audit, "Authorization", adminAuth()).json().size() >= 2);
        check("/api/admin/audit", Request.Method.GET, http.get(audit, "Authorization", adminAuth()));
        check("/api/admin/audit", Request.Method.GET, http.get("/api/admin/audit?date=yesterday", "Authorization", adminAuth()));
        check("/api/admin/dead-letters", Request.Method.GET, http.get("/api/admin/dead-letters?all=true", "Authorization", adminAuth()));
        check("/api/admin/actions", Request.Method.GET, http.get("/api/admin/actions?size=5", "Authorization", adminAuth()));
        check("/api/admin/dead-letters/999999/replay", Request.Method.POST,
                http.post("/api/admin/dead-letters/999999/replay", "application/json", "", "Authorization", adminAuth()));

        Http.Response refused = http.post("/api/admin/backfills", "application/json",
                "{\"direction\":\"SMARTSCHOOL_TO_INFORMAT\",\"institutionNumber\":\"" + s.path("instituteNo").asText() + "\"}",
                "Authorization", adminAuth());
        assertThat(refused.status()).as("the Discimus link is in Informat").isEqualTo(409);
        check("/api/admin/backfills", Request.Method.POST, refused);
        Http.Response started = http.post("/api/admin/backfills", "application/json",
                "{\"direction\":\"INFORMAT_TO_SMARTSCHOOL\",\"locationIdDiscimus\":" + s.path("locationIdDiscimus").asInt()
                        + ",\"dryRun\":true}", "Authorization", adminAuth());
        check("/api/admin/backfills", Request.Method.POST, started);
        String status = "/api/admin/backfills/" + started.json().path("id").asLong();
        check("/api/admin/backfills/1", Request.Method.GET, http.get(status, "Authorization", adminAuth()));
        await().atMost(Duration.ofSeconds(120)).until(() -> "DONE".equals(http.get(status, "Authorization", adminAuth()).json().path("state").asText()));
        check("/api/admin/backfills/1", Request.Method.GET, http.get(status, "Authorization", adminAuth()));
        check("/api/admin/backfills/1", Request.Method.GET, http.get("/api/admin/backfills/999999", "Authorization", adminAuth()));

        Http.Response reconciliation = http.post("/api/admin/reconciliations", "application/json", "{\"institutionNumber\":\""
                + s.path("instituteNo").asText() + "\",\"from\":\"2026-11-20\",\"to\":\"2026-11-20\"}", "Authorization", adminAuth());
        check("/api/admin/reconciliations", Request.Method.POST, reconciliation);
        check("/api/admin/reconciliations", Request.Method.POST, http.post("/api/admin/reconciliations", "application/json",
                "{\"from\":\"2026-11-20\"}", "Authorization", adminAuth()));
        String run = "/api/admin/reconciliations/" + reconciliation.json().path("id").asLong();
        await().atMost(Duration.ofSeconds(60)).until(() -> "DONE".equals(http.get(run, "Authorization", adminAuth()).json().path("state").asText()));
        check("/api/admin/reconciliations/1", Request.Method.GET, http.get(run, "Authorization", adminAuth()));
        check("/api/admin/reconciliations/1", Request.Method.GET, http.get("/api/admin/reconciliations/999999", "Authorization", adminAuth()));
        check("/api/admin/reconciliations", Request.Method.GET, http.get("/api/admin/reconciliations", "Authorization", adminAuth()));
        check("/api/admin/reconciliations/1/approve", Request.Method.POST,
                http.post(run + "/approve", "application/json", "", "Authorization", adminAuth()));
        check("/api/admin/warnings", Request.Method.GET, http.get("/api/admin/warnings?institutionNumber=" + s.path("instituteNo").asText(),
                "Authorization", adminAuth()));
        check("/api/admin/warnings", Request.Method.GET, http.get("/api/admin/warnings?institutionNumber=1&schoolYear=26",
                "Authorization", adminAuth()));
        check("/api/admin/resyncs", Request.Method.POST, http.post("/api/admin/resyncs", "application/json",
                "{\"institutionNumber\":\"" + s.path("instituteNo").asText() + "\",\"registrationNumber\":\"" + s.path("studentNo").asText()
                        + "\",\"from\":\"2026-11-20\",\"to\":\"2026-11-20\"}", "Authorization", adminAuth()));

        check("/api/admin/storage", Request.Method.GET, http.get("/api/admin/storage", "Authorization", adminAuth()));
        // a retention run in the shared database, with the clock on its school day: only what is older than the settings
        Http.Response retention = http.post("/api/admin/retention", "application/json", "", "Authorization", adminAuth());
        check("/api/admin/retention", Request.Method.POST, retention);
        String retentionRun = "/api/admin/retention/" + retention.json().path("id").asLong();
        await().atMost(Duration.ofSeconds(60)).until(() -> !"RUNNING".equals(
                http.get(retentionRun, "Authorization", adminAuth()).json().path("state").asText()));
        check("/api/admin/retention/1", Request.Method.GET, http.get(retentionRun, "Authorization", adminAuth()));
        check("/api/admin/retention/1", Request.Method.GET, http.get("/api/admin/retention/999999", "Authorization", adminAuth()));
        // a pupil the bridge holds nothing of: nothing erased, the erasure audited without the person
        check("/api/admin/pupils/000000/none", Request.Method.DELETE,
                http.delete("/api/admin/pupils/000000/none", "Authorization", adminAuth()));
        check("/api/admin/audit", Request.Method.GET, http.get("/api/admin/audit?institutionNumber=000000", "Authorization", adminAuth()));
    }
}
