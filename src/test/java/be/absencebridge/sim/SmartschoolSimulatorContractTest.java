package be.absencebridge.sim;

import be.absencebridge.exchange.receive.InvalidSignatureException;
import be.absencebridge.exchange.receive.WebhookSignature;

import be.absencebridge.support.Http;
import be.absencebridge.support.PushRecorder;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Every Smartschool simulator endpoint of CONTRACTS.md, as the bridge and as a person would call it. */
class SmartschoolSimulatorContractTest extends SimulatorTest {

    private static final String NS = "https://school.smartschool.be/Webservices/V3";

    /** Exactly what PHP's SoapClient sends in non-WSDL mode (RPC/encoded, positional params with xsi:type). */
    private static String phpEnvelope(String method, String... params) {
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < params.length; i++) {
            p.append("<param").append(i).append(" xsi:type=\"xsd:string\">").append(params[i]).append("</param").append(i).append('>');
        }
        return envelope(method, p.toString());
    }

    /** What a WSDL-mode client sends: the parameters named as the WSDL names them. */
    private static String namedEnvelope(String method, String... namesAndValues) {
        StringBuilder p = new StringBuilder();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            p.append('<').append(namesAndValues[i]).append(" xsi:type=\"xsd:string\">").append(namesAndValues[i + 1])
                    .append("</").append(namesAndValues[i]).append('>');
        }
        return envelope(method, p.toString());
    }

    private static String envelope(String method, String params) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:ns1=\"" + NS + "\" "
                + "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:SOAP-ENC=\"http://schemas.xmlsoap.org/soap/encoding/\" "
                + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                + "SOAP-ENV:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><SOAP-ENV:Body><ns1:" + method + ">"
                + params + "</ns1:" + method + "></SOAP-ENV:Body></SOAP-ENV:Envelope>\n";
    }

    private Http.Response soap(String body) {
        return http.post("/sim/smartschool/school1/Webservices/V3", "text/xml; charset=utf-8", body,
                "SOAPAction", "\"" + NS + "#getAbsentsWithAliasByDate\"");
    }

    /** The {@code return} element's type and text. */
    private static String[] soapReturnRaw(Http.Response r) {
        Matcher m = Pattern.compile("<return xsi:type=\"(xsd:\\w+)\">(.*)</return>", Pattern.DOTALL).matcher(r.text());
        assertThat(m.find()).as(r.text()).isTrue();
        return new String[] {m.group(1), m.group(2)};
    }

    /** The JSON string inside the SOAP {@code return} element (quotes as plain characters, as PHP's SoapServer writes them). */
    private static JsonNode soapReturn(Http.Response r) throws Exception {
        String[] raw = soapReturnRaw(r);
        assertThat(raw[0]).isEqualTo("xsd:string");
        assertThat(raw[1]).doesNotContain("&quot;");
        return Http.JSON.readTree(raw[1].replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
    }

    private String username(String internal) {
        for (JsonNode p : smartschoolPupils()) {
            if (p.path("internalNumber").asText().equals(internal)) {
                return "leerling" + internal;
            }
        }
        throw new IllegalStateException(internal);
    }

    @Test
    void soapReadReturnsTheRegisterKeyedByUsernameWithOfficialCodeAndAliasAndNoTimeOrMotivation() throws Exception {
        String p = pupil();
        String user = username(p);
        assertThat(smartschoolRegister(p, "2026-11-26", "am", "Z", "ZM", "attest", "2026-11-26T08:35:00+01:00").status()).isEqualTo(200);
        assertThat(smartschoolRegister(p, "2026-11-26", "pm", "|", null, null, "2026-11-26T13:05:00+01:00").status()).isEqualTo(200);

        Http.Response r = soap(phpEnvelope("getAbsentsWithAliasByDate", "sim-accesscode", "2026-11-26"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/xml");
        assertThat(r.text()).contains("getAbsentsWithAliasByDateResponse");
        JsonNode day = soapReturn(r).path(user);
        assertThat(day.path("am").path("officialcode").asText()).isEqualTo("Z");
        assertThat(day.path("am").path("alias").asText()).isEqualTo("ZM");
        assertThat(day.path("am").has("motivation")).as("no motivation in any read").isFalse();
        assertThat(day.path("am").has("registeredAt")).as("no registration time in any read").isFalse();
        assertThat(day.path("pm").path("officialcode").asText()).as("presences are listed too").isEqualTo("|");

        // the same call with named parameters, as WSDL-mode clients send it
        JsonNode named = soapReturn(soap(namedEnvelope("getAbsentsWithAliasByDate", "accesscode", "sim-accesscode", "date", "2026-11-26")));
        assertThat(named.path(user)).isEqualTo(day);

        JsonNode plain = soapReturn(soap(phpEnvelope("getAbsentsByDate", "sim-accesscode", "2026-11-26"))).path(user);
        assertThat(plain.path("am").asText()).isEqualTo("Z");
        assertThat(plain.path("pm").asText()).isEqualTo("|");
        assertThat(plain.has("name")).isTrue();
        JsonNode byNumber = soapReturn(soap(phpEnvelope("getAbsentsWithInternalNumberByDate", "sim-accesscode", "2026-11-26"))).path(p);
        assertThat(byNumber.path("am").asText()).isEqualTo("Z");
        JsonNode year = soapReturn(soap(namedEnvelope("getAbsentsWithAlias", "accesscode", "sim-accesscode", "userIdentifier", user,
                "schoolYear", "2026"))).path("2026-11-26");
        assertThat(year.path("am").path("code").asText()).isEqualTo("Z");

        assertThat(soapReturn(soap(phpEnvelope("getAbsentsWithAliasByDate", "sim-accesscode", "2026-11-25"))).size()).isZero();
    }

    @Test
    void accountsReadsGiveWhatMatchesAPupilAcrossThePackages() throws Exception {
        String p = pupil();
        JsonNode student = student("lager", true);
        JsonNode accounts = soapReturn(soap(namedEnvelope("getAllAccountsExtended", "accesscode", "sim-accesscode", "code", "",
                "recursive", "1")));
        JsonNode mine = null;
        for (JsonNode a : accounts) {
            if (a.path("internnummer").asText().equals(p)) {
                mine = a;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.path("gebruikersnaam").asText()).isEqualTo(username(p));
        assertThat(mine.path("stamboeknummer").asText()).isEqualTo(student.path("studentNo").asText());
        assertThat(mine.path("basisrol").asText()).isEqualTo("leerling");
        JsonNode official = mine.path("groups").get(0);
        assertThat(official.path("isKlas").asBoolean() && official.path("isOfficial").asBoolean()).isTrue();
        JsonNode klas = soapReturn(soap(namedEnvelope("getSchoolyearDataOfClass", "accesscode", "sim-accesscode", "classCode",
                official.path("code").asText())));
        assertThat(klas.path("instituteNumber").asText()).isEqualTo(student.path("instituteNo").asText());
        JsonNode career = soapReturn(soap(namedEnvelope("getStudentCareer", "accesscode", "sim-accesscode", "userIdentifier", username(p))));
        assertThat(career.get(0).path("instituteNumber").asText()).isEqualTo(student.path("instituteNo").asText());
        assertThat(career.get(0).path("stamboeknummer").asText()).isEqualTo(student.path("studentNo").asText());
    }

    @Test
    void aFailedCallReturnsSmartschoolsIntegerErrorCodeNotAFault() throws Exception {
        Http.Response wrongCode = soap(phpEnvelope("getAbsentsWithAliasByDate", "wrong", "2026-11-26"));
        assertThat(wrongCode.status()).isEqualTo(200);
        assertThat(wrongCode.text()).doesNotContain("Fault");
        assertThat(soapReturnRaw(wrongCode)).containsExactly("xsd:int", "8");
        assertThat(soapReturnRaw(soap(phpEnvelope("getAbsentsWithAliasByDate", "sim-accesscode", "26/11/2026")))).containsExactly("xsd:int", "49");
        assertThat(soapReturnRaw(soap(namedEnvelope("getUserDetails", "accesscode", "sim-accesscode", "userIdentifier", "nobody"))))
                .containsExactly("xsd:int", "12");
        JsonNode codes = soapReturn(soap(envelope("returnJsonErrorCodes", "")));
        assertThat(codes.path("8").asText()).isNotBlank();
        assertThat(codes.path("12").asText()).isNotBlank();
        assertThat(codes.path("49").asText()).isNotBlank();
    }

    @Test
    void theWsdlDeclaresEveryOperationAtTheAddressItWasReadFrom() {
        Http.Response wsdl = http.get("/sim/smartschool/school1/Webservices/V3?wsdl");
        assertThat(wsdl.status()).isEqualTo(200);
        assertThat(wsdl.text()).contains("<service name=\"V3Service\">", "<port name=\"V3Port\"", "style=\"rpc\"", "use=\"encoded\"",
                "soap:address location=\"" + http.base() + "/sim/smartschool/school1/Webservices/V3\"",
                "targetNamespace=\"" + http.base() + "/sim/smartschool/school1/Webservices/V3\"",
                "soapAction=\"" + http.base() + "/sim/smartschool/school1/Webservices/V3#getAbsentsWithAliasByDate\"",
                "<message name=\"getAbsentsWithAliasByDateIn\">", "<part name=\"accesscode\" type=\"xsd:string\"/>",
                "<operation name=\"getAllAccountsExtended\">", "<operation name=\"returnJsonErrorCodes\">");
    }

    @Test
    void faultsOnlyForAnUnknownMethodOrAnEnvelopeThatCannotBeRead() {
        Http.Response unknown = soap(phpEnvelope("deleteEverything", "sim-accesscode", "2026-11-26"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.text()).contains("<faultcode>SOAP-ENV:Client</faultcode>");

        for (String bad : List.of("", "<not-xml", "<a>plain xml, no envelope</a>",
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                        + "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Body>&e;</SOAP-ENV:Body></SOAP-ENV:Envelope>")) {
            Http.Response r = soap(bad);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.text()).contains("SOAP-ENV:Client").doesNotContain("root:");
        }
    }

    /** A cell of the partner write, the pupil by username (the simulator's: leerling + internal number). */
    private static Map<String, Object> cell(String internal, String date, String part, String code, String alias, String at) {
        Map<String, Object> c = new HashMap<>();
        c.put("username", "leerling" + internal);
        c.put("date", date);
        c.put("part", part);
        c.put("code", code);
        c.put("alias", alias);
        c.put("motivation", null);
        c.put("registeredAt", at);
        return c;
    }

    private String pupil() {
        return internalNumberOf(student("lager", true));
    }

    @Test
    void pupilsAndSettings() {
        JsonNode pupils = smartschoolPupils();
        assertThat(pupils.size()).isEqualTo(200);
        JsonNode first = pupils.get(0);
        assertThat(first.fieldNames()).toIterable().contains("username", "internalNumber", "institutionNumber", "registrationNumber", "classCode");

        assertThat(http.get("/sim/smartschool/school1/partner/v1/settings").status()).as("the partner endpoints need the access code").isEqualTo(401);
        JsonNode settings = http.get("/sim/smartschool/school1/partner/v1/settings", "Authorization", "Bearer sim-accesscode").json();
        assertThat(settings.path("absenceSyncEnabled").asBoolean()).isTrue();
        assertThat(settings.path("discimusInstitutions").size()).isZero();
        assertThat(settings.path("aliases").toString()).contains("\"alias\":\"ZM\"", "\"code\":\"Z\"", "\"alias\":\"RB\"");

        String inst = first.path("institutionNumber").asText();
        assertThat(first.path("platform").asText()).isEqualTo("school1");
        JsonNode changed = http.putJson("/sim/smartschool/admin/settings",
                Map.of("platform", "school1", "absenceSyncEnabled", false, "discimusInstitutions", List.of(inst))).json().get(0);
        assertThat(changed.path("absenceSyncEnabled").asBoolean()).isFalse();
        assertThat(changed.path("discimusInstitutions").get(0).asText()).isEqualTo(inst);
        assertThat(http.putJson("/sim/smartschool/admin/settings", Map.of("discimusInstitutions", List.of("999999"))).status())
                .isEqualTo(400);
    }

    @Test
    void partnerWriteAnswersSavedUnchangedStaleAndRejected() {
        String p = pupil();
        String url = "/sim/smartschool/" + platformOf(p) + "/partner/v1/absences";
        assertThat(http.postJson(url, List.of()).status()).as("the access code as bearer token").isEqualTo(401);
        JsonNode r = http.postJson(url, List.of(
                cell(p, "2026-11-25", "am", "Z", null, "2026-11-25T09:00:00+01:00"),          // saved
                cell(p, "2026-11-25", "am", "Z", null, "2026-11-25T09:00:00+01:00"),          // unchanged
                cell(p, "2026-11-25", "am", "B", null, "2026-11-25T08:00:00+01:00"),          // stale: older
                cell(p, "2026-11-30", "am", "Z", null, "2026-11-27T09:00:00+01:00"),          // rejected: future
                cell("no-such-pupil", "2026-11-25", "am", "Z", null, "2026-11-25T09:00:00+01:00"),
                cell(p, "2026-11-25", "pm", "X", null, "2026-11-25T09:00:00+01:00"),          // unknown code
                cell(p, "2026-11-25", "pm", "R", "ZM", "2026-11-25T09:00:00+01:00"),          // alias of another code
                cell(p, "2026-11-25", "pm", "Z", null, "2026-11-25T09:00:00+01:00"),          // Wednesday afternoon
                cell(p, "2026-11-11", "am", "Z", null, "2026-11-11T09:00:00+01:00"),          // 11 November
                cell(p, "2026-11-24", "xx", "Z", null, "2026-11-24T09:00:00+01:00"),
                cell(p, "2026-11-24", "am", "Z", null, null),
                cell(p, "2026-11-24", "am", null, "ZM", "2026-11-24T09:00:00+01:00")), "Authorization", "Bearer sim-accesscode").json(); // alias alone: saved as Z/ZM
        assertThat(r.size()).isEqualTo(12);
        assertThat(r.get(0).path("status").asText()).isEqualTo("saved");
        assertThat(r.get(1).path("status").asText()).isEqualTo("unchanged");
        assertThat(r.get(2).path("status").asText()).isEqualTo("stale");
        for (int i = 3; i <= 10; i++) {
            assertThat(r.get(i).path("status").asText()).as("cell %d: %s", i, r.get(i)).isEqualTo("rejected");
            assertThat(r.get(i).path("reason").asText()).isNotBlank();
        }
        assertThat(r.get(11).path("status").asText()).isEqualTo("saved");

        JsonNode stored = http.get("/sim/smartschool/admin/register?date=2026-11-25").json();
        assertThat(stored.size()).isEqualTo(1);
        assertThat(stored.get(0).path("code").asText()).isEqualTo("Z");
        assertThat(stored.get(0).path("registeredBy").asText()).isEqualTo("koppeling-informat");

        // a clear (code null) that is newer empties the half-day
        JsonNode cleared = http.postJson(url, List.of(cell(p, "2026-11-25", "am", null, null, "2026-11-25T10:00:00+01:00")),
                "Authorization", "Bearer sim-accesscode").json();
        assertThat(cleared.get(0).path("status").asText()).isEqualTo("saved");
        assertThat(http.get("/sim/smartschool/admin/register?date=2026-11-25").json().size()).isZero();
    }

    @Test
    void personRegistrationIsPushedSignedAndLinkWritesOnlyWhenTheEchoIsAskedFor() throws Exception {
        JsonNode student = student("secundair", true);
        String p = internalNumberOf(student);
        assertThat(smartschoolRegister(p, "2026-11-27", "am", "Z", "ZM", "medisch attest", null).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> PUSHES.pushes("/api/inbound/smartschool").size() == 1);
        PushRecorder.Push push = PUSHES.pushes("/api/inbound/smartschool").get(0);
        // signed with the simulator's clock at the sending, over the timestamp and the body
        assertThat(push.timestamp()).isEqualTo(Long.toString(clock.instant().getEpochSecond()));
        new WebhookSignature("sim-smartschool-webhook-secret").verify(push.body(), push.timestamp(), push.signature(),
                clock.instant(), Duration.ofMinutes(5));
        assertThatThrownBy(() -> new WebhookSignature("another-secret").verify(push.body(), push.timestamp(), push.signature(),
                clock.instant(), Duration.ofMinutes(5))).isInstanceOf(InvalidSignatureException.class);
        JsonNode e = Http.JSON.readTree(push.body());
        assertThat(e.path("eventId").asText()).isNotBlank();
        assertThat(e.path("internalNumber").asText()).isEqualTo(p);
        assertThat(e.path("username").asText()).isEqualTo("leerling" + p);
        assertThat(e.path("institutionNumber").asText()).isEqualTo(student.path("instituteNo").asText());
        assertThat(e.path("registrationNumber").asText()).isEqualTo(student.path("studentNo").asText());
        assertThat(e.path("date").asText()).isEqualTo("2026-11-27");
        assertThat(e.path("part").asText()).isEqualTo("am");
        assertThat(e.path("code").asText()).isEqualTo("Z");
        assertThat(e.path("alias").asText()).isEqualTo("ZM");
        assertThat(e.path("motivation").asText()).isEqualTo("medisch attest");
        assertThat(e.path("registeredAt").asText()).isEqualTo("2026-11-27T12:00+01:00");
        assertThat(e.path("registeredBy").asText()).isEqualTo("leerkracht");

        // the link's own write is not pushed back to it (the partner contract): the person's registration after it is
        String partner = "/sim/smartschool/" + platformOf(p) + "/partner/v1/absences";
        assertThat(http.postJson(partner, List.of(cell(p, "2026-11-27", "pm", "R", null, "2026-11-27T11:00:00+01:00")),
                "Authorization", "Bearer sim-accesscode").json().get(0).path("status").asText()).isEqualTo("saved");
        assertThat(smartschoolRegister(p, "2026-11-26", "am", "B", null, null, null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> PUSHES.pushes("/api/inbound/smartschool").size() >= 2);
        assertThat(PUSHES.pushes("/api/inbound/smartschool")).extracting(x -> Http.JSON.readTree(x.body()).path("registeredBy").asText())
                .containsExactly("leerkracht", "leerkracht");

        // a vendor that echoes (the simulator's "echo"): the link's write comes back under the link account
        http.postJson("/sim/smartschool/admin/faults", Map.of("echo", true));
        http.postJson(partner, List.of(cell(p, "2026-11-26", "pm", "R", null, "2026-11-26T11:00:00+01:00")),
                "Authorization", "Bearer sim-accesscode");
        await().atMost(Duration.ofSeconds(10)).until(() -> PUSHES.pushes("/api/inbound/smartschool").size() == 3);
        JsonNode linkPush = Http.JSON.readTree(PUSHES.pushes("/api/inbound/smartschool").get(2).body());
        assertThat(linkPush.path("registeredBy").asText()).isEqualTo("koppeling-informat");
    }

    @Test
    void noPushWhenPushIsOffOrTheLinkIsSwitchedOff() {
        String p = pupil();
        http.postJson("/sim/smartschool/admin/faults", Map.of("push", false));
        smartschoolRegister(p, "2026-11-27", "am", "Z", null, null, null);
        http.postJson("/sim/smartschool/admin/faults", Map.of());
        http.putJson("/sim/smartschool/admin/settings", Map.of("absenceSyncEnabled", false));
        smartschoolRegister(p, "2026-11-27", "pm", "Z", null, null, null);
        http.putJson("/sim/smartschool/admin/settings", Map.of("absenceSyncEnabled", true));
        smartschoolRegister(p, "2026-11-26", "am", "B", null, null, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> PUSHES.pushes("/api/inbound/smartschool").size() >= 1);
        // the marker push arrived; the two before it were never sent
        assertThat(PUSHES.pushes("/api/inbound/smartschool")).hasSize(1);
        assertThat(PUSHES.pushes("/api/inbound/smartschool").get(0).text()).contains("\"code\":\"B\"");
    }

    @Test
    void registerControlValidatesLikeTheScreen() {
        String p = pupil();
        assertThat(smartschoolRegister(p, "2026-11-28", "am", "Z", null, null, null).status()).as("Saturday").isEqualTo(400);
        assertThat(smartschoolRegister(p, "2026-12-01", "am", "Z", null, null, null).status()).as("future").isEqualTo(400);
        assertThat(smartschoolRegister("0", "2026-11-27", "am", "Z", null, null, null).status()).isEqualTo(404);
        assertThat(smartschoolRegister(p, "2026-11-27", "am", "X", null, null, null).status()).isEqualTo(400);
        assertThat(smartschoolRegister(p, "2026-11-27", "am", "Z", null, null, "2026-11-27T18:00:00+01:00").status()).as("registered in the future").isEqualTo(400);
        Http.Response r = smartschoolRegister(p, "not-a-date", "am", "Z", null, null, null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("detail").asText()).contains("date");
    }
}
