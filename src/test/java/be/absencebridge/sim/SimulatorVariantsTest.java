package be.absencebridge.sim;

import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published variants (CONTRACTS.md, "Simulator controls": {@code admin/variants}) over real HTTP: each switch on and
 * off, per platform and for all, reset by {@code {}} and by a seed; bad input a clear 4xx problem.
 */
class SimulatorVariantsTest extends SimulatorTest {

    private static final String NS = "https://school.smartschool.be/Webservices/V3";
    private static final String DAY = "2026-11-26";
    private static final String EMPTY_DAY = "2026-11-25";

    /** A WSDL-mode client's call: the parameters named as the WSDL names them. */
    private Http.Response soap(String platform, String method, String... namesAndValues) {
        StringBuilder p = new StringBuilder();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            p.append('<').append(namesAndValues[i]).append(" xsi:type=\"xsd:string\">").append(namesAndValues[i + 1])
                    .append("</").append(namesAndValues[i]).append('>');
        }
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:ns1=\"" + NS + "\" "
                + "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:SOAP-ENC=\"http://schemas.xmlsoap.org/soap/encoding/\" "
                + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                + "SOAP-ENV:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><SOAP-ENV:Body><ns1:" + method + ">"
                + p + "</ns1:" + method + "></SOAP-ENV:Body></SOAP-ENV:Envelope>\n";
        return http.post("/sim/smartschool/" + platform + "/Webservices/V3", "text/xml; charset=utf-8", body,
                "SOAPAction", "\"" + NS + "#" + method + "\"");
    }

    /** The JSON string of the SOAP {@code return}. */
    private static JsonNode result(Http.Response r) throws Exception {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        Matcher m = Pattern.compile("<return xsi:type=\"(xsd:\\w+)\">(.*)</return>", Pattern.DOTALL).matcher(r.text());
        assertThat(m.find()).as(r.text()).isTrue();
        assertThat(m.group(1)).as(r.text()).isEqualTo("xsd:string");
        return Http.JSON.readTree(m.group(2).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
    }

    private JsonNode read(String platform, String method, String... namesAndValues) throws Exception {
        return result(soap(platform, method, namesAndValues));
    }

    private JsonNode byDate(String platform, String method, String date) throws Exception {
        return read(platform, method, "accesscode", "sim-accesscode", "date", date);
    }

    private Http.Response smartschoolVariants(Map<String, Object> body) {
        return http.postJson("/sim/smartschool/admin/variants", body);
    }

    private Http.Response informatVariants(Map<String, Object> body) {
        return http.postJson("/sim/informat/admin/variants", body);
    }

    private void seedPlatforms(int platforms) {
        Http.Response seeded = http.postJson("/sim/smartschool/admin/seed", Map.of("smartschoolPlatforms", platforms,
                "institutions", 2, "branchesPerInstitution", 2, "pupilsPerBranch", 50, "schoolYear", "2026-27", "seed", 7));
        assertThat(seeded.status()).as(seeded.text()).isEqualTo(200);
    }

    /** A pupil's internal number, its username and its official class's code, on the given platform. */
    private Map<String, String> account(String platform) throws Exception {
        for (JsonNode a : read(platform, "getAllAccountsExtended", "accesscode", "sim-accesscode", "code", "", "recursive", "1")) {
            return Map.of("internal", a.path("internnummer").asText(), "username", a.path("gebruikersnaam").asText(),
                    "class", a.path("groups").get(0).path("code").asText());
        }
        throw new IllegalStateException("no account on " + platform);
    }

    private JsonNode switches(String platform) {
        for (JsonNode p : http.get("/sim/smartschool/admin/variants").json()) {
            if (p.path("platform").asText().equals(platform)) {
                return p;
            }
        }
        throw new IllegalStateException(platform);
    }

    // ---- Smartschool ----

    @Test
    void classDataAsArrayAnswersTheClassRecordsOfTheSchoolYear() throws Exception {
        String pupil = internalNumberOf(student("lager", true));
        JsonNode student = student("lager", true);
        String classCode = null;
        for (JsonNode a : read("school1", "getAllAccountsExtended", "accesscode", "sim-accesscode", "code", "", "recursive", "1")) {
            if (a.path("internnummer").asText().equals(pupil)) {
                classCode = a.path("groups").get(0).path("code").asText();
            }
        }
        assertThat(classCode).isNotNull();
        JsonNode object = read("school1", "getSchoolyearDataOfClass", "accesscode", "sim-accesscode", "classCode", classCode);
        assertThat(object.isObject()).as(object.toString()).isTrue();
        assertThat(object.path("instituteNumber").asText()).isEqualTo(student.path("instituteNo").asText());

        Http.Response on = smartschoolVariants(Map.of("classDataAsArray", true));
        assertThat(on.status()).as(on.text()).isEqualTo(200);
        assertThat(on.json().get(0).path("classDataAsArray").asBoolean()).isTrue();
        JsonNode array = read("school1", "getSchoolyearDataOfClass", "accesscode", "sim-accesscode", "classCode", classCode);
        assertThat(array.isArray()).as(array.toString()).isTrue();
        assertThat(array.size()).as("one record: the population has one school year").isEqualTo(1);
        JsonNode record = array.get(0);
        assertThat(record.path("schoolyear").asText()).isEqualTo("2026-2027");
        assertThat(record.path("instituteNumber").asText()).isEqualTo(student.path("instituteNo").asText());
        assertThat(record.path("administrativeGroupNumber").isNumber()).as(record.toString()).isTrue();
        assertThat(record.path("id").isNumber() && record.path("groupId").isNumber()).as(record.toString()).isTrue();
        assertThat(record.path("code").asText()).isEqualTo(classCode);
        assertThat(record.path("name").asText()).isNotBlank();
        assertThat(record.has("desc")).isTrue();
        // an unknown class is still error 12, an integer return, in both readings
        assertThat(soap("school1", "getSchoolyearDataOfClass", "accesscode", "sim-accesscode", "classCode", "nope").text())
                .contains("xsd:int\">12<");

        smartschoolVariants(Map.of("classDataAsArray", false));
        assertThat(read("school1", "getSchoolyearDataOfClass", "accesscode", "sim-accesscode", "classCode", classCode).isObject()).isTrue();
    }

    @Test
    void basisrolAsIntegerWritesOneForAPupilInEveryAccountRead() throws Exception {
        Map<String, String> a = account("school1");
        JsonNode details = read("school1", "getUserDetails", "accesscode", "sim-accesscode", "userIdentifier", a.get("username"));
        assertThat(details.path("basisrol").isTextual()).isTrue();
        assertThat(details.path("basisrol").asText()).isEqualTo("leerling");

        smartschoolVariants(Map.of("basisrolAsInteger", true));
        details = read("school1", "getUserDetails", "accesscode", "sim-accesscode", "userIdentifier", a.get("username"));
        assertThat(details.path("basisrol").isInt()).as(details.toString()).isTrue();
        assertThat(details.path("basisrol").asInt()).isEqualTo(1);
        for (JsonNode account : read("school1", "getAllAccountsExtended", "accesscode", "sim-accesscode", "code", "", "recursive", "1")) {
            assertThat(account.path("basisrol").isInt() && account.path("basisrol").asInt() == 1).as(account.toString()).isTrue();
        }

        smartschoolVariants(Map.of("basisrolAsInteger", false));
        details = read("school1", "getUserDetails", "accesscode", "sim-accesscode", "userIdentifier", a.get("username"));
        assertThat(details.path("basisrol").asText()).isEqualTo("leerling");
    }

    @Test
    void emptyDayAsArrayAnswersAnEmptyArrayForADayWithNothingRegistered() throws Exception {
        String pupil = internalNumberOf(student("lager", true));
        assertThat(smartschoolRegister(pupil, DAY, "am", "Z", null, null).status()).isEqualTo(200);
        List<String> methods = List.of("getAbsentsWithAliasByDate", "getAbsentsByDate", "getAbsentsWithInternalNumberByDate",
                "getAbsentsWithUsernameByDate");
        for (String method : methods) {
            JsonNode empty = byDate("school1", method, EMPTY_DAY);
            assertThat(empty.isObject() && empty.isEmpty()).as(method + " " + empty).isTrue();
        }

        smartschoolVariants(Map.of("emptyDayAsArray", true));
        for (String method : methods) {
            JsonNode empty = byDate("school1", method, EMPTY_DAY);
            assertThat(empty.isArray() && empty.isEmpty()).as(method + " " + empty).isTrue();
            JsonNode registered = byDate("school1", method, DAY);
            assertThat(registered.isObject() && registered.size() == 1).as("a day with something registered: " + registered).isTrue();
        }
        JsonNode group = read("school1", "getAbsentsByDateAndGroup", "accesscode", "sim-accesscode", "date", EMPTY_DAY, "code", "none");
        assertThat(group.isArray() && group.isEmpty()).as(group.toString()).isTrue();

        smartschoolVariants(Map.of());
        JsonNode empty = byDate("school1", "getAbsentsByDate", EMPTY_DAY);
        assertThat(empty.isObject() && empty.isEmpty()).as(empty.toString()).isTrue();
    }

    @Test
    void aliasAsLabelAnswersNullWithoutAnAliasAndTheLabelWithOne() throws Exception {
        String pupil = internalNumberOf(student("lager", true));
        String user = "leerling" + pupil;
        assertThat(smartschoolRegister(pupil, DAY, "am", "Z", "ZM", null).status()).isEqualTo(200);
        assertThat(smartschoolRegister(pupil, DAY, "pm", "|", null, null).status()).isEqualTo(200);
        String label = null;
        for (JsonNode a : http.get("/sim/smartschool/school1/partner/v1/settings", "Authorization", "Bearer sim-accesscode")
                .json().path("aliases")) {
            if (a.path("alias").asText().equals("ZM")) {
                label = a.path("label").asText();
            }
        }
        assertThat(label).isNotBlank().isNotEqualTo("ZM");

        JsonNode today = byDate("school1", "getAbsentsWithAliasByDate", DAY).path(user);
        assertThat(today.path("am").path("alias").asText()).isEqualTo("ZM");
        assertThat(today.path("pm").path("alias").asText()).as("the code without an alias (the default guess)").isEqualTo("|");

        smartschoolVariants(Map.of("aliasAsLabel", true));
        JsonNode labelled = byDate("school1", "getAbsentsWithAliasByDate", DAY).path(user);
        assertThat(labelled.path("am").path("officialcode").asText()).isEqualTo("Z");
        assertThat(labelled.path("am").path("alias").asText()).isEqualTo(label);
        assertThat(labelled.path("pm").path("officialcode").asText()).isEqualTo("|");
        assertThat(labelled.path("pm").has("alias") && labelled.path("pm").path("alias").isNull()).as(labelled.toString()).isTrue();
        // the per-pupil alias read too (the kit's example is of that one)
        JsonNode year = read("school1", "getAbsentsWithAlias", "accesscode", "sim-accesscode", "userIdentifier", user,
                "schoolYear", "2026").path(DAY);
        assertThat(year.path("am").path("alias").asText()).isEqualTo(label);
        assertThat(year.path("pm").path("alias").isNull()).as(year.toString()).isTrue();

        smartschoolVariants(Map.of("aliasAsLabel", false));
        assertThat(byDate("school1", "getAbsentsWithAliasByDate", DAY).path(user).path("am").path("alias").asText()).isEqualTo("ZM");
    }

    @Test
    void switchesApplyToOnePlatformOrToAllAndResetByAnEmptyBodyAndBySeeding() throws Exception {
        seedPlatforms(2);
        Map<String, String> one = account("school1");
        Map<String, String> two = account("school2");

        Http.Response only2 = smartschoolVariants(Map.of("platform", "school2", "basisrolAsInteger", true, "emptyDayAsArray", true));
        assertThat(only2.status()).as(only2.text()).isEqualTo(200);
        assertThat(only2.json().size()).isEqualTo(1);
        assertThat(only2.json().get(0).path("platform").asText()).isEqualTo("school2");
        assertThat(only2.json().get(0).path("basisrolAsInteger").asBoolean()).isTrue();
        assertThat(only2.json().get(0).path("classDataAsArray").asBoolean()).as("a missing switch is false").isFalse();
        assertThat(switches("school1").path("basisrolAsInteger").asBoolean()).isFalse();
        assertThat(read("school2", "getUserDetails", "accesscode", "sim-accesscode", "userIdentifier", two.get("username"))
                .path("basisrol").isInt()).isTrue();
        assertThat(read("school1", "getUserDetails", "accesscode", "sim-accesscode", "userIdentifier", one.get("username"))
                .path("basisrol").asText()).isEqualTo("leerling");
        assertThat(byDate("school2", "getAbsentsByDate", EMPTY_DAY).isArray()).isTrue();
        assertThat(byDate("school1", "getAbsentsByDate", EMPTY_DAY).isObject()).isTrue();

        // a second call for one platform replaces its switches: what it leaves out is false
        smartschoolVariants(Map.of("platform", "school2", "basisrolAsInteger", true));
        assertThat(switches("school2").path("emptyDayAsArray").asBoolean()).isFalse();
        assertThat(byDate("school2", "getAbsentsByDate", EMPTY_DAY).isObject()).isTrue();

        // every platform
        Http.Response all = smartschoolVariants(Map.of("classDataAsArray", true, "aliasAsLabel", true));
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().size()).isEqualTo(2);
        all.json().forEach(p -> {
            assertThat(p.path("classDataAsArray").asBoolean() && p.path("aliasAsLabel").asBoolean()).isTrue();
            assertThat(p.path("basisrolAsInteger").asBoolean()).isFalse();
        });
        for (Map<String, String> a : List.of(one, two)) {
            String platform = a == one ? "school1" : "school2";
            assertThat(read(platform, "getSchoolyearDataOfClass", "accesscode", "sim-accesscode", "classCode", a.get("class"))
                    .isArray()).as(platform).isTrue();
        }

        // {} resets every switch of every platform
        Http.Response reset = smartschoolVariants(Map.of());
        assertThat(reset.status()).isEqualTo(200);
        reset.json().forEach(p -> assertThat(p.path("classDataAsArray").asBoolean() || p.path("aliasAsLabel").asBoolean()
                || p.path("basisrolAsInteger").asBoolean() || p.path("emptyDayAsArray").asBoolean()).as(p.toString()).isFalse());
        assertThat(read("school2", "getSchoolyearDataOfClass", "accesscode", "sim-accesscode", "classCode", two.get("class"))
                .isObject()).isTrue();
        // no body at all is {} too
        assertThat(http.post("/sim/smartschool/admin/variants", "application/json", "").status()).isEqualTo(200);

        // a seed resets them as well
        smartschoolVariants(Map.of("classDataAsArray", true, "basisrolAsInteger", true, "emptyDayAsArray", true, "aliasAsLabel", true));
        seedPlatforms(2);
        for (String platform : List.of("school1", "school2")) {
            JsonNode s = switches(platform);
            assertThat(s.path("classDataAsArray").asBoolean() || s.path("basisrolAsInteger").asBoolean()
                    || s.path("emptyDayAsArray").asBoolean() || s.path("aliasAsLabel").asBoolean()).as(s.toString()).isFalse();
            assertThat(byDate(platform, "getAbsentsByDate", EMPTY_DAY).isObject()).isTrue();
        }
    }

    // ---- Informat ----

    private Http.Response token(String scope) {
        return http.post("/sim/identityserver/connect/token", "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=absence-bridge&client_secret=sim-informat-client-secret"
                        + (scope == null ? "" : "&scope=" + scope));
    }

    @Test
    void aTokenAskedWithoutScopeCoversEveryInstituteWhateverTheSwitch() {
        List<String> institutes = new java.util.ArrayList<>();
        http.get("/sim/informat/admin/locations").json().forEach(l -> {
            if (!institutes.contains(l.path("instituteNo").asText())) {
                institutes.add(l.path("instituteNo").asText());
            }
        });
        assertThat(institutes).hasSize(2);
        for (boolean on : new boolean[] {false, true}) {
            Http.Response v = informatVariants(Map.of("tokenWithoutScope", on));
            assertThat(v.status()).isEqualTo(200);
            assertThat(v.json().path("tokenWithoutScope").asBoolean()).isEqualTo(on);
            for (String scope : new String[] {null, ""}) {
                Http.Response t = token(scope);
                assertThat(t.status()).as(t.text()).isEqualTo(200);
                assertThat(t.json().path("token_type").asText()).isEqualTo("Bearer");
                String access = t.json().path("access_token").asText();
                for (String inst : institutes) {
                    assertThat(t.json().path("scope").asText()).contains("api_informat_sas_leerlingen.leerlingen." + inst);
                    Http.Response locations = http.get("/sim/informat/partner/v1/locations", "Authorization", "Bearer " + access,
                            "instituteNo", inst);
                    assertThat(locations.status()).as(inst + " " + locations.text()).isEqualTo(200);
                }
            }
        }
        // a scope that is not the client's is still refused
        assertThat(token("api_informat_sas_leerlingen.leerlingen.999999").json().path("error").asText()).isEqualTo("invalid_scope");
    }

    @Test
    void studentApiErrorsAreTheDocumentsShapeByDefaultAndProblemJsonWhenSwitched() {
        JsonNode s = student("secundair", true);
        String inst = s.path("instituteNo").asText();
        String access = token("api_informat_sas_leerlingen.leerlingen." + inst).json().path("access_token").asText();
        String path = "/sim/informat/api/v1/students/" + s.path("personId").asText() + "/absences";
        Map<String, Object> saturday = new HashMap<>(Map.of("schoolYear", "2026-27", "absenceCode", "Z", "date", "2026-11-28",
                "partOfDay", "VM", "locationIdDiscimus", s.path("locationIdDiscimus").asInt(), "timestamp", "2026-11-27T09:00:00"));
        Map<String, Object> noCode = new HashMap<>(saturday);
        noCode.remove("absenceCode");
        noCode.put("date", "2026-11-26");

        // default: application/json, an RFC 7231 type, ASP.NET's titles, a traceId per answer, validationErrors
        Http.Response invalid = http.putJson(path, noCode, "Authorization", "Bearer " + access, "instituteNo", inst);
        assertThat(invalid.status()).as(invalid.text()).isEqualTo(400);
        assertThat(invalid.header("Content-Type")).startsWith("application/json");
        assertThat(invalid.json().path("type").asText()).isEqualTo("https://tools.ietf.org/html/rfc7231#section-6.5.1");
        assertThat(invalid.json().path("title").asText()).isEqualTo("One or more validation errors occurred.");
        assertThat(invalid.json().path("status").asInt()).isEqualTo(400);
        assertThat(invalid.json().path("traceId").asText()).isNotBlank();
        assertThat(invalid.json().path("validationErrors").get(0).path("code").asText()).isEqualTo("BR050");
        Http.Response conflict = http.putJson(path, saturday, "Authorization", "Bearer " + access, "instituteNo", inst);
        assertThat(conflict.status()).as(conflict.text()).isEqualTo(409);
        assertThat(conflict.header("Content-Type")).startsWith("application/json");
        assertThat(conflict.json().path("type").asText()).isEqualTo("https://tools.ietf.org/html/rfc7231#section-6.5.8");
        assertThat(conflict.json().path("title").asText()).isEqualTo("Conflict");
        assertThat(conflict.json().path("traceId").asText()).isNotBlank().isNotEqualTo(invalid.json().path("traceId").asText());
        assertThat(conflict.json().path("validationErrors").get(0).path("code").asText()).isEqualTo("DNF009");
        Http.Response unauthorised = http.putJson(path, saturday, "Authorization", "Bearer nope", "instituteNo", inst);
        assertThat(unauthorised.status()).isEqualTo(401);
        assertThat(unauthorised.header("Content-Type")).startsWith("application/json");
        assertThat(unauthorised.json().path("traceId").asText()).isNotBlank();
        // the partner endpoints are the product's own model: their problems stay application/problem+json
        Http.Response partner = http.putJson("/sim/informat/partner/v1/students/" + s.path("personId").asText() + "/absences",
                noCode, "Authorization", "Bearer " + access, "instituteNo", inst);
        assertThat(partner.status()).isEqualTo(400);
        assertThat(partner.header("Content-Type")).startsWith("application/problem+json");

        Http.Response on = informatVariants(Map.of("problemJson", true));
        assertThat(on.status()).isEqualTo(200);
        assertThat(on.json().path("problemJson").asBoolean()).isTrue();
        assertThat(on.json().path("tokenWithoutScope").asBoolean()).isFalse();
        Http.Response problem = http.putJson(path, noCode, "Authorization", "Bearer " + access, "instituteNo", inst);
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.header("Content-Type")).startsWith("application/problem+json");
        assertThat(problem.json().has("traceId")).isFalse();
        assertThat(problem.json().path("validationErrors").get(0).path("code").asText()).isEqualTo("BR050");
        Http.Response problemConflict = http.putJson(path, saturday, "Authorization", "Bearer " + access, "instituteNo", inst);
        assertThat(problemConflict.header("Content-Type")).startsWith("application/problem+json");
        assertThat(problemConflict.json().path("validationErrors").get(0).path("code").asText()).isEqualTo("DNF009");

        // {} resets; so does a seed
        assertThat(informatVariants(Map.of()).json().path("problemJson").asBoolean()).isFalse();
        assertThat(http.putJson(path, noCode, "Authorization", "Bearer " + access, "instituteNo", inst).header("Content-Type"))
                .startsWith("application/json");
        informatVariants(Map.of("problemJson", true, "tokenWithoutScope", true));
        seedPlatforms(1);
        JsonNode after = http.get("/sim/informat/admin/variants").json();
        assertThat(after.path("problemJson").asBoolean() || after.path("tokenWithoutScope").asBoolean()).as(after.toString()).isFalse();
    }

    // ---- bad input ----

    @Test
    void badInputIsAClear4xxProblemNeverA500() {
        List<Object[]> cases = List.of(
                new Object[] {"/sim/smartschool/admin/variants", "{\"platform\":\"school9\",\"classDataAsArray\":true}", 404},
                new Object[] {"/sim/smartschool/admin/variants", "{\"classDataAsArray\":\"yes\"}", 400},
                new Object[] {"/sim/smartschool/admin/variants", "{\"classDataAsArray\":\"true\"}", 400},
                new Object[] {"/sim/smartschool/admin/variants", "{\"basisrolAsInteger\":1}", 400},
                new Object[] {"/sim/smartschool/admin/variants", "{\"emptyDayAsArray\":[]}", 400},
                new Object[] {"/sim/smartschool/admin/variants", "{\"platform\":7}", 400},
                new Object[] {"/sim/smartschool/admin/variants", "{\"aliasAsLabels\":true}", 400},
                new Object[] {"/sim/smartschool/admin/variants", "[true]", 400},
                new Object[] {"/sim/smartschool/admin/variants", "{not json", 400},
                new Object[] {"/sim/informat/admin/variants", "{\"problemJson\":\"false\"}", 400},
                new Object[] {"/sim/informat/admin/variants", "{\"tokenWithoutScope\":0}", 400},
                new Object[] {"/sim/informat/admin/variants", "{\"platform\":\"school1\"}", 400},
                new Object[] {"/sim/informat/admin/variants", "\"on\"", 400});
        for (Object[] c : cases) {
            Http.Response r = http.post((String) c[0], "application/json", (String) c[1]);
            assertThat(r.status()).as("%s %s: %s", c[0], c[1], r.text()).isEqualTo((int) c[2]);
            assertThat(r.header("Content-Type")).as("%s %s", c[0], c[1]).startsWith("application/problem+json");
            assertThat(r.json().path("detail").asText()).isNotBlank();
        }
        // nothing was switched by the refused calls
        http.get("/sim/smartschool/admin/variants").json().forEach(p -> assertThat(p.path("classDataAsArray").asBoolean()
                || p.path("basisrolAsInteger").asBoolean()).as(p.toString()).isFalse());
        assertThat(http.get("/sim/informat/admin/variants").json().path("problemJson").asBoolean()).isFalse();
    }
}
