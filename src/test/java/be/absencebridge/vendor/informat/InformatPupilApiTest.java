package be.absencebridge.vendor.informat;

import be.absencebridge.support.BridgeTest;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The product's reads of Informat's older pupil API, against the simulator over HTTP: an error answer,
 * {@code {"errors":[{"code","message"}]}}, fails the read with the vendor's code, message and their kind, counted in
 * {@code bridge_vendor_errors_total} and said once in the log, without a pupil's data.
 */
class InformatPupilApiTest extends BridgeTest {

    @Autowired
    InformatPupilApi pupilApi;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void listen() {
        log.start();
        ((Logger) LoggerFactory.getLogger(InformatPupilApi.class)).addAppender(log);
    }

    @AfterEach
    void stopListening() {
        ((Logger) LoggerFactory.getLogger(InformatPupilApi.class)).detachAppender(log);
    }

    private InformatPupilApi.ErrorAnswer refused(String pathAndQuery, String institute) {
        InformatPupilApi.ErrorAnswer e = catchThrowableOfType(() -> pupilApi.read(pathAndQuery, institute),
                InformatPupilApi.ErrorAnswer.class);
        assertThat(e).as(pathAndQuery).isNotNull();
        return e;
    }

    private double errors(String code, String kind) {
        Matcher m = Pattern.compile("bridge_vendor_errors_total\\{code=\"" + code + "\",kind=\"" + kind
                + "\",platform=\"\",vendor=\"informat\"} ([0-9.]+)").matcher(http.get("/actuator/prometheus",
                "Authorization", adminAuth()).text());
        return m.find() ? Double.parseDouble(m.group(1)) : 0.0;
    }

    @Test
    void anErrorAnswerFailsTheReadWithTheVendorsCodeMessageAndKind() throws Exception {
        String institute = student("secundair", true).path("instituteNo").asText();
        double before = errors("BR034B", "bad_input");
        // a school year the API does not take: its own BR034B
        InformatPupilApi.ErrorAnswer badYear = refused("/1/students?schoolYear=2026", institute);
        assertThat(badYear.status()).isEqualTo(400);
        assertThat(badYear.code()).isEqualTo("BR034B");
        assertThat(badYear.kind()).isEqualTo(InformatPupilApi.Kind.BAD_INPUT);
        assertThat(badYear.vendorMessage()).contains("schoolYear");
        assertThat(badYear.getMessage()).contains("GET /1/students", institute, "400 BR034B", "bad input", badYear.vendorMessage())
                .doesNotContain("?schoolYear");
        assertThat(errors("BR034B", "bad_input")).isEqualTo(before + 1);

        // said once in the log until the institute's answer changes, with the code and the message
        refused("/1/students?schoolYear=2026", institute);
        assertThat(log.list).filteredOn(e -> e.getFormattedMessage().contains("BR034B")).hasSize(1);
        assertThat(log.list.get(0).getFormattedMessage()).contains("400 BR034B", badYear.vendorMessage());
        assertThat(errors("BR034B", "bad_input")).isEqualTo(before + 2);
        // a value not of its type: BR000, said as the institute's answer changed
        assertThat(refused("/1/registrations?schoolYear=2026-27&changedSince=yesterday", institute).code()).isEqualTo("BR000");
        assertThat(log.list).filteredOn(e -> e.getFormattedMessage().contains("BR000")).hasSize(1);
        // a read that works, then the same error again: said again
        assertThat(pupilApi.read("/1/registrations?schoolYear=2026-27", institute).path("registrations").size()).isPositive();
        refused("/1/students?schoolYear=2026", institute);
        assertThat(log.list).filteredOn(e -> e.getFormattedMessage().contains("BR034B")).hasSize(2);
    }

