package be.absencebridge.sim;

import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The older pupil API's errors in its own shape, {@code {"errors":[{"code","message"}]}}, with the codes the public client
 * lists for the students directory (kobavzw/informat-php-client {@code Directories/Students/ErrorCode.php}), and its
 * single-student read {@code 1/students/{id}}. The other simulators keep their own error shapes.
 */
class PupilApiErrorsTest extends SimulatorTest {

    private static final String API = "/sim/informat-leerlingen/1";

    private String token(String institute) {
        Http.Response r = http.post("/sim/identityserver/connect/token", "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=absence-bridge&client_secret=sim-informat-client-secret"
                        + "&scope=api_informat_sas_leerlingen.leerlingen." + institute);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().path("access_token").asText();
    }

    /** The answer's one error: the status, {@code application/json}, the code (null: none) and a message. */
    private static JsonNode error(Http.Response r, int status, String code) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode errors = r.json().path("errors");
        assertThat(errors.isArray()).as(r.text()).isTrue();
        assertThat(errors).hasSize(1);
        JsonNode e = errors.get(0);
        assertThat(e.has("code")).as(r.text()).isTrue();
        if (code == null) {
            assertThat(e.get("code").isNull()).as(r.text()).isTrue();
        } else {
            assertThat(e.path("code").asText()).as(r.text()).isEqualTo(code);
        }
        assertThat(e.path("message").asText()).as(r.text()).isNotBlank();
        // no problem body of the other simulators
        assertThat(r.json().has("detail")).isFalse();
        assertThat(r.json().has("validationErrors")).isFalse();
        return e;
    }

    @Test
    void everyErrorIsAnsweredInTheOlderApisShapeWithItsPublishedCode() {
        JsonNode s = student("secundair", true);
        String institute = s.path("instituteNo").asText();
        String bearer = "Bearer " + token(institute);
        for (String read : List.of("/students", "/registrations", "/students/" + s.path("personId").asText())) {
            // the token: missing, unknown (401, no code the client lists; the Bearer challenge)
            Http.Response none = http.get(API + read, "InstituteNo", institute);
            error(none, 401, null);
            assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
            error(http.get(API + read, "Authorization", "Bearer nonsense", "InstituteNo", institute), 401, null);
            // the institute: missing (BR035A), not 6 digits (BR035B), not in the token's scope (403)
            error(http.get(API + read, "Authorization", bearer), 400, "BR035A");
            error(http.get(API + read, "Authorization", bearer, "InstituteNo", "12345"), 400, "BR035B");
            String other = students().findValuesAsText("instituteNo").stream().filter(i -> !i.equals(institute)).findFirst().orElseThrow();
            error(http.get(API + read, "Authorization", bearer, "InstituteNo", other), 403, null);
            // the school year: not yyyy-yy (BR034B)
            for (String year : List.of("2026", "2026-2027", "next")) {
                error(http.get(API + read + "?schoolYear=" + year, "Authorization", bearer, "InstituteNo", institute), 400, "BR034B");
            }
        }
        // a value that is not of its type (BR000): changedSince, refdate
        String[] auth = {"Authorization", bearer, "InstituteNo", institute};
        assertThat(error(http.get(API + "/students?changedSince=yesterday", auth), 400, "BR000").path("message").asText())
                .contains("changedSince");
        assertThat(error(http.get(API + "/registrations?changedSince=2026-11-28T10:00:00", auth), 400, "BR000").path("message").asText())
                .contains("changedSince");
        assertThat(error(http.get(API + "/students?refdate=27/11/2026", auth), 400, "BR000").path("message").asText())
                .contains("refdate");
        assertThat(error(http.get(API + "/students/" + s.path("personId").asText() + "?refdate=soon", auth), 400, "BR000")
                .path("message").asText()).contains("refdate");

        // the other simulators keep their shapes: the Student API's problem, the partner endpoints' problem
        Http.Response studentApi = http.putJson("/sim/informat/api/v1/students/" + s.path("personId").asText() + "/absences",
                Map.of(), "instituteNo", institute);
        assertThat(studentApi.status()).isEqualTo(401);
        assertThat(studentApi.json().has("errors")).isFalse();
        assertThat(studentApi.json().path("traceId").asText()).isNotBlank();
        Http.Response partner = http.get("/sim/informat/partner/v1/students?schoolYear=next");
        assertThat(partner.status()).isEqualTo(400);
        assertThat(partner.json().has("errors")).isFalse();
        assertThat(partner.json().path("detail").asText()).contains("schoolYear");
    }

    @Test
    void theSingleStudentReadAnswersAKnownStudentAndRefusesAnUnknownIdAsPublished() {
        JsonNode s = student("secundair", true, 1);
        String institute = s.path("instituteNo").asText();
        String[] auth = {"Authorization", "Bearer " + token(institute), "InstituteNo", institute};
        String personId = s.path("personId").asText();

        Http.Response r = http.get(API + "/students/" + personId + "?schoolYear=2026-27&refdate=2026-11-27", auth);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode student = r.json().path("student");
        assertThat(student.fieldNames()).toIterable().contains("pPersoon", "persoonId", "naam", "voornaam", "geboortedatum",
                "inschrijvingsId");
        assertThat(student.path("persoonId").asText()).isEqualTo(personId);
        assertThat(student.path("geboortedatum").asText()).isEqualTo(s.path("dateOfBirth").asText());
        // the same student and registration as in the list
        JsonNode listed = null;
        for (JsonNode x : http.get(API + "/students?schoolYear=2026-27", auth).json().path("students")) {
            if (x.path("persoonId").asText().equals(personId)) {
                listed = x;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(student.path("pPersoon").asInt()).isEqualTo(listed.path("pPersoon").asInt());
        assertThat(student.path("inschrijvingsId").asText()).isEqualTo(listed.path("inschrijvingsId").asText());
        // without refdate and schoolYear: today in this school year; a reference date outside the year is moved into it
        assertThat(http.get(API + "/students/" + personId, auth).json().path("student").path("inschrijvingsId").asText())
                .isEqualTo(listed.path("inschrijvingsId").asText());
        assertThat(http.get(API + "/students/" + personId + "?schoolYear=2026-27&refdate=2026-07-15", auth).json()
                .path("student").path("inschrijvingsId").asText()).isEqualTo(listed.path("inschrijvingsId").asText());
        // the school year picks the registration, it does not limit the answer: a year without one, inschrijvingsId null
        JsonNode earlier = http.get(API + "/students/" + personId + "?schoolYear=2024-25", auth).json().path("student");
        assertThat(earlier.path("persoonId").asText()).isEqualTo(personId);
        assertThat(earlier.get("inschrijvingsId").isNull()).isTrue();

        // an id nobody has: 404 DNF001; an id that is no GUID: 400 BR000
        error(http.get(API + "/students/" + UUID.randomUUID(), auth), 404, "DNF001");
        error(http.get(API + "/students/not-a-guid", auth), 400, "BR000");
    }

    @Test
    void theControlMakesThePupilApiAnswerAnErrorOfItsOwnShapeUntilCleared() {
        JsonNode s = student("secundair", true);
        String institute = s.path("instituteNo").asText();
        String[] auth = {"Authorization", "Bearer " + token(institute), "InstituteNo", institute};
        Http.Response set = http.postJson("/sim/informat/admin/pupil-api/error",
                Map.of("instituteNo", institute, "status", 400, "code", "BR034B", "message", "Schooljaar onbekend."));
        assertThat(set.status()).as(set.text()).isEqualTo(200);
        assertThat(error(http.get(API + "/registrations?schoolYear=2026-27", auth), 400, "BR034B").path("message").asText())
                .isEqualTo("Schooljaar onbekend.");
        // the token is still checked first
        error(http.get(API + "/registrations", "InstituteNo", institute), 401, null);
        assertThat(http.postJson("/sim/informat/admin/pupil-api/error", Map.of("status", 200)).status()).isEqualTo(400);
        assertThat(http.postJson("/sim/informat/admin/pupil-api/error", Map.of("status", 400, "code", "bad code")).status())
                .isEqualTo(400);
        assertThat(http.postJson("/sim/informat/admin/pupil-api/error", Map.of()).status()).isEqualTo(200);
        assertThat(http.get(API + "/registrations?schoolYear=2026-27", auth).status()).isEqualTo(200);
    }
}
