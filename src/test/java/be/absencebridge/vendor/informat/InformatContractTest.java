package be.absencebridge.vendor.informat;

import be.absencebridge.support.BridgeTest;
import be.absencebridge.support.Http;
import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The two halves of the Informat contract, over real HTTP: every request the bridge's adapter sent to the Student API
 * and the partner endpoints, and every answer the simulator gave, checked against {@code contracts/} with Atlassian's
 * swagger-request-validator (the simulator records the calls: {@code admin/interactions}).
 */
class InformatContractTest extends BridgeTest {

    private static OpenApiInteractionValidator validator(String contract) throws Exception {
        return OpenApiInteractionValidator.createForInlineApiSpecification(Files.readString(Path.of("contracts", contract))).build();
    }

    private static Request request(JsonNode i) {
        SimpleRequest.Builder b = new SimpleRequest.Builder(i.path("method").asText(), i.path("path").asText());
        if (i.hasNonNull("contentType")) {
            b.withContentType(i.path("contentType").asText());
        }
        if (i.hasNonNull("instituteNo")) {
            b.withHeader("instituteNo", i.path("instituteNo").asText());
        }
        if (i.hasNonNull("authorization")) {
            b.withAuthorization(i.path("authorization").asText());
        }
        if (i.hasNonNull("query")) {
            for (String pair : i.path("query").asText().split("&")) {
                String[] kv = pair.split("=", 2);
                b.withQueryParam(kv[0], java.net.URLDecoder.decode(kv.length > 1 ? kv[1] : "", java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        if (!i.path("requestBody").asText().isEmpty()) {
            b.withBody(i.path("requestBody").asText());
        }
        return b.build();
    }

    private static SimpleResponse response(JsonNode i) {
        SimpleResponse.Builder b = SimpleResponse.Builder.status(i.path("status").asInt());
        if (i.hasNonNull("responseContentType")) {
            b.withContentType(i.path("responseContentType").asText());
        }
        if (!i.path("responseBody").asText().isEmpty()) {
            b.withBody(i.path("responseBody").asText());
        }
        return b.build();
    }

    private List<JsonNode> interactions(String pathPart) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode i : http.get("/sim/informat/admin/interactions").json()) {
            if (i.path("path").asText().contains(pathPart)) {
                out.add(i);
            }
        }
        return out;
    }

    @Test
    void theBridgesWritesAndTheSimulatorsAnswersAreThoseOfTheContracts() throws Exception {
        OpenApiInteractionValidator publicApi = validator("informat-student-api.yaml");
        OpenApiInteractionValidator partner = validator("informat-partner.yaml");
        JsonNode secondary = student("secundair", true, 7);
        JsonNode primary = student("lager", true, 7);
        String ss = internalNumberOf(secondary);
        // a code (public write), the same code again (204), a motivation (partner write), a clear (partner delete),
        // a primary pupil (partner write)
        smartschoolRegister(ss, "2026-11-16", "am", "Z", null, null);
        smartschoolRegister(ss, "2026-11-16", "pm", "B", null, "briefje");
        await().atMost(Duration.ofSeconds(30)).until(() -> informatCell(secondary.path("personId").asText(), "2026-11-16", "VM") != null
                && informatCell(secondary.path("personId").asText(), "2026-11-16", "NM") != null);
        clock.advance(Duration.ofMinutes(1));
        smartschoolRegister(ss, "2026-11-16", "pm", null, null, null);
        smartschoolRegister(internalNumberOf(primary), "2026-11-16", "am", "P", null, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> informatCell(secondary.path("personId").asText(), "2026-11-16", "NM") == null
                && informatCell(primary.path("personId").asText(), "2026-11-16", "VM") != null);

        List<JsonNode> publicCalls = interactions("/sim/informat/api/v1/students/" + secondary.path("personId").asText());
        List<JsonNode> partnerCalls = new ArrayList<>(interactions("/sim/informat/partner/v1/students/" + secondary.path("personId").asText()));
        partnerCalls.addAll(interactions("/sim/informat/partner/v1/students/" + primary.path("personId").asText()));
        assertThat(publicCalls).as("the code went through the public Student API").isNotEmpty();
        assertThat(partnerCalls.stream().map(i -> i.path("method").asText())).as("the motivation, the clear and the primary pupil")
                .contains("PUT", "DELETE");
        for (JsonNode i : publicCalls) {
            ValidationReport report = publicApi.validate(request(i), response(i));
            assertThat(report.getMessages()).as("%s %s -> %s", i.path("method").asText(), i.path("requestBody").asText(),
                    i.path("status").asInt()).isEmpty();
        }
        for (JsonNode i : partnerCalls) {
            assertThat(partner.validate(request(i), response(i)).getMessages()).as("%s %s -> %s", i.path("method").asText(),
                    i.path("requestBody").asText(), i.path("status").asInt()).isEmpty();
        }
        // the bridge's own reads of the partner endpoints, and their answers
        for (String read : new String[] {"/sim/informat/partner/v1/locations", "/sim/informat/partner/v1/students",
                "/sim/informat/partner/v1/absences/changes"}) {
            List<JsonNode> calls = interactions(read);
            if (read.endsWith("changes")) {
                poll("informat");
                calls = interactions(read);
            }
            assertThat(calls).as(read).isNotEmpty();
            JsonNode last = calls.get(calls.size() - 1);
            assertThat(partner.validate(request(last), response(last)).getMessages()).as(read).isEmpty();
        }
    }

    @Test
    void theSimulatorsErrorAnswersAreThoseOfThePublicContract() throws Exception {
        OpenApiInteractionValidator publicApi = validator("informat-student-api.yaml");
        JsonNode s = student("secundair", true, 8);
        String inst = s.path("instituteNo").asText();
        String token = http.post("/sim/identityserver/connect/token", "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=absence-bridge&client_secret=sim-informat-client-secret&scope=api_informat_sas_leerlingen.leerlingen."
                        + inst).json().path("access_token").asText();
        String path = "/sim/informat/api/v1/students/" + s.path("personId").asText() + "/absences";
        Map<String, Object> saturday = new HashMap<>(Map.of("schoolYear", "2026-27", "absenceCode", "Z", "date", "2026-11-28",
                "partOfDay", "VM", "locationIdDiscimus", s.path("locationIdDiscimus").asInt(), "timestamp", "2026-11-27T09:00:00"));
        Map<String, Object> future = new HashMap<>(saturday);
        future.put("date", "2026-11-27");
        future.put("timestamp", "2026-11-27T18:00:00");
        Http.Response conflict = http.putJson(path, saturday, "Authorization", "Bearer " + token, "instituteNo", inst);
        Http.Response invalid = http.putJson(path, future, "Authorization", "Bearer " + token, "instituteNo", inst);
        Http.Response unauthorised = http.putJson(path, saturday, "Authorization", "Bearer nope", "instituteNo", inst);
        assertThat(List.of(conflict.status(), invalid.status(), unauthorised.status())).containsExactly(409, 400, 401);
        for (JsonNode i : interactions(path)) {
            // the answers only: these requests are the test's own
            ValidationReport report = publicApi.validateResponse(i.path("path").asText(),
                    com.atlassian.oai.validator.model.Request.Method.valueOf(i.path("method").asText()), response(i));
            assertThat(report.getMessages()).as("%s -> %s %s", i.path("requestBody").asText(), i.path("status").asInt(),
                    i.path("responseBody").asText()).isEmpty();
        }
    }
}