    @Test
    void theSingleStudentReadFindsAKnownStudentAndNamesAnUnknownIdAsNotFound() throws Exception {
        JsonNode s = student("secundair", true, 2);
        String institute = s.path("instituteNo").asText();
        JsonNode student = pupilApi.read("/1/students/" + s.path("personId").asText() + "?schoolYear=2026-27", institute)
                .path("student");
        assertThat(student.path("persoonId").asText()).isEqualTo(s.path("personId").asText());
        assertThat(student.path("inschrijvingsId").asText()).isNotBlank();

        String nobody = UUID.randomUUID().toString();
        InformatPupilApi.ErrorAnswer unknown = refused("/1/students/" + nobody, institute);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("DNF001");
        assertThat(unknown.kind()).isEqualTo(InformatPupilApi.Kind.NOT_FOUND);
        assertThat(unknown.vendorMessage()).isNotBlank();
        // the person id asked is in neither the error nor the log (the path names the read, not whom)
        assertThat(unknown.getMessage()).contains("GET /1/students/{id}", "404 DNF001").doesNotContain(nobody);
        assertThat(log.list).isNotEmpty().noneMatch(e -> e.getFormattedMessage().contains(nobody));
    }

    @Test
    void aRefusedInstituteIsACredentialAndARefusedTokenIsRenewedOnceBeforeItIs() {
        String institute = student("secundair", true).path("instituteNo").asText();
        http.postJson("/sim/informat/admin/pupil-api/error", Map.of("instituteNo", institute, "status", 403,
                "message", "Geen toegang tot deze instelling."));
        InformatPupilApi.ErrorAnswer scope = refused("/1/registrations?schoolYear=2026-27", institute);
        assertThat(scope.kind()).isEqualTo(InformatPupilApi.Kind.CREDENTIAL);
        assertThat(scope.code()).isNull();
        assertThat(scope.getMessage()).contains("403 (credential): Geen toegang tot deze instelling.");
        assertThat(log.list).anyMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR
                && e.getFormattedMessage().contains("Geen toegang tot deze instelling."));

        // a 401: a new token, the read once more; a second 401 is a credential
        http.postJson("/sim/informat/admin/pupil-api/error", Map.of("instituteNo", institute, "status", 401));
        InformatPupilApi.ErrorAnswer token = refused("/1/registrations?schoolYear=2026-27", institute);
        assertThat(token.status()).isEqualTo(401);
        assertThat(token.kind()).isEqualTo(InformatPupilApi.Kind.CREDENTIAL);
        java.util.List<Integer> answered = registrationReads();
        assertThat(answered.subList(answered.size() - 3, answered.size())).as("the 403, then the 401 and its one retry")
                .containsExactly(403, 401, 401);
    }

    /** The statuses of the older pupil API's registrations reads the simulator answered (its last ones), in order. */
    private java.util.List<Integer> registrationReads() {
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        for (JsonNode i : http.get("/sim/informat/admin/interactions").json()) {
            if (i.path("path").asText().endsWith("/informat-leerlingen/1/registrations")) {
                statuses.add(i.path("status").asInt());
            }
        }
        return statuses;
    }

    @Test
    void theErrorIsReadWhateverTheCaseOfItsNamesAndWithoutABody() {
        byte[] pascal = "{\"Errors\":[{\"Code\":\"BR035B\",\"Message\":\"Instellingsnummer\\nte kort.\"}]}".getBytes(StandardCharsets.UTF_8);
        InformatPupilApi.ErrorAnswer e = pupilApi.error(400, pascal, "GET /1/students for institute 12345");
        assertThat(e.code()).isEqualTo("BR035B");
        assertThat(e.vendorMessage()).isEqualTo("Instellingsnummer te kort.");
        assertThat(e.kind()).isEqualTo(InformatPupilApi.Kind.BAD_INPUT);
        InformatPupilApi.ErrorAnswer empty = pupilApi.error(503, new byte[0], "GET /1/students for institute 123456");
        assertThat(empty.code()).isNull();
        assertThat(empty.kind()).isEqualTo(InformatPupilApi.Kind.VENDOR_FAULT);
        assertThat(pupilApi.error(500, "<html>oops</html>".getBytes(StandardCharsets.UTF_8), "x").code()).isNull();
        // a code the public client does not list: its status decides
        assertThat(pupilApi.error(404, "{\"errors\":[{\"code\":\"XYZ123\",\"message\":\"?\"}]}".getBytes(StandardCharsets.UTF_8), "x")
                .kind()).isEqualTo(InformatPupilApi.Kind.NOT_FOUND);
    }
}
