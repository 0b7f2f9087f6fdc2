package be.absencebridge.sim;

import be.absencebridge.exchange.receive.WebhookSignature;

import be.absencebridge.support.Http;
import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
 * Every Informat simulator endpoint of CONTRACTS.md: the identity server on its own prefix, the public Student API's
 * {@code PUT} with every status, code and error shape of the vendor's document, the older pupil API, the partner
 * endpoints and the controls.
 */
class InformatSimulatorContractTest extends SimulatorTest {

    private String token(String... institutes) {
        StringBuilder scope = new StringBuilder();
        for (String i : institutes) {
            scope.append(scope.isEmpty() ? "" : " ").append("api_informat_sas_leerlingen.leerlingen.").append(i);
        }
        Http.Response r = http.post("/sim/identityserver/connect/token", "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=absence-bridge&client_secret=sim-informat-client-secret&scope="
                        + scope.toString().replace(" ", "+"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().path("access_token").asText();
    }

    /** The public write's body: exactly the six fields of the vendor's document. */
    private static Map<String, Object> absence(JsonNode s, String code, String date, String part, String timestamp) {
        Map<String, Object> b = new HashMap<>();
        b.put("schoolYear", "2026-27");
        b.put("absenceCode", code);
        b.put("date", date);
        b.put("partOfDay", part);
        b.put("locationIdDiscimus", s.path("locationIdDiscimus").asInt());
        b.put("timestamp", timestamp);
        return b;
    }

    /** The public Student API's write. */
    private Http.Response put(JsonNode s, String token, Map<String, Object> body) {
        return http.putJson("/sim/informat/api/v1/students/" + s.path("personId").asText() + "/absences", body,
                "Authorization", "Bearer " + token, "instituteNo", s.path("instituteNo").asText());
    }

    /** The link's partner write (remark, every level). */
    private Http.Response partnerPut(JsonNode s, String token, Map<String, Object> body) {
        return http.putJson("/sim/informat/partner/v1/students/" + s.path("personId").asText() + "/absences", body,
                "Authorization", "Bearer " + token, "instituteNo", s.path("instituteNo").asText());
    }

    private static final String UUID = "[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}";

    @Test
    void tokenEndpointChecksClientScopeAndGrant() {
        String inst = students().get(0).path("instituteNo").asText();
        Http.Response ok = http.post("/sim/identityserver/connect/token", "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=absence-bridge&client_secret=sim-informat-client-secret&scope=api_informat_sas_leerlingen.leerlingen." + inst);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("token_type").asText()).isEqualTo("Bearer");
        assertThat(ok.json().path("expires_in").asLong()).isEqualTo(600);
        assertThat(ok.json().path("access_token").asText()).hasSizeGreaterThan(20);

        Http.Response wrongSecret = http.post("/sim/identityserver/connect/token", "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=absence-bridge&client_secret=nope&scope=api_informat_sas_leerlingen.leerlingen." + inst);
        assertThat(wrongSecret.status()).isEqualTo(400);
        assertThat(wrongSecret.json().path("error").asText()).isEqualTo("invalid_client");
        Http.Response wrongScope = http.post("/sim/identityserver/connect/token", "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=absence-bridge&client_secret=sim-informat-client-secret&scope=api_informat_sas_leerlingen.leerlingen.999999");
        assertThat(wrongScope.json().path("error").asText()).isEqualTo("invalid_scope");
        Http.Response wrongGrant = http.post("/sim/identityserver/connect/token", "application/x-www-form-urlencoded",
                "grant_type=password&client_id=absence-bridge&client_secret=sim-informat-client-secret");
        assertThat(wrongGrant.json().path("error").asText()).isEqualTo("unsupported_grant_type");
    }

    @Test
    void putAnswersTheAbsencesIdTheEmptyGuidOnUpdateOrNothingWhenUnchanged() {
        JsonNode s = student("secundair", true);
        String token = token(s.path("instituteNo").asText());
        Http.Response created = put(s, token, absence(s, "Z", "2026-11-26", "VM", "2026-11-26T09:00:00"));
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().isTextual()).as("a JSON string: " + created.text()).isTrue();
        assertThat(created.json().asText()).matches(UUID).isNotEqualTo("00000000-0000-0000-0000-000000000000");
        assertThat(put(s, token, absence(s, "Z", "2026-11-26", "VM", "2026-11-26T09:30:00")).status()).isEqualTo(204);
        // a subcode of the institute is accepted as it is; an update answers the empty GUID
        Http.Response updated = put(s, token, absence(s, "Z01", "2026-11-26", "VM", "2026-11-26T10:00:00"));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().asText()).isEqualTo("00000000-0000-0000-0000-000000000000");
        // the API does not protect its own writes: an older registration through the API is stored (ordering is the client's job)
        assertThat(put(s, token, absence(s, "B", "2026-11-26", "VM", "2026-11-26T09:10:00")).status()).isEqualTo(200);
        JsonNode stored = http.get("/sim/informat/admin/register?date=2026-11-26").json();
        assertThat(stored.size()).isEqualTo(1);
        assertThat(stored.get(0).path("absenceCode").asText()).isEqualTo("B");
        assertThat(stored.get(0).path("registeredBy").asText()).isEqualTo("absence-bridge");
    }

    @Test
    void mna007OnlyOverANewerRegistrationMadeInInformatItself() {
        JsonNode s = student("secundair", true);
        String token = token(s.path("instituteNo").asText());
        http.postJson("/sim/informat/admin/register", Map.of("personId", s.path("personId").asText(), "date", "2026-11-26",
                "partOfDay", "NM", "absenceCode", "P", "timestamp", "2026-11-26T14:00:00+01:00"));
        Http.Response older = put(s, token, absence(s, "B", "2026-11-26", "NM", "2026-11-26T13:00:00"));
        assertThat(older.status()).isEqualTo(409);
        // the vendor document's error body: application/json, an RFC 7231 type, a traceId (problemJson: off)
        assertThat(older.header("Content-Type")).startsWith("application/json");
        assertThat(older.json().path("type").asText()).isEqualTo("https://tools.ietf.org/html/rfc7231#section-6.5.8");
        assertThat(older.json().path("title").asText()).isEqualTo("Conflict");
        assertThat(older.json().path("traceId").asText()).isNotBlank();
        JsonNode problem = older.json();
        assertThat(problem.path("status").asInt()).isEqualTo(409);
        assertThat(problem.path("validationErrors").get(0).path("code").asText()).isEqualTo("MNA007");
        assertThat(problem.path("validationErrors").get(0).path("name").asText()).isEqualTo("timestamp");
        assertThat(problem.path("validationErrors").get(0).path("reason").asText()).isNotBlank();
        assertThat(put(s, token, absence(s, "B", "2026-11-26", "NM", "2026-11-26T14:30:00")).status()).isEqualTo(200);
    }

    @Test
    void putRefusesWithEveryCodeOfTheDocument() {
        JsonNode s = student("secundair", true);
        String inst = s.path("instituteNo").asText();
        String token = token(inst);
        String ts = "2026-11-26T09:00:00";
        assertThat(put(s, token, absence(s, "Z", "2026-11-28", "VM", ts)).errorCode()).as("Saturday").isEqualTo("DNF009");
        assertThat(put(s, token, absence(s, "Z", "2026-11-25", "NM", ts)).errorCode()).as("Wednesday afternoon").isEqualTo("DNF009");
        assertThat(put(s, token, absence(s, "Z", "2026-11-03", "VM", ts)).errorCode()).as("autumn holiday").isEqualTo("DNF009");
        assertThat(put(s, token, absence(s, "|", "2026-11-26", "VM", ts)).errorCode()).as("presence, compulsory").isEqualTo("DNF010");
        assertThat(put(s, token, absence(s, "A", "2026-11-26", "VM", ts)).errorCode()).as("A, compulsory").isEqualTo("DNF010");
        assertThat(put(s, token, absence(s, "QQ", "2026-11-26", "VM", ts)).errorCode()).as("unknown code").isEqualTo("DNF010");
        Map<String, Object> noSuchLocation = absence(s, "Z", "2026-11-26", "VM", ts);
        noSuchLocation.put("locationIdDiscimus", 1);
        assertThat(put(s, token, noSuchLocation).errorCode()).isEqualTo("DNF008");
        int otherBranch = 0;
        for (JsonNode l : http.get("/sim/informat/admin/locations").json()) {
            if (l.path("instituteNo").asText().equals(inst) && l.path("locationIdDiscimus").asInt() != s.path("locationIdDiscimus").asInt()) {
                otherBranch = l.path("locationIdDiscimus").asInt();
            }
        }
        Map<String, Object> otherLocation = absence(s, "Z", "2026-11-26", "VM", ts);
        otherLocation.put("locationIdDiscimus", otherBranch);
        assertThat(put(s, token, otherLocation).errorCode()).as("enrolled at another branch").isEqualTo("DNF011");
        JsonNode primary = student("lager", true);
        assertThat(put(primary, token(primary.path("instituteNo").asText()), absence(primary, "Z", "2026-11-26", "VM", ts)).errorCode())
                .as("the public API covers secondary education only").isEqualTo("DNF011");

        Http.Response unknown = http.putJson("/sim/informat/api/v1/students/00000000-0000-4000-8000-000000000000/absences",
                absence(s, "Z", "2026-11-26", "VM", ts), "Authorization", "Bearer " + token, "instituteNo", inst);
        assertThat(unknown.status()).isEqualTo(409);
        assertThat(unknown.errorCode()).isEqualTo("DNF002");

        Map<String, String> missing = new HashMap<>();
        missing.put("schoolYear", "BR034A");
        missing.put("absenceCode", "BR050");
        missing.put("date", "BR051A");
        missing.put("partOfDay", "BR052");
        missing.put("timestamp", "BR053A");
        for (Map.Entry<String, String> e : missing.entrySet()) {
            Map<String, Object> body = absence(s, "Z", "2026-11-26", "VM", ts);
            body.remove(e.getKey());
            Http.Response r = put(s, token, body);
            assertThat(r.status()).as(e.getKey()).isEqualTo(400);
            assertThat(r.errorCode()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(r.json().path("validationErrors").get(0).path("name").asText()).isEqualTo(e.getKey());
        }
        Map<String, Object> noLocation = absence(s, "Z", "2026-11-26", "VM", ts);
        noLocation.remove("locationIdDiscimus");
        Http.Response r = put(s, token, noLocation);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("validationErrors").get(0).path("name").asText()).isEqualTo("locationIdDiscimus");
        assertThat(r.json().path("validationErrors").get(0).path("code").isNull()).as("the document gives it no code").isTrue();
        Map<String, Object> badYear = absence(s, "Z", "2026-11-26", "VM", ts);
        badYear.put("schoolYear", "2026-2027");
        assertThat(put(s, token, badYear).errorCode()).isEqualTo("BR034B");
        badYear.put("schoolYear", "2025-26");
        assertThat(put(s, token, badYear).errorCode()).as("the date is outside that school year").isEqualTo("BR051B");
        assertThat(put(s, token, absence(s, "Z", "2026-11-26", "XM", ts)).errorCode()).isEqualTo("BR052B");
        // every field error at once, in the document's problem shape
        Map<String, Object> empty = new HashMap<>();
        Http.Response all = put(s, token, empty);
        assertThat(all.status()).isEqualTo(400);
        assertThat(all.json().path("title").asText()).isEqualTo("One or more validation errors occurred.");
        List<String> codes = new ArrayList<>();
        all.json().path("validationErrors").forEach(v -> codes.add(v.path("code").asText(null)));
        assertThat(codes).contains("BR034A", "BR050", "BR051A", "BR052", "BR053A");
    }

    @Test
    void thePartnerWriteCarriesTheRemarkAndEveryLevelAndClearsUnderTheSameRules() {
        JsonNode s = student("lager", true);
        String inst = s.path("instituteNo").asText();
        String token = token(inst);
        Map<String, Object> body = absence(s, "Z", "2026-11-26", "VM", "2026-11-26T09:00:00+01:00");
        body.put("remark", "briefje van de ouders");
        assertThat(partnerPut(s, token, body).status()).isEqualTo(200);
        JsonNode stored = http.get("/sim/informat/admin/register?date=2026-11-26").json();
        assertThat(stored.get(0).path("remark").asText()).isEqualTo("briefje van de ouders");
        body.put("remark", "x".repeat(501));
        assertThat(partnerPut(s, token, body).status()).isEqualTo(400);

        String path = "/sim/informat/partner/v1/students/" + s.path("personId").asText() + "/absences";
        String[] auth = {"Authorization", "Bearer " + token, "instituteNo", inst};
        assertThat(http.delete(path + "?date=2026-11-26&partOfDay=NM&timestamp=2026-11-26T09:00:00%2B01:00", auth).status())
                .as("nothing to clear").isEqualTo(204);
        assertThat(http.delete(path + "?date=2026-11-26&partOfDay=VM&timestamp=2026-11-26T10:00:00%2B01:00", auth).status()).isEqualTo(200);
        assertThat(http.get("/sim/informat/admin/register?date=2026-11-26").json().size()).isZero();
        Http.Response missing = http.delete(path + "?date=2026-11-26&partOfDay=VM", auth);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.errorCode()).isEqualTo("BR053A");
        // a person's newer registration in Informat itself is protected from the link's clear too
        http.postJson("/sim/informat/admin/register", Map.of("personId", s.path("personId").asText(), "date", "2026-11-26",
                "partOfDay", "VM", "absenceCode", "P", "timestamp", "2026-11-26T11:00:00+01:00"));
        Http.Response older = http.delete(path + "?date=2026-11-26&partOfDay=VM&timestamp=2026-11-26T10:30:00%2B01:00", auth);
        assertThat(older.status()).isEqualTo(409);
        assertThat(older.errorCode()).isEqualTo("MNA007");
    }

    @Test
    void futureTimestampIsJudgedInWesternEuropeanTime() {
        JsonNode s = student("secundair", true);
        String token = token(s.path("instituteNo").asText());
        // the clock says 12:00 in Brussels (11:00 UTC)
        Http.Response future = put(s, token, absence(s, "Z", "2026-11-27", "VM", "2026-11-27T12:30:00+01:00"));
        assertThat(future.status()).isEqualTo(400);
        assertThat(future.errorCode()).isEqualTo("BR053B");
        // without an offset the time is Brussels time: 12:30 local is still in the future, 11:30 local is not
        assertThat(put(s, token, absence(s, "Z", "2026-11-27", "VM", "2026-11-27T12:30:00")).errorCode()).isEqualTo("BR053B");
        assertThat(put(s, token, absence(s, "Z", "2026-11-27", "VM", "2026-11-27T11:30:00")).status()).isEqualTo(200);
        // 11:30Z is 12:30 in Brussels: future
        assertThat(put(s, token, absence(s, "Z", "2026-11-27", "NM", "2026-11-27T11:30:00Z")).errorCode()).isEqualTo("BR053B");
    }

    @Test
    void tokensAreRequiredScopedAndExpire() {
        JsonNode s = student("secundair", true);
        String inst = s.path("instituteNo").asText();
        Map<String, Object> body = absence(s, "Z", "2026-11-26", "VM", "2026-11-26T09:00:00");
        String path = "/sim/informat/api/v1/students/" + s.path("personId").asText() + "/absences";

        Http.Response none = http.putJson(path, body, "instituteNo", inst);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(http.putJson(path, body, "Authorization", "Bearer made-up", "instituteNo", inst).status()).isEqualTo(401);

        String other = null;
        for (JsonNode x : students()) {
            if (!x.path("instituteNo").asText().equals(inst)) {
                other = x.path("instituteNo").asText();
                break;
            }
        }
        Http.Response forbidden = http.putJson(path, body, "Authorization", "Bearer " + token(other), "instituteNo", inst);
        assertThat(forbidden.status()).isEqualTo(403);

        String token = token(inst);
        assertThat(http.putJson(path, body, "Authorization", "Bearer " + token, "instituteNo", inst).status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(601));
        Http.Response expired = http.putJson(path, body, "Authorization", "Bearer " + token, "instituteNo", inst);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().path("detail").asText()).contains("expired");
    }

    @Test
    void changeFeedIsInCommitOrderWithAStableCursor() {
        JsonNode s = student("lager", true);
        String token = token(s.path("instituteNo").asText());
        String[] dates = {"2026-11-23", "2026-11-24", "2026-11-26"};
        for (String d : dates) {
            partnerPut(s, token, absence(s, "Z", d, "VM", d + "T09:00:00+01:00"));
        }
        http.delete("/sim/informat/partner/v1/students/" + s.path("personId").asText()
                        + "/absences?date=2026-11-24&partOfDay=VM&timestamp=2026-11-24T10:00:00%2B01:00",
                "Authorization", "Bearer " + token, "instituteNo", s.path("instituteNo").asText());

        JsonNode first = http.get("/sim/informat/partner/v1/absences/changes?limit=2").json();
        assertThat(first.path("items").size()).isEqualTo(2);
        assertThat(first.path("items").get(0).path("date").asText()).isEqualTo("2026-11-23");
        assertThat(first.path("items").get(0).fieldNames()).toIterable().contains("personId", "studentNo", "instituteNo",
                "locationIdDiscimus", "date", "partOfDay", "absenceCode", "remark", "timestamp", "deleted", "registeredBy");
        String cursor = first.path("next").asText();
        JsonNode second = http.get("/sim/informat/partner/v1/absences/changes?limit=10&since=" + cursor).json();
        JsonNode again = http.get("/sim/informat/partner/v1/absences/changes?limit=10&since=" + cursor).json();
        assertThat(second).isEqualTo(again);
        assertThat(second.path("items").size()).isEqualTo(2);
        assertThat(second.path("items").get(1).path("deleted").asBoolean()).isTrue();
        assertThat(second.path("items").get(1).path("absenceCode").isNull()).isTrue();
        JsonNode end = http.get("/sim/informat/partner/v1/absences/changes?since=" + second.path("next").asText()).json();
        assertThat(end.path("items").size()).isZero();
        assertThat(end.path("next").asText()).isEqualTo(second.path("next").asText());

        assertThat(http.get("/sim/informat/partner/v1/absences/changes?since=garbage!").status()).isEqualTo(400);
        assertThat(http.get("/sim/informat/partner/v1/absences/changes?limit=0").status()).isEqualTo(400);
        assertThat(http.get("/sim/informat/partner/v1/absences/changes?limit=abc").status()).isEqualTo(400);
    }

    @Test
    void studentsLocationsAndCalendar() {
        JsonNode students = students();
        assertThat(students.size()).isEqualTo(200);
        assertThat(students.get(0).fieldNames()).toIterable().contains("personId", "studentNo", "instituteNo",
                "locationIdDiscimus", "dateOfBirth", "level", "startDate", "endDate");
        assertThat(http.get("/sim/informat/partner/v1/students").json()).isEqualTo(students);
        assertThat(http.get("/sim/informat/partner/v1/students?schoolYear=2030-31").json().size()).isZero();

        JsonNode locations = http.get("/sim/informat/partner/v1/locations").json();
        assertThat(http.get("/sim/informat/admin/locations").json()).isEqualTo(locations);
        assertThat(locations.size()).isEqualTo(4);
        JsonNode l = locations.get(0);
        assertThat(l.path("smartschoolLink").asBoolean()).isTrue();
        assertThat(l.path("exchangeAbsences").asBoolean()).isTrue();
        assertThat(l.path("discimusActive").asBoolean()).isTrue();
        assertThat(l.path("subcodes").toString()).contains("\"subcode\":\"R03\"", "\"mainCode\":\"R\"", "\"subcode\":\"Z01\"");
        // with a token, a read covers the token's institutes only
        String inst = l.path("instituteNo").asText();
        JsonNode scoped = http.get("/sim/informat/partner/v1/locations", "Authorization", "Bearer " + token(inst)).json();
        assertThat(scoped.size()).isEqualTo(2);
        scoped.forEach(x -> assertThat(x.path("instituteNo").asText()).isEqualTo(inst));

        JsonNode changed = http.putJson("/sim/informat/admin/settings",
                Map.of("locationIdDiscimus", l.path("locationIdDiscimus").asInt(), "exchangeAbsences", false, "discimusActive", false)).json();
        assertThat(changed.get(0).path("exchangeAbsences").asBoolean()).isFalse();
        assertThat(changed.get(0).path("smartschoolLink").asBoolean()).isTrue();
        assertThat(http.putJson("/sim/informat/admin/settings", Map.of("locationIdDiscimus", 1, "exchangeAbsences", false)).status()).isEqualTo(404);

        JsonNode calendar = http.get("/sim/informat/partner/v1/calendar?schoolYear=2026-27").json();
        assertThat(http.get("/sim/informat/admin/calendar?schoolYear=2026-27").json()).isEqualTo(calendar);
        assertThat(calendar.get(0).path("date").asText()).isEqualTo("2026-09-01");
        assertThat(calendar.get(0).path("partOfDay").asText()).isEqualTo("VM");
        List<String> slots = new ArrayList<>();
        calendar.forEach(c -> slots.add(c.path("date").asText() + c.path("partOfDay").asText()));
        assertThat(slots).doesNotContain("2026-11-28VM", "2026-11-25NM", "2026-11-11VM", "2026-12-24VM", "2027-02-09VM",
                "2027-04-01VM", "2027-05-06VM", "2027-05-07VM", "2027-05-17VM");
        assertThat(slots).contains("2026-11-25VM", "2026-11-26NM", "2027-06-30VM");
        List<String> dates = new ArrayList<>();
        calendar.forEach(c -> dates.add(c.path("date").asText()));
        assertThat(dates).isSorted();
        assertThat(calendar.size()).isEqualTo(be.absencebridge.domain.FlemishSchoolCalendarTest.EXPECTED_HALF_DAYS_2026_27);
    }

    @Test
    void pushesAreSignedAndFollowTheBranchSwitches() throws Exception {
        JsonNode s = student("lager", true);
        Map<String, Object> reg = new HashMap<>();
        reg.put("personId", s.path("personId").asText());
        reg.put("date", "2026-11-27");
        reg.put("partOfDay", "VM");
        reg.put("absenceCode", "R03");
        reg.put("remark", "begrafenis");
        assertThat(http.postJson("/sim/informat/admin/register", reg).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> PUSHES.pushes("/api/inbound/informat").size() == 1);
        var push = PUSHES.pushes("/api/inbound/informat").get(0);
        assertThat(push.timestamp()).isEqualTo(Long.toString(clock.instant().getEpochSecond()));
        new WebhookSignature("sim-informat-webhook-secret").verify(push.body(), push.timestamp(), push.signature(),
                clock.instant(), Duration.ofMinutes(5));
        JsonNode e = Http.JSON.readTree(push.body());
        assertThat(e.path("eventId").asText()).isNotBlank();
        assertThat(e.path("absenceCode").asText()).isEqualTo("R03");
        assertThat(e.path("remark").asText()).isEqualTo("begrafenis");
        assertThat(e.path("studentNo").asText()).isEqualTo(s.path("studentNo").asText());
        assertThat(e.path("timestamp").asText()).isEqualTo("2026-11-27T12:00+01:00");
        assertThat(e.path("deleted").asBoolean()).isFalse();
        assertThat(e.path("registeredBy").asText()).isEqualTo("secretariaat");

        http.putJson("/sim/informat/admin/settings", Map.of("locationIdDiscimus", s.path("locationIdDiscimus").asInt(), "exchangeAbsences", false));
        reg.put("partOfDay", "NM");
        http.postJson("/sim/informat/admin/register", reg);
        http.putJson("/sim/informat/admin/settings", Map.of("locationIdDiscimus", s.path("locationIdDiscimus").asInt(), "exchangeAbsences", true));
        reg.put("absenceCode", null);
        reg.put("partOfDay", "VM");
        http.postJson("/sim/informat/admin/register", reg);
        await().atMost(Duration.ofSeconds(10)).until(() -> PUSHES.pushes("/api/inbound/informat").size() >= 2);
        assertThat(PUSHES.pushes("/api/inbound/informat")).hasSize(2);
        assertThat(Http.JSON.readTree(PUSHES.pushes("/api/inbound/informat").get(1).body()).path("deleted").asBoolean()).isTrue();
        // the feed holds all three changes, pushed or not
        assertThat(http.get("/sim/informat/partner/v1/absences/changes").json().path("items").size()).isEqualTo(3);

        // the link's own write is in the feed but not pushed back to it (the partner contract); a person's after it is
        String token = token(s.path("instituteNo").asText());
        assertThat(partnerPut(s, token, absence(s, "Z", "2026-11-26", "VM", "2026-11-26T10:00:00")).status()).isEqualTo(200);
        reg.put("date", "2026-11-26");
        reg.put("partOfDay", "NM");
        reg.put("absenceCode", "B");
        http.postJson("/sim/informat/admin/register", reg);
        await().atMost(Duration.ofSeconds(10)).until(() -> PUSHES.pushes("/api/inbound/informat").size() >= 3);
        assertThat(PUSHES.pushes("/api/inbound/informat")).extracting(x -> Http.JSON.readTree(x.body()).path("registeredBy").asText())
                .containsOnly("secretariaat");
        assertThat(http.get("/sim/informat/partner/v1/absences/changes").json().path("items").size()).isEqualTo(5);
        // a vendor that echoes (the simulator's "echo"): the link's write comes back under its client
        http.postJson("/sim/informat/admin/faults", Map.of("echo", true));
        assertThat(partnerPut(s, token, absence(s, "P", "2026-11-25", "VM", "2026-11-25T10:00:00")).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> PUSHES.pushes("/api/inbound/informat").size() == 4);
        assertThat(Http.JSON.readTree(PUSHES.pushes("/api/inbound/informat").get(3).body()).path("registeredBy").asText())
                .isEqualTo("absence-bridge");
    }

    @Test
    void kindergartenPresenceOnlyForNonCompulsoryPupils() {
        JsonNode kleuter = student("kleuter", false);
        String token = token(kleuter.path("instituteNo").asText());
        // the partner write (the public API covers secondary education only)
        assertThat(partnerPut(kleuter, token, absence(kleuter, "|", "2026-11-26", "VM", "2026-11-26T09:00:00+01:00")).status()).isEqualTo(200);
        assertThat(partnerPut(kleuter, token, absence(kleuter, "A", "2026-11-26", "NM", "2026-11-26T13:00:00+01:00")).status()).isEqualTo(200);
        assertThat(partnerPut(kleuter, token, absence(kleuter, "B", "2026-11-24", "NM", "2026-11-24T13:00:00+01:00")).errorCode()).isEqualTo("DNF010");
    }

    @Test
    void theOlderPupilApiReadsStudentsAndRegistrationsWithTheFieldNamesOfItsPublicClient() {
        JsonNode s = student("secundair", true);
        String inst = s.path("instituteNo").asText();
        String[] auth = {"Authorization", "Bearer " + token(inst), "InstituteNo", inst};
        assertThat(http.get("/sim/informat-leerlingen/1/students?schoolYear=2026-27").status()).as("no token").isEqualTo(401);
        JsonNode students = http.get("/sim/informat-leerlingen/1/students?schoolYear=2026-27", auth).json().path("students");
        assertThat(students.size()).isEqualTo(100);
        assertThat(students.get(0).fieldNames()).toIterable().contains("pPersoon", "persoonId", "naam", "voornaam", "geboortedatum");
        JsonNode registrations = http.get("/sim/informat-leerlingen/1/registrations?schoolYear=2026-27", auth).json().path("registrations");
        JsonNode mine = null;
        for (JsonNode r : registrations) {
            if (r.path("persoonId").asText().equals(s.path("personId").asText())) {
                mine = r;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.path("stamnr").asText()).isEqualTo(s.path("studentNo").asText());
        assertThat(mine.path("instelnr").asText()).isEqualTo(inst);
        assertThat(mine.path("hfdstructuur").asText()).isEqualTo("311");
        assertThat(mine.path("begindatum").asText()).isEqualTo("2026-09-01");
        assertThat(mine.path("status").asInt()).isZero();
        assertThat(mine.path("inschrKlassen").get(0).path("groepType").asInt()).isZero();
        String other = inst.equals(students().get(0).path("instituteNo").asText()) ? null : students().get(0).path("instituteNo").asText();
        if (other != null) {
            assertThat(http.get("/sim/informat-leerlingen/1/students", "Authorization", auth[1], "InstituteNo", other).status()).isEqualTo(403);
        }
    }

    private static final String REGISTER = "/sim/informat/partner/v1/absences";

    /** The partner register read over HTTP, its answer (and, with {@code wholeCall}, its request) checked against the contract. */
    private Http.Response registerRead(OpenApiInteractionValidator contract, boolean wholeCall, String query, String... headers) {
        Http.Response r = http.get(REGISTER + (query.isEmpty() ? "" : "?" + query), headers);
        SimpleResponse.Builder answer = SimpleResponse.Builder.status(r.status());
        if (r.header("Content-Type") != null) {
            answer.withContentType(r.header("Content-Type"));
        }
        if (r.body().length > 0) {
            answer.withBody(r.text());
        }
        if (wholeCall) {
            SimpleRequest.Builder request = new SimpleRequest.Builder("GET", REGISTER);
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                request.withQueryParam(kv[0], URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
            }
            for (int i = 0; i + 1 < headers.length; i += 2) {
                if (headers[i].equals("Authorization")) {
                    request.withAuthorization(headers[i + 1]);
                } else {
                    request.withHeader(headers[i], headers[i + 1]);
                }
            }
            assertThat(contract.validate(request.build(), answer.build()).getMessages()).as("%s -> %s %s", query, r.status(), r.text()).isEmpty();
        } else {
            assertThat(contract.validateResponse(REGISTER, Request.Method.GET, answer.build()).getMessages())
                    .as("%s -> %s %s", query, r.status(), r.text()).isEmpty();
        }
        return r;
    }

    private static Map<String, Object> registration(JsonNode s, String part, String code, String remark, String timestamp) {
        Map<String, Object> r = new HashMap<>();
        r.put("personId", s.path("personId").asText());
        r.put("date", "2026-11-26");
        r.put("partOfDay", part);
        r.put("absenceCode", code);
        r.put("remark", remark);
        r.put("timestamp", timestamp);
        return r;
    }

    @Test
    void theRegisterOfADayAsItStandsWithSilentCorrectionsAndClears() throws Exception {
        OpenApiInteractionValidator contract = OpenApiInteractionValidator
                .createForInlineApiSpecification(Files.readString(Path.of("contracts", "informat-partner.yaml"))).build();
        JsonNode s = student("lager", true);
        String inst = s.path("instituteNo").asText();
        int location = s.path("locationIdDiscimus").asInt();
        JsonNode neighbour = null;
        JsonNode elsewhere = null;
        for (JsonNode x : students()) {
            if (x.path("instituteNo").asText().equals(inst) && x.path("locationIdDiscimus").asInt() != location
                    && !x.path("level").asText().equals("kleuter") && x.path("startDate").asText().equals("2026-09-01")
                    && x.path("endDate").isNull() && neighbour == null) {
                neighbour = x;
            } else if (!x.path("instituteNo").asText().equals(inst) && elsewhere == null) {
                elsewhere = x;
            }
        }
        assertThat(neighbour).as("a pupil of another branch of the institute").isNotNull();
        assertThat(elsewhere).as("a pupil of another institute").isNotNull();
        String token = token(inst);
        String[] auth = {"Authorization", "Bearer " + token, "instituteNo", inst};

        // the link's write of the morning (a primary pupil: the partner write), a person's of the afternoon, a neighbour's
        Map<String, Object> morning = absence(s, "Z", "2026-11-26", "VM", "2026-11-26T09:00:00");
        morning.put("remark", "griep");
        assertThat(partnerPut(s, token, morning).status()).isEqualTo(200);
        assertThat(http.postJson("/sim/informat/admin/register", registration(s, "NM", "B", null, "2026-11-26T13:30:00+01:00")).status())
                .isEqualTo(200);
        assertThat(http.postJson("/sim/informat/admin/register", registration(neighbour, "VM", "P", null, "2026-11-26T08:40:00+01:00"))
                .status()).isEqualTo(200);
        JsonNode asWritten = registerRead(contract, true, "date=2026-11-26&locationIdDiscimus=" + location, auth).json();
        assertThat(asWritten.size()).isEqualTo(2);
        assertThat(asWritten.get(0).path("partOfDay").asText()).isEqualTo("VM");
        assertThat(asWritten.get(0).path("absenceCode").asText()).isEqualTo("Z");
        assertThat(asWritten.get(0).path("remark").asText()).isEqualTo("griep");
        assertThat(asWritten.get(0).path("registeredBy").asText()).isEqualTo("absence-bridge");
        assertThat(asWritten.get(1).path("absenceCode").asText()).isEqualTo("B");
        String cursor = http.get("/sim/informat/partner/v1/absences/changes?limit=1000").json().path("next").asText();

        // a silent correction of the morning inside Informat, then a person clears the afternoon
        Map<String, Object> silent = registration(s, "VM", "R03", "begrafenis", "2026-11-26T15:00:00+01:00");
        silent.put("silent", true);
        silent.put("registeredBy", "helpdesk");
        assertThat(http.postJson("/sim/informat/admin/register", silent).status()).isEqualTo(200);
        assertThat(http.get("/sim/informat/partner/v1/absences/changes?since=" + cursor).json().path("items").size())
                .as("the silent correction is not in the change feed").isZero();
        assertThat(http.postJson("/sim/informat/admin/register", registration(s, "NM", null, null, "2026-11-26T16:00:00+01:00")).status())
                .isEqualTo(200);

        JsonNode branch = registerRead(contract, true, "date=2026-11-26&locationIdDiscimus=" + location, auth).json();
        assertThat(branch.size()).as(branch.toString()).isEqualTo(1);
        JsonNode e = branch.get(0);
        assertThat(e.path("personId").asText()).isEqualTo(s.path("personId").asText());
        assertThat(e.path("studentNo").asText()).isEqualTo(s.path("studentNo").asText());
        assertThat(e.path("instituteNo").asText()).isEqualTo(inst);
        assertThat(e.path("locationIdDiscimus").asInt()).isEqualTo(location);
        assertThat(e.path("date").asText()).isEqualTo("2026-11-26");
        assertThat(e.path("partOfDay").asText()).isEqualTo("VM");
        assertThat(e.path("absenceCode").asText()).isEqualTo("R03");
        assertThat(e.path("remark").asText()).isEqualTo("begrafenis");
        assertThat(e.path("timestamp").asText()).isEqualTo("2026-11-26T15:00+01:00");
        assertThat(e.path("registeredBy").asText()).isEqualTo("helpdesk");
        // the whole institute: both branches; the same through the query's instituteNo and through both parameters
        JsonNode institute = registerRead(contract, true, "date=2026-11-26&instituteNo=" + inst, auth).json();
        assertThat(institute.size()).isEqualTo(2);
        List<String> people = new ArrayList<>();
        institute.forEach(x -> people.add(x.path("personId").asText() + x.path("partOfDay").asText() + x.path("absenceCode").asText()));
        assertThat(people).containsExactlyInAnyOrder(s.path("personId").asText() + "VMR03", neighbour.path("personId").asText() + "VMP");
        assertThat(registerRead(contract, true, "date=2026-11-26&instituteNo=" + inst + "&locationIdDiscimus=" + location, auth).json())
                .isEqualTo(branch);
        assertThat(registerRead(contract, true, "date=2026-11-27&instituteNo=" + inst, auth).json().size()).as("another day").isZero();
        assertThat(registerRead(contract, true, "date=2031-01-13&instituteNo=" + inst, auth).json().size())
                .as("a day outside the seeded years").isZero();

        // bad input: a 4xx problem, never a 500
        String other = elsewhere.path("instituteNo").asText();
        Map<String, Integer> refused = new java.util.LinkedHashMap<>();
        refused.put("no token", registerRead(contract, false, "date=2026-11-26&instituteNo=" + inst, "instituteNo", inst).status());
        refused.put("a token outside its scope", registerRead(contract, false, "date=2026-11-26&instituteNo=" + other,
                "Authorization", "Bearer " + token, "instituteNo", other).status());
        refused.put("no instituteNo header", registerRead(contract, false, "date=2026-11-26&instituteNo=" + inst,
                "Authorization", "Bearer " + token).status());
        refused.put("no date", registerRead(contract, false, "instituteNo=" + inst, auth).status());
        refused.put("not a date", registerRead(contract, false, "date=26-11-2026&instituteNo=" + inst, auth).status());
        refused.put("no such date", registerRead(contract, false, "date=2027-02-30&instituteNo=" + inst, auth).status());
        refused.put("neither branch nor institute", registerRead(contract, false, "date=2026-11-26", auth).status());
        refused.put("a branch that is no number", registerRead(contract, false, "date=2026-11-26&locationIdDiscimus=abc", auth).status());
        refused.put("no such branch", registerRead(contract, false, "date=2026-11-26&locationIdDiscimus=1", auth).status());
        refused.put("another institute's branch", registerRead(contract, false, "date=2026-11-26&locationIdDiscimus="
                + elsewhere.path("locationIdDiscimus").asInt(), auth).status());
        refused.put("another institute than the header's", registerRead(contract, false, "date=2026-11-26&instituteNo=" + other, auth).status());
        assertThat(refused).containsEntry("no token", 401).containsEntry("a token outside its scope", 403);
        refused.entrySet().stream().filter(x -> !x.getKey().equals("no token") && !x.getKey().equals("a token outside its scope"))
                .forEach(x -> assertThat(x.getValue()).as(x.getKey()).isEqualTo(400));
    }
}
