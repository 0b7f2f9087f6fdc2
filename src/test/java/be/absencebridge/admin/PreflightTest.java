package be.absencebridge.admin;

import be.absencebridge.support.BridgeTest;
import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The preflight a school runs against its real vendors, here against the simulators: read-only calls with the
 * configuration in force, a report per vendor and platform (reachable, credential, the published reading each disputed
 * answer matched, the partner endpoints), no personal data; admins only.
 */
class PreflightTest extends BridgeTest {

    private JsonNode preflight() {
        Http.Response r = http.get("/api/admin/preflight", "Authorization", adminAuth());
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    private static Map<String, JsonNode> byPlatform(JsonNode report) {
        Map<String, JsonNode> out = new HashMap<>();
        report.path("vendors").forEach(v -> out.put(v.path("vendor").asText() + "/" + v.path("platform").asText(), v));
        return out;
    }

    @Test
    void theReportSaysWhatEachVendorAnswersAndWhichReadingItFollows() {
        JsonNode report = preflight();
        assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
        Map<String, JsonNode> vendors = byPlatform(report);
        assertThat(vendors).containsKeys("smartschool/school1", "smartschool/school2", "informat/");
        JsonNode school1 = vendors.get("smartschool/school1");
        assertThat(school1.path("reachable").asBoolean()).isTrue();
        assertThat(school1.path("credential").asText()).isEqualTo("valid");
        assertThat(school1.path("readings").path("basisrol").asText()).isEqualTo("text");
        assertThat(school1.path("readings").path("classData").asText()).isEqualTo("object");
        assertThat(school1.path("readings").path("emptyDay").asText()).isEqualTo("{}");
        assertThat(school1.path("partner").path("settings").asBoolean()).isTrue();
        JsonNode informat = vendors.get("informat/");
        assertThat(informat.path("credential").asText()).isEqualTo("valid");
        assertThat(informat.path("partner").path("changeFeed").asBoolean()).isTrue();
        // counts and shapes only: no account, pupil or person of the register in it
        String text = report.toString();
        for (JsonNode p : smartschoolPupils()) {
            assertThat(text).doesNotContain(p.path("username").asText());
        }
        for (JsonNode s : students()) {
            assertThat(text).doesNotContain(s.path("personId").asText());
        }
        assertThat(http.get("/api/admin/preflight", "Authorization", "Basic " + java.util.Base64.getEncoder()
                .encodeToString(("viewer:" + VIEWER_PASSWORD).getBytes())).status()).as("a viewer").isEqualTo(403);

        // the other published readings are named as such
        http.postJson("/sim/smartschool/admin/variants", Map.of("classDataAsArray", true, "basisrolAsInteger", true,
                "emptyDayAsArray", true, "platform", "school2"));
        JsonNode school2 = byPlatform(preflight()).get("smartschool/school2");
        assertThat(school2.path("readings").path("basisrol").asText()).isEqualTo("integer");
        assertThat(school2.path("readings").path("classData").asText()).isEqualTo("array");
        assertThat(school2.path("readings").path("emptyDay").asText()).isEqualTo("[]");
    }

    /** A profile with restricted access that lacks a method the bridge needs: the credential is valid, the method named. */
    @Test
    void aMethodTheLinksProfileLacksIsNamedAndTheCredentialIsValid() {
        for (String lacking : new String[] {"getAllAccountsExtended", "getAbsentsWithAliasByDate"}) {
            java.util.List<String> profile = new java.util.ArrayList<>(java.util.List.of("getAllAccountsExtended", "getUserDetails",
                    "getStudentCareer", "getSchoolyearDataOfClass", "getAbsentsWithAliasByDate"));
            profile.remove(lacking);
            http.postJson("/sim/smartschool/admin/variants", Map.of("platform", "school2", "profileMethods", profile));
            try {
                JsonNode report = preflight();
                assertThat(report.path("ok").asBoolean()).isFalse();
                JsonNode school2 = byPlatform(report).get("smartschool/school2");
                assertThat(school2.path("credential").asText()).as(lacking).isEqualTo("valid");
                assertThat(school2.path("problems").toString()).as(lacking).contains(lacking).contains("profile");
                assertThat(byPlatform(report).get("smartschool/school1").path("problems")).isEmpty();
            } finally {
                http.postJson("/sim/smartschool/admin/variants", Map.of());
            }
        }
        // every method answers again (and the health's alarm of the profile clears with it)
        assertThat(byPlatform(preflight()).get("smartschool/school2").path("problems")).isEmpty();
    }

    @Test
    void aRefusedCredentialIsNamedAndTheReportIsNotOk() {
        http.putJson("/sim/smartschool/admin/settings", Map.of("platform", "school2", "accesscode", "changed-by-the-school"));
        try {
            JsonNode report = preflight();
            assertThat(report.path("ok").asBoolean()).isFalse();
            JsonNode school2 = byPlatform(report).get("smartschool/school2");
            assertThat(school2.path("credential").asText()).isEqualTo("refused");
            assertThat(school2.path("problems").toString()).contains("error code 8");
            assertThat(byPlatform(report).get("smartschool/school1").path("problems")).isEmpty();
        } finally {
            http.putJson("/sim/smartschool/admin/settings", Map.of("platform", "school2", "accesscode", ""));
        }
    }
}
