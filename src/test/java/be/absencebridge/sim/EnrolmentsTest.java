package be.absencebridge.sim;

import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pupils change at run time through Informat (CONTRACTS.md, "Pupils change"): an enrolment is in Informat at once and its
 * Smartschool account appears on the platform of its institution {@code smartschoolDelaySeconds} later by the clock; an
 * end and a move change the periods Informat lists and the writes it accepts. The clock is pinned (Friday 27 November
 * 2026, noon) and moved by the tests, so a delay passes without waiting.
 */
class EnrolmentsTest extends SimulatorTest {

    private static final String NS = "https://school1.smartschool.be/Webservices/V3";

    private String token(String institute) {
        Http.Response r = http.post("/sim/identityserver/connect/token", "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=absence-bridge&client_secret=sim-informat-client-secret"
                        + "&scope=api_informat_sas_leerlingen.leerlingen." + institute);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().path("access_token").asText();
    }

    private static Map<String, Object> absence(int location, String code, String date, String part, String timestamp) {
        Map<String, Object> b = new HashMap<>();
        b.put("schoolYear", "2026-27");
        b.put("absenceCode", code);
        b.put("date", date);
        b.put("partOfDay", part);
        b.put("locationIdDiscimus", location);
        b.put("timestamp", timestamp);
        return b;
    }

    /** The link's partner write for the person, with the institute's token. */
    private Http.Response partnerPut(String personId, String institute, Map<String, Object> body) {
        return http.putJson("/sim/informat/partner/v1/students/" + personId + "/absences", body,
                "Authorization", "Bearer " + token(institute), "instituteNo", institute);
    }

    /** The public Student API's write (six fields). */
    private Http.Response publicPut(String personId, String institute, Map<String, Object> body) {
        return http.putJson("/sim/informat/api/v1/students/" + personId + "/absences", body,
                "Authorization", "Bearer " + token(institute), "instituteNo", institute);
    }

    private String platformHolding(String institute) {
        for (JsonNode p : http.get("/sim/smartschool/admin/platforms").json()) {
            for (JsonNode i : p.path("institutions")) {
                if (i.asText().equals(institute)) {
                    return p.path("name").asText();
                }
            }
        }
        throw new IllegalStateException("no platform holds " + institute);
    }

