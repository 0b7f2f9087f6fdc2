package be.absencebridge.vendor.smartschool;

import be.absencebridge.support.BridgeTest;
import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Smartschool partner contract, both halves over real HTTP: every write and settings read the bridge made and every
 * answer the simulator gave, checked against {@code contracts/smartschool-partner.yaml} with swagger-request-validator.
 */
class SmartschoolContractTest extends BridgeTest {

    @Test
    void theBridgesWritesAndReadsAndTheSimulatorsAnswersAreThoseOfThePartnerContract() throws Exception {
        OpenApiInteractionValidator contract = OpenApiInteractionValidator
                .createForInlineApiSpecification(Files.readString(Path.of("contracts", "smartschool-partner.yaml"))).build();
        JsonNode s = student("secundair", true, 9);
        String internal = internalNumberOf(s);
        // a code with a remark, and a clear (Smartschool gets the official presence for a compulsory pupil)
        informatRegister(s.path("personId").asText(), "2026-11-16", "VM", "B", "vergeten");
        await().atMost(Duration.ofSeconds(30)).until(() -> smartschoolCell(internal, "2026-11-16", "am") != null);
        clock.advance(Duration.ofMinutes(1));
        informatRegister(s.path("personId").asText(), "2026-11-16", "VM", null, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> "|".equals(smartschoolCell(internal, "2026-11-16", "am").path("code").asText()));

        List<JsonNode> calls = new ArrayList<>();
        // the partner endpoints' calls (the log also holds the public SOAP calls)
        http.get("/sim/smartschool/admin/interactions").json().forEach(i -> {
            if (i.path("path").asText().contains("/partner/")) {
                calls.add(i);
            }
        });
        // each platform serves the contract under its own address: the path after it is the contract's
        String platform = platformOf(internal);
        assertThat(calls.stream().map(i -> i.path("path").asText())).contains("/sim/smartschool/" + platform + "/partner/v1/absences",
                "/sim/smartschool/" + platform + "/partner/v1/settings");
        for (JsonNode i : calls) {
            SimpleRequest.Builder request = new SimpleRequest.Builder(i.path("method").asText(),
                    i.path("path").asText().replaceFirst("^/sim/smartschool/[^/]+", ""));
            if (i.hasNonNull("contentType")) {
                request.withContentType(i.path("contentType").asText());
            }
            if (i.hasNonNull("authorization")) {
                request.withAuthorization(i.path("authorization").asText());
            }
            if (!i.path("requestBody").asText().isEmpty()) {
                request.withBody(i.path("requestBody").asText());
            }
            SimpleResponse.Builder response = SimpleResponse.Builder.status(i.path("status").asInt());
            if (i.hasNonNull("responseContentType")) {
                response.withContentType(i.path("responseContentType").asText());
            }
            if (!i.path("responseBody").asText().isEmpty()) {
                response.withBody(i.path("responseBody").asText());
            }
            assertThat(contract.validate(request.build(), response.build()).getMessages())
                    .as("%s %s %s -> %s", i.path("method").asText(), i.path("path").asText(), i.path("requestBody").asText(),
                            i.path("status").asInt()).isEmpty();
        }
    }
}
