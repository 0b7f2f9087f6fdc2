package be.absencebridge.sim;

import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulated platform answers Smartschool's published error codes with their published texts
 * (AbriantoLabs/smartschool-kit {@code tests/client.test.ts}, Makcime/n8n-nodes-smartschool
 * {@code nodes/SmartSchool/shared/errorCodes.ts}), each in the situation it has, over real HTTP; and a platform can give
 * the link a profile with restricted access ({@code admin/variants} {@code profileMethods}).
 */
class SmartschoolErrorCodesTest extends SimulatorTest {

    private static final String NS = "https://school.smartschool.be/Webservices/V3";

    private Http.Response soap(String method, String... namesAndValues) {
        StringBuilder p = new StringBuilder();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            p.append('<').append(namesAndValues[i]).append(" xsi:type=\"xsd:string\">").append(namesAndValues[i + 1])
                    .append("</").append(namesAndValues[i]).append('>');
        }
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:ns1=\"" + NS + "\" "
                + "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
                + "<SOAP-ENV:Body><ns1:" + method + ">" + p + "</ns1:" + method + "></SOAP-ENV:Body></SOAP-ENV:Envelope>\n";
        return http.post("/sim/smartschool/school1/Webservices/V3", "text/xml; charset=utf-8", body,
                "SOAPAction", "\"" + NS + "#" + method + "\"");
    }

    /** The {@code <return>}'s type and text, entities decoded once (as an XML parser would). */
    private static String[] answer(Http.Response r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        Matcher m = Pattern.compile("<return xsi:type=\"(xsd:\\w+)\">(.*)</return>", Pattern.DOTALL).matcher(r.text());
        assertThat(m.find()).as(r.text()).isTrue();
        return new String[] {m.group(1), m.group(2).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&amp;", "&")};
    }

    private static String errorCode(Http.Response r) {
        String[] a = answer(r);
        assertThat(a[0]).as("an error code is an integer <return>: %s", a[1]).isEqualTo("xsd:int");
        return a[1];
    }

    private String pupilUsername() throws Exception {
        JsonNode accounts = Http.JSON.readTree(answer(soap("getAllAccountsExtended", "accesscode", "sim-accesscode", "code", "",
                "recursive", "1"))[1]);
        return accounts.get(0).path("gebruikersnaam").asText();
    }

    @Test
    void returnJsonErrorCodesAnswersThe57PublishedCodesWithTheirTexts() throws Exception {
        String[] a = answer(soap("returnJsonErrorCodes"));
        assertThat(a[0]).isEqualTo("xsd:string");
        JsonNode codes = Http.JSON.readTree(a[1]);
        assertThat(codes.size()).isEqualTo(57);
        for (int c = 1; c <= 57; c++) {
            assertThat(codes.path(String.valueOf(c)).asText()).as("code %d", c).isNotBlank();
        }
        assertThat(codes.path("8").asText()).isEqualTo("Het opgegeven webserviceswachtwoord is niet correct.");
        assertThat(codes.path("9").asText()).isEqualTo("Deze gebruiker bestaat niet");
        assertThat(codes.path("12").asText()).isEqualTo("Deze gebruiker bestaat niet");
        assertThat(codes.path("10").asText()).isEqualTo("Er is een fout gebeurd tijdens het verwerken van de gegevens. Er is niets toegepast.");
        assertThat(codes.path("23").asText()).isEqualTo("Er is een onbekende fout opgetreden tijdens de verwerking.");
        assertThat(codes.path("49").asText()).isEqualTo("De datum is niet geldig");
        assertThat(codes.path("56").asText()).isEqualTo("Gelieve een geldige datum op te geven voor het schooljaar");
        // the live answer carries its line break as entities, which clients decode themselves
        assertThat(codes.path("4").asText()).contains("niet complex genoeg.&lt;br&gt;Bekijk");
    }

    @Test
    void eachSituationAnswersItsPublishedCode() throws Exception {
        String user = pupilUsername();
        assertThat(errorCode(soap("getAbsentsWithAliasByDate", "accesscode", "wrong", "date", "2026-11-26"))).isEqualTo("8");
        assertThat(errorCode(soap("getUserDetails", "accesscode", "sim-accesscode", "userIdentifier", "nobody.here"))).isEqualTo("12");
        assertThat(errorCode(soap("getStudentCareer", "accesscode", "sim-accesscode", "userIdentifier", "nobody.here"))).isEqualTo("12");
        assertThat(errorCode(soap("getAbsents", "accesscode", "sim-accesscode", "userIdentifier", "nobody.here", "schoolYear", "2026")))
                .isEqualTo("12");
        assertThat(errorCode(soap("getAbsentsWithAliasByDate", "accesscode", "sim-accesscode", "date", "26/11/2026"))).isEqualTo("49");
        assertThat(errorCode(soap("getAbsentsByDate", "accesscode", "sim-accesscode", "date", "2026-02-30"))).isEqualTo("49");
        assertThat(errorCode(soap("getAbsents", "accesscode", "sim-accesscode", "userIdentifier", user, "schoolYear", "2026-27")))
                .isEqualTo("56");
        assertThat(answer(soap("getAbsents", "accesscode", "sim-accesscode", "userIdentifier", user, "schoolYear", "2026"))[0])
                .isEqualTo("xsd:string");

        // the platform failing while it processes a call: its code for an unknown processing error
        http.postJson("/sim/smartschool/admin/faults", Map.of("platform", "school1", "errorCodeRate", 1.0));
        assertThat(errorCode(soap("getAbsentsWithAliasByDate", "accesscode", "sim-accesscode", "date", "2026-11-26"))).isEqualTo("23");
        http.postJson("/sim/smartschool/admin/faults", Map.of());
        assertThat(answer(soap("getAbsentsWithAliasByDate", "accesscode", "sim-accesscode", "date", "2026-11-26"))[0]).isEqualTo("xsd:string");
    }

    @Test
    void aRestrictedProfileOpensOnlyItsMethods() throws Exception {
        Http.Response set = http.postJson("/sim/smartschool/admin/variants", Map.of("platform", "school1",
                "profileMethods", List.of("getAllAccountsExtended", "getUserDetails")));
        assertThat(set.status()).as(set.text()).isEqualTo(200);
        assertThat(set.json().get(0).path("profileMethods").toString()).isEqualTo("[\"getAllAccountsExtended\",\"getUserDetails\"]");
        try {
            String user = pupilUsername();
            assertThat(answer(soap("getUserDetails", "accesscode", "sim-accesscode", "userIdentifier", user))[0]).isEqualTo("xsd:string");
            assertThat(errorCode(soap("getAbsentsWithAliasByDate", "accesscode", "sim-accesscode", "date", "2026-11-26"))).isEqualTo("8");
            assertThat(errorCode(soap("getSchoolyearDataOfClass", "accesscode", "sim-accesscode", "classCode", "x"))).isEqualTo("8");
            // the error list needs no access code, so no profile closes it
            assertThat(answer(soap("returnJsonErrorCodes"))[0]).isEqualTo("xsd:string");
        } finally {
            http.postJson("/sim/smartschool/admin/variants", Map.of());
        }
        assertThat(answer(soap("getAbsentsWithAliasByDate", "accesscode", "sim-accesscode", "date", "2026-11-26"))[0]).isEqualTo("xsd:string");
        for (JsonNode p : http.get("/sim/smartschool/admin/variants").json()) {
            assertThat(p.path("profileMethods").isNull()).as(p.toString()).isTrue();
        }
        // a method the platform does not have, or not a list, is refused
        assertThat(http.post("/sim/smartschool/admin/variants", "application/json", "{\"profileMethods\":[\"deleteEverything\"]}")
                .status()).isEqualTo(400);
        assertThat(http.post("/sim/smartschool/admin/variants", "application/json", "{\"profileMethods\":\"getUserDetails\"}")
                .status()).isEqualTo(400);
    }
}