    /** The branches of an institute, in the order Informat lists them. */
    private List<JsonNode> branchesOf(String institute) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode l : locations()) {
            if (l.path("instituteNo").asText().equals(institute)) {
                out.add(l);
            }
        }
        return out;
    }

    /** The internal numbers of the accounts SOAP's getAllAccountsExtended lists on a platform. */
    private Set<String> soapAccounts(String platform) throws Exception {
        String env = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:ns1=\"" + NS + "\" "
                + "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
                + "<SOAP-ENV:Body><ns1:getAllAccountsExtended><accesscode xsi:type=\"xsd:string\">" + accesscode(platform)
                + "</accesscode><code xsi:type=\"xsd:string\"></code><recursive xsi:type=\"xsd:string\">1</recursive>"
                + "</ns1:getAllAccountsExtended></SOAP-ENV:Body></SOAP-ENV:Envelope>";
        Http.Response r = http.post("/sim/smartschool/" + platform + "/Webservices/V3", "text/xml; charset=utf-8", env,
                "SOAPAction", "\"" + NS + "#getAllAccountsExtended\"");
        Matcher m = Pattern.compile("<return xsi:type=\"xsd:string\">(.*)</return>", Pattern.DOTALL).matcher(r.text());
        assertThat(m.find()).as(r.text()).isTrue();
        Set<String> out = new HashSet<>();
        for (JsonNode a : Http.JSON.readTree(m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))) {
            out.add(a.path("internnummer").asText());
        }
        return out;
    }

    /** The sim profile's web-services access code (every platform's). */
    private static String accesscode(String platform) {
        return "sim-accesscode";
    }

    @Test
    void anEnrolmentWithoutDelayIsKnownToBothSidesAtOnce() throws Exception {
        JsonNode branch = locations().get(0);
        int location = branch.path("locationIdDiscimus").asInt();
        String institute = branch.path("instituteNo").asText();
        Set<String> studentNos = new HashSet<>();
        Set<String> internals = new HashSet<>();
        for (JsonNode s : students()) {
            if (s.path("instituteNo").asText().equals(institute)) {
                studentNos.add(s.path("studentNo").asText());
            }
        }
        for (JsonNode p : smartschoolPupils()) {
            internals.add(p.path("internalNumber").asText());
        }

        JsonNode e = enrol(location, "2026-11-16", "so", 0);
        String personId = e.path("personId").asText();
        String internal = e.path("internalNumber").asText();
        String studentNo = e.path("studentNo").asText();
        assertThat(personId).matches("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");
        assertThat(e.path("instituteNo").asText()).isEqualTo(institute);
        assertThat(e.path("locationIdDiscimus").asInt()).isEqualTo(location);
        assertThat(studentNo).isNotBlank().isNotIn(studentNos);
        assertThat(internal).isNotBlank().isNotIn(internals);
        assertThat(e.path("username").asText()).isEqualTo("leerling" + internal);
        String platform = e.path("platform").asText();
        assertThat(platform).isEqualTo(platformHolding(institute));

        // Informat: the partner and control lists, the older pupil API, the writes
        List<JsonNode> periods = enrolmentsOf(personId);
        assertThat(periods).hasSize(1);
        assertThat(periods.get(0).path("startDate").asText()).isEqualTo("2026-11-16");
        assertThat(periods.get(0).path("endDate").isNull()).isTrue();
        assertThat(periods.get(0).path("level").asText()).isEqualTo("secundair");
        assertThat(periods.get(0).path("studentNo").asText()).isEqualTo(studentNo);
        assertThat(students().findValuesAsText("personId")).contains(personId);
        String[] auth = {"Authorization", "Bearer " + token(institute), "InstituteNo", institute};
        assertThat(http.get("/sim/informat-leerlingen/1/students?schoolYear=2026-27", auth).json().path("students")
                .findValuesAsText("persoonId")).contains(personId);
        JsonNode registration = null;
        for (JsonNode r : http.get("/sim/informat-leerlingen/1/registrations?schoolYear=2026-27", auth).json().path("registrations")) {
            if (r.path("persoonId").asText().equals(personId)) {
                registration = r;
            }
        }
        assertThat(registration).isNotNull();
        assertThat(registration.path("stamnr").asText()).isEqualTo(studentNo);
        assertThat(registration.path("begindatum").asText()).isEqualTo("2026-11-16");

        assertThat(partnerPut(personId, institute, absence(location, "Z", "2026-11-26", "VM", "2026-11-26T09:00:00")).status())
                .isEqualTo(200);
        assertThat(publicPut(personId, institute, absence(location, "Z", "2026-11-25", "VM", "2026-11-25T09:00:00")).status())
                .isEqualTo(200);
        Http.Response before = partnerPut(personId, institute, absence(location, "Z", "2026-11-13", "VM", "2026-11-13T09:00:00"));
        assertThat(before.status()).isEqualTo(409);
        assertThat(before.errorCode()).isEqualTo("DNF011");
        assertThat(informatRegister(personId, "2026-11-24", "NM", "B", null).status()).isEqualTo(200);

        // Smartschool: the account on the institution's platform, in the accounts read, registrations and pushes
        JsonNode account = smartschoolPupil(internal);
        assertThat(account).isNotNull();
        assertThat(account.path("platform").asText()).isEqualTo(platform);
        assertThat(account.path("institutionNumber").asText()).isEqualTo(institute);
        assertThat(account.path("registrationNumber").asText()).isEqualTo(studentNo);
        assertThat(account.path("classCode").asText()).matches("[1-6][ABC]");
        assertThat(soapAccounts(platform)).contains(internal);
        assertThat(smartschoolRegister(internal, "2026-11-26", "pm", "Z", null, null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> PUSHES.pushes("/api/inbound/smartschool/" + platform).stream()
                .anyMatch(p -> p.text().contains("\"internalNumber\":\"" + internal + "\"")));
    }

    @Test
    void aDelayedAccountAppearsInSmartschoolOnlyOnceTheClockHasPassedTheDelay() throws Exception {
        JsonNode branch = locations().get(1);
        int location = branch.path("locationIdDiscimus").asInt();
        String institute = branch.path("instituteNo").asText();
        JsonNode e = enrol(location, "2026-11-23", "lager", 2);
        String personId = e.path("personId").asText();
        String internal = e.path("internalNumber").asText();
        String platform = e.path("platform").asText();
        String username = e.path("username").asText();

        // Informat knows the pupil at once
        assertThat(enrolmentsOf(personId)).hasSize(1);
        assertThat(informatRegister(personId, "2026-11-26", "VM", "Z", null).status()).isEqualTo(200);
        assertThat(partnerPut(personId, institute, absence(location, "Z", "2026-11-25", "VM", "2026-11-25T09:00:00")).status())
                .isEqualTo(200);

        // Smartschool does not, yet
        assertThat(smartschoolPupil(internal)).isNull();
        assertThat(soapAccounts(platform)).doesNotContain(internal);
        assertThat(smartschoolRegister(internal, "2026-11-26", "am", "Z", null, null).status()).isEqualTo(404);
        Http.Response write = http.postJson("/sim/smartschool/" + platform + "/partner/v1/absences",
                List.of(Map.of("username", username, "date", "2026-11-26", "part", "am", "code", "Z",
                        "registeredAt", "2026-11-26T09:00:00+01:00")),
                "Authorization", "Bearer " + accesscode(platform));
        assertThat(write.status()).isEqualTo(200);
        assertThat(write.json().get(0).path("status").asText()).isEqualTo("rejected");
        clock.advance(Duration.ofSeconds(1));
        assertThat(smartschoolPupil(internal)).isNull();

        // once the clock has passed the delay, it does
        clock.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> smartschoolPupil(internal) != null);
        assertThat(smartschoolPupil(internal).path("platform").asText()).isEqualTo(platform);
        assertThat(soapAccounts(platform)).contains(internal);
        assertThat(smartschoolRegister(internal, "2026-11-26", "am", "Z", null, null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> PUSHES.pushes("/api/inbound/smartschool/" + platform).stream()
                .anyMatch(p -> p.text().contains("\"internalNumber\":\"" + internal + "\"")));
        Http.Response later = http.postJson("/sim/smartschool/" + platform + "/partner/v1/absences",
                List.of(Map.of("username", username, "date", "2026-11-25", "part", "am", "code", "Z",
                        "registeredAt", "2026-11-25T09:00:00+01:00")),
                "Authorization", "Bearer " + accesscode(platform));
        assertThat(later.json().get(0).path("status").asText()).isEqualTo("saved");
    }

    @Test
    void anEndedEnrolmentShowsItsEndAndRefusesWritesAfterIt() {
        JsonNode s = student("secundair", true);
        String personId = s.path("personId").asText();
        String institute = s.path("instituteNo").asText();
        int location = s.path("locationIdDiscimus").asInt();
        String internal = internalNumberOf(s);

        JsonNode ended = endEnrolment(personId, "2026-11-20", 0);
        assertThat(ended.path("personId").asText()).isEqualTo(personId);
        assertThat(ended.path("studentNo").asText()).isEqualTo(s.path("studentNo").asText());
        assertThat(ended.path("endDate").asText()).isEqualTo("2026-11-20");
        List<JsonNode> periods = enrolmentsOf(personId);
        assertThat(periods).hasSize(1);
        assertThat(periods.get(0).path("endDate").asText()).isEqualTo("2026-11-20");

        // writes up to the end are accepted, after it refused as outside every enrolment
        assertThat(partnerPut(personId, institute, absence(location, "Z", "2026-11-20", "VM", "2026-11-20T09:00:00")).status())
                .isEqualTo(200);
        for (Http.Response refused : List.of(
                partnerPut(personId, institute, absence(location, "Z", "2026-11-23", "VM", "2026-11-23T09:00:00")),
                publicPut(personId, institute, absence(location, "Z", "2026-11-23", "NM", "2026-11-23T13:00:00")),
                informatRegister(personId, "2026-11-24", "VM", "Z", null))) {
            assertThat(refused.status()).as(refused.text()).isEqualTo(409);
            assertThat(refused.errorCode()).isEqualTo("DNF011");
        }

        // Smartschool keeps the account (until the school archives it)
        assertThat(smartschoolPupil(internal)).isNotNull();
    }

    @Test
    void aMoveWithinTheInstitutionKeepsTheRegistrationNumberAndTheAccount() {
        JsonNode s = student("secundair", true);
        String personId = s.path("personId").asText();
        String institute = s.path("instituteNo").asText();
        int from = s.path("locationIdDiscimus").asInt();
        int to = branchesOf(institute).stream().mapToInt(b -> b.path("locationIdDiscimus").asInt())
                .filter(l -> l != from).findFirst().orElseThrow();
        String internal = internalNumberOf(s);

        JsonNode moved = move(personId, to, "2026-11-23", 60);
        assertThat(moved.path("personId").asText()).isEqualTo(personId);
        assertThat(moved.path("studentNo").asText()).isEqualTo(s.path("studentNo").asText());
        assertThat(moved.path("instituteNo").asText()).isEqualTo(institute);
        assertThat(moved.path("locationIdDiscimus").asInt()).isEqualTo(to);
        assertThat(moved.path("internalNumber").asText()).isEqualTo(internal);
        assertThat(moved.path("startDate").asText()).isEqualTo("2026-11-23");

        List<JsonNode> periods = enrolmentsOf(personId);
        assertThat(periods).hasSize(2);
        JsonNode first = periods.stream().filter(p -> p.path("locationIdDiscimus").asInt() == from).findFirst().orElseThrow();
        JsonNode second = periods.stream().filter(p -> p.path("locationIdDiscimus").asInt() == to).findFirst().orElseThrow();
        assertThat(first.path("startDate").asText()).isEqualTo("2026-09-01");
        assertThat(first.path("endDate").asText()).isEqualTo("2026-11-22");
        assertThat(second.path("startDate").asText()).isEqualTo("2026-11-23");
        assertThat(second.path("endDate").isNull()).isTrue();

        // a write follows the enrolment of its date: the old branch before the move, the new one after
        assertThat(partnerPut(personId, institute, absence(from, "Z", "2026-11-20", "VM", "2026-11-20T09:00:00")).status()).isEqualTo(200);
        assertThat(partnerPut(personId, institute, absence(to, "Z", "2026-11-26", "VM", "2026-11-26T09:00:00")).status()).isEqualTo(200);
        Http.Response wrongBranch = partnerPut(personId, institute, absence(from, "Z", "2026-11-25", "VM", "2026-11-25T09:00:00"));
        assertThat(wrongBranch.status()).isEqualTo(409);
        assertThat(wrongBranch.errorCode()).isEqualTo("DNF011");
        assertThat(informatRegister(personId, "2026-11-24", "NM", "B", null).status()).isEqualTo(200);
        JsonNode feedItem = http.get("/sim/informat/partner/v1/absences/changes?limit=1000").json().path("items").findParents("personId")
                .stream().filter(i -> i.path("personId").asText().equals(personId) && i.path("date").asText().equals("2026-11-24"))
                .findFirst().orElseThrow();
        assertThat(feedItem.path("locationIdDiscimus").asInt()).isEqualTo(to);

        // Smartschool: one account all along, the same registration number
        assertThat(smartschoolPupils().findValuesAsText("internalNumber").stream().filter(internal::equals)).hasSize(1);
        assertThat(smartschoolPupil(internal).path("registrationNumber").asText()).isEqualTo(s.path("studentNo").asText());
        clock.advance(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(5)).until(() -> smartschoolPupil(internal) != null);
        assertThat(smartschoolPupil(internal).path("registrationNumber").asText()).isEqualTo(s.path("studentNo").asText());
        assertThat(smartschoolRegister(internal, "2026-11-26", "pm", "Z", null, null).status()).isEqualTo(200);
    }

    @Test
    void aMoveToAnotherInstitutionGetsANewRegistrationNumberAndANewAccountThere() {
        JsonNode s = student("secundair", true);
        String personId = s.path("personId").asText();
        String institute = s.path("instituteNo").asText();
        int from = s.path("locationIdDiscimus").asInt();
        JsonNode target = null;
        for (JsonNode l : locations()) {
            if (!l.path("instituteNo").asText().equals(institute)) {
                target = l;
            }
        }
        assertThat(target).isNotNull();
        int to = target.path("locationIdDiscimus").asInt();
        String otherInstitute = target.path("instituteNo").asText();
        String oldInternal = internalNumberOf(s);
        String oldPlatform = platformOf(oldInternal);

        JsonNode moved = move(personId, to, "2026-11-23", 600);
        String newInternal = moved.path("internalNumber").asText();
        String newStudentNo = moved.path("studentNo").asText();
        assertThat(moved.path("personId").asText()).isEqualTo(personId);
        assertThat(moved.path("instituteNo").asText()).isEqualTo(otherInstitute);
        assertThat(moved.path("locationIdDiscimus").asInt()).isEqualTo(to);
        assertThat(newInternal).isNotEqualTo(oldInternal);
        assertThat(moved.path("username").asText()).isEqualTo("leerling" + newInternal);
        assertThat(moved.path("platform").asText()).isEqualTo(platformHolding(otherInstitute)).isNotEqualTo(oldPlatform);
        for (JsonNode other : students()) {
            if (other.path("instituteNo").asText().equals(otherInstitute) && !other.path("personId").asText().equals(personId)) {
                assertThat(other.path("studentNo").asText()).isNotEqualTo(newStudentNo);
            }
        }

        // Informat: both periods, each in its institute, writes by the enrolment of the date
        List<JsonNode> periods = enrolmentsOf(personId);
        assertThat(periods).hasSize(2);
        JsonNode first = periods.stream().filter(p -> p.path("instituteNo").asText().equals(institute)).findFirst().orElseThrow();
        JsonNode second = periods.stream().filter(p -> p.path("instituteNo").asText().equals(otherInstitute)).findFirst().orElseThrow();
        assertThat(first.path("studentNo").asText()).isEqualTo(s.path("studentNo").asText());
        assertThat(first.path("endDate").asText()).isEqualTo("2026-11-22");
        assertThat(second.path("studentNo").asText()).isEqualTo(newStudentNo);
        assertThat(second.path("startDate").asText()).isEqualTo("2026-11-23");
        assertThat(partnerPut(personId, otherInstitute, absence(to, "Z", "2026-11-26", "VM", "2026-11-26T09:00:00")).status())
                .isEqualTo(200);
        assertThat(partnerPut(personId, institute, absence(from, "Z", "2026-11-20", "VM", "2026-11-20T09:00:00")).status())
                .isEqualTo(200);
        Http.Response oldSchoolAfter = partnerPut(personId, institute, absence(from, "Z", "2026-11-25", "VM", "2026-11-25T09:00:00"));
        assertThat(oldSchoolAfter.status()).isEqualTo(409);
        assertThat(oldSchoolAfter.errorCode()).isEqualTo("DNF011");
        Http.Response newSchoolBefore = partnerPut(personId, otherInstitute, absence(to, "Z", "2026-11-19", "VM", "2026-11-19T09:00:00"));
        assertThat(newSchoolBefore.status()).isEqualTo(409);
        assertThat(newSchoolBefore.errorCode()).isEqualTo("DNF011");

        // Smartschool: the new account only after the delay, on the new institution's platform; the old one stays
        assertThat(smartschoolPupil(newInternal)).isNull();
        clock.advance(Duration.ofSeconds(600));
        await().atMost(Duration.ofSeconds(5)).until(() -> smartschoolPupil(newInternal) != null);
        JsonNode account = smartschoolPupil(newInternal);
        assertThat(account.path("platform").asText()).isEqualTo(moved.path("platform").asText());
        assertThat(account.path("institutionNumber").asText()).isEqualTo(otherInstitute);
        assertThat(account.path("registrationNumber").asText()).isEqualTo(newStudentNo);
        JsonNode old = smartschoolPupil(oldInternal);
        assertThat(old.path("platform").asText()).isEqualTo(oldPlatform);
        assertThat(old.path("institutionNumber").asText()).isEqualTo(institute);
        assertThat(smartschoolRegister(newInternal, "2026-11-26", "am", "Z", null, null).status()).isEqualTo(200);
    }

    @Test
    void badInputGetsAClear4xxProblem() {
        int location = locations().get(0).path("locationIdDiscimus").asInt();
        String personId = student("lager", true).path("personId").asText();
        List<Object[]> cases = List.of(
                new Object[] {"/sim/informat/admin/enrolments", Map.of("locationIdDiscimus", 1, "startDate", "2026-11-16",
                        "level", "so", "dateOfBirth", "2012-01-01"), 404},
                new Object[] {"/sim/informat/admin/enrolments", Map.of("locationIdDiscimus", location, "level", "so",
                        "dateOfBirth", "2012-01-01"), 400},
                new Object[] {"/sim/informat/admin/enrolments", Map.of("locationIdDiscimus", location, "startDate", "2026-11-16",
                        "level", "university", "dateOfBirth", "2012-01-01"), 400},
                new Object[] {"/sim/informat/admin/enrolments", Map.of("locationIdDiscimus", location, "startDate", "2026-11-16",
                        "level", "so"), 400},
                new Object[] {"/sim/informat/admin/enrolments", Map.of("locationIdDiscimus", location, "startDate", "2026-11-16",
                        "level", "so", "dateOfBirth", "2012-01-01", "smartschoolDelaySeconds", -1), 400},
                new Object[] {"/sim/informat/admin/enrolments", Map.of("locationIdDiscimus", location, "startDate", "2030-11-16",
                        "level", "so", "dateOfBirth", "2012-01-01"), 400},
                new Object[] {"/sim/informat/admin/enrolments/" + java.util.UUID.randomUUID() + "/end", Map.of("endDate", "2026-11-20"), 404},
                new Object[] {"/sim/informat/admin/enrolments/not-a-person/end", Map.of("endDate", "2026-11-20"), 404},
                new Object[] {"/sim/informat/admin/enrolments/" + personId + "/end", Map.of(), 400},
                new Object[] {"/sim/informat/admin/enrolments/" + personId + "/end", Map.of("endDate", "2026-08-20"), 400},
                new Object[] {"/sim/informat/admin/enrolments/" + personId + "/move", Map.of("locationIdDiscimus", location), 400},
                new Object[] {"/sim/informat/admin/enrolments/" + personId + "/move", Map.of("locationIdDiscimus", 1,
                        "date", "2026-11-23"), 404},
                new Object[] {"/sim/informat/admin/enrolments/" + personId + "/move", Map.of("locationIdDiscimus", location,
                        "date", "2026-09-01"), 400},
                new Object[] {"/sim/informat/admin/enrolments/" + java.util.UUID.randomUUID() + "/move",
                        Map.of("locationIdDiscimus", location, "date", "2026-11-23"), 404});
        for (Object[] c : cases) {
            Http.Response r = http.postJson((String) c[0], c[1]);
            assertThat(r.status()).as("%s %s: %s", c[0], c[1], r.text()).isEqualTo((int) c[2]);
            assertThat(r.header("Content-Type")).as((String) c[0]).startsWith("application/problem+json");
            assertThat(r.json().path("detail").asText()).isNotBlank();
        }
        Http.Response notJson = http.post("/sim/informat/admin/enrolments", "application/json", "{not json");
        assertThat(notJson.status()).isEqualTo(400);
        // nothing of the refused requests was enrolled
        assertThat(enrolmentsOf(personId)).hasSize(1);
    }

    @Test
    void theOlderPupilApiListsOnlyWhatChangedSinceTheGivenMoment() {
        // seeded at noon on 27 November (the pinned clock): every seeded pupil counts as changed then
        JsonNode moving = student("secundair", true);
        String institute = moving.path("instituteNo").asText();
        JsonNode leaving = student("lager", true);
        for (int n = 1; !leaving.path("instituteNo").asText().equals(institute); n++) {
            leaving = student("lager", true, n);
        }
        int from = moving.path("locationIdDiscimus").asInt();
        int to = branchesOf(institute).stream().mapToInt(b -> b.path("locationIdDiscimus").asInt())
                .filter(l -> l != from).findFirst().orElseThrow();
        clock.advance(Duration.ofHours(1));
        String enrolled = enrol(from, "2026-11-23", "so", 0).path("personId").asText();
        clock.advance(Duration.ofHours(1));
        move(moving.path("personId").asText(), to, "2026-11-23", 0);
        endEnrolment(leaving.path("personId").asText(), "2026-11-20", 0);
        // a token of now: the simulator's tokens live 600 s by its clock
        String[] auth = {"Authorization", "Bearer " + token(institute), "InstituteNo", institute};

        // students: ISO-8601, with an offset or in Belgian local time (12:30 in Brussels is 11:30 UTC)
        for (String since : List.of("2026-11-27T11:30:00Z", "2026-11-27T12:30:00", "2026-11-27T12:30:00%2B01:00")) {
            JsonNode changed = http.get("/sim/informat-leerlingen/1/students?schoolYear=2026-27&changedSince=" + since, auth)
                    .json().path("students");
            assertThat(new HashSet<>(changed.findValuesAsText("persoonId"))).as(since).containsExactlyInAnyOrder(
                    enrolled, moving.path("personId").asText(), leaving.path("personId").asText());
        }
        JsonNode later = http.get("/sim/informat-leerlingen/1/students?changedSince=2026-11-27T12:30:00Z", auth).json().path("students");
        assertThat(later.findValuesAsText("persoonId")).containsExactlyInAnyOrder(moving.path("personId").asText(),
                moving.path("personId").asText(), leaving.path("personId").asText());
        JsonNode all = http.get("/sim/informat-leerlingen/1/students?changedSince=2026-11-27T11:00:00Z", auth).json().path("students");
        assertThat(all.size()).isEqualTo(http.get("/sim/informat-leerlingen/1/students", auth).json().path("students").size())
                .isEqualTo(100 + 1 + 1);
        assertThat(http.get("/sim/informat-leerlingen/1/students?changedSince=2026-11-28T00:00:00Z", auth).json()
                .path("students").size()).isZero();

        // registrations: a date (Y-m-d), Brussels days; the move changes both periods, the end its one
        assertThat(http.get("/sim/informat-leerlingen/1/registrations?changedSince=2026-11-27", auth).json()
                .path("registrations").size()).isEqualTo(102);
        assertThat(http.get("/sim/informat-leerlingen/1/registrations?changedSince=2026-11-28", auth).json()
                .path("registrations").size()).isZero();
        clock.advance(Duration.ofDays(1));
        auth[1] = "Bearer " + token(institute);
        String tomorrow = enrol(to, "2026-11-23", "kleuter", 0).path("personId").asText();
        JsonNode fresh = http.get("/sim/informat-leerlingen/1/registrations?schoolYear=2026-27&changedSince=2026-11-28", auth)
                .json().path("registrations");
        assertThat(fresh.findValuesAsText("persoonId")).containsExactly(tomorrow);
        assertThat(fresh.get(0).path("begindatum").asText()).isEqualTo("2026-11-23");

        for (String bad : List.of("/sim/informat-leerlingen/1/students?changedSince=yesterday",
                "/sim/informat-leerlingen/1/registrations?changedSince=2026-11-28T10:00:00")) {
            Http.Response r = http.get(bad, auth);
            assertThat(r.status()).as(bad).isEqualTo(400);
            // the older API's own error shape: a value that is not of its type
            assertThat(r.json().path("errors").path(0).path("code").asText()).isEqualTo("BR000");
            assertThat(r.json().path("errors").path(0).path("message").asText()).contains("changedSince");
        }
    }

    @Test
    void trafficEnrolsAndMovesAFewPupilsADayByTheClock() {
        int before = students().size();
        Http.Response on = http.postJson("/sim/informat/admin/traffic", Map.of("eventsPerSecond", 1, "enrolmentsPerDay", 48));
        assertThat(on.status()).as(on.text()).isEqualTo(200);
        assertThat(on.json().path("enrolmentsPerDay").asDouble()).isEqualTo(48.0);
        try {
            // 48 a day by the clock: two in an hour (each an enrolment or a move, so one more period in Informat's list)
            clock.advance(Duration.ofHours(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> students().size() == before + 2);
        } finally {
            http.postJson("/sim/informat/admin/traffic", Map.of("eventsPerSecond", 0, "enrolmentsPerDay", 5));
        }
        List<JsonNode> changed = new ArrayList<>();
        for (JsonNode s : students()) {
            if (s.path("startDate").asText().equals("2026-11-27")) {
                changed.add(s);
            }
        }
        assertThat(changed).hasSize(2);
        assertThat(http.postJson("/sim/informat/admin/traffic", Map.of("eventsPerSecond", 0, "enrolmentsPerDay", -1)).status())
                .isEqualTo(400);
    }

    @Test
    void aSeedOfTwoSchoolYearsServesBothYearsOnBothSides() {
        Map<String, Object> seed = new HashMap<>(Map.of("institutions", 2, "branchesPerInstitution", 2, "pupilsPerBranch", 50,
                "seed", 7, "schoolYears", List.of("2026-27", "2027-28")));
        clock.set(java.time.Instant.parse("2027-08-20T10:00:00Z"));
        JsonNode answer = http.postJson("/sim/informat/admin/seed", seed).json();
        assertThat(answer.path("schoolYears").toString()).isEqualTo("[\"2026-27\",\"2027-28\"]");

        JsonNode firstYear = http.get("/sim/informat/partner/v1/students?schoolYear=2026-27").json();
        JsonNode secondYear = http.get("/sim/informat/partner/v1/students?schoolYear=2027-28").json();
        assertThat(firstYear.size()).isEqualTo(200);
        assertThat(secondYear).isNotEmpty();
        assertThat(secondYear.findValuesAsText("startDate")).containsOnly("2027-09-01");
        assertThat(http.get("/sim/informat/admin/calendar?schoolYear=2027-28").json()).isNotEmpty();
        // a returning secondary pupil (same person, same registration number, one grade up) and a pupil who joins
        JsonNode returning = null;
        JsonNode joining = null;
        Set<String> firstPeople = new HashSet<>(firstYear.findValuesAsText("personId"));
        for (JsonNode s : secondYear) {
            if (firstPeople.contains(s.path("personId").asText())) {
                if (returning == null && s.path("level").asText().equals("secundair")) {
                    returning = s;
                }
            } else if (joining == null) {
                joining = s;
            }
        }
        assertThat(returning).isNotNull();
        assertThat(joining).isNotNull();
        String personId = returning.path("personId").asText();
        String institute = returning.path("instituteNo").asText();
        int location = returning.path("locationIdDiscimus").asInt();
        List<JsonNode> periods = enrolmentsOf(personId);
        assertThat(periods).hasSize(1).allMatch(p -> p.path("endDate").asText().equals("2027-06-30"));
        String internal = internalNumberOf(periods.get(0));

        // before 1 September 2027 Smartschool has no account of the new pupil yet
        int accountsInAugust = smartschoolPupils().size();
        assertThat(accountsInAugust).isEqualTo(200);
        JsonNode joiner = joining;
        assertThat(smartschoolPupils()).noneMatch(p -> p.path("institutionNumber").asText().equals(joiner.path("instituteNo").asText())
                && p.path("registrationNumber").asText().equals(joiner.path("studentNo").asText()));

        clock.set(java.time.Instant.parse("2027-09-15T10:00:00Z"));
        assertThat(smartschoolPupils().size()).isGreaterThan(accountsInAugust);
        assertThat(smartschoolPupil(internal).path("registrationNumber").asText()).isEqualTo(returning.path("studentNo").asText());
        Map<String, Object> body = absence(location, "Z", "2027-09-14", "VM", "2027-09-14T09:00:00");
        body.put("schoolYear", "2027-28");
        assertThat(publicPut(personId, institute, body).status()).isEqualTo(200);
        assertThat(informatRegister(personId, "2026-11-26", "NM", "Z", null).status()).isEqualTo(200);
        assertThat(smartschoolRegister(internal, "2027-09-14", "pm", "Z", null, null).status()).isEqualTo(200);
        assertThat(smartschoolRegister(internal, "2026-11-26", "am", "Z", null, null).status()).isEqualTo(200);
        Http.Response summer = informatRegister(personId, "2027-07-14", "VM", "Z", null);
        assertThat(summer.status()).isEqualTo(400);
        String joinerInternal = internalNumberOf(joining);
        assertThat(smartschoolRegister(joinerInternal, "2027-09-14", "am", "Z", null, null).status()).isEqualTo(200);
    }
}
