package be.absencebridge.vendor.smartschool;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.support.BridgeTest;
import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The adapter against the simulated platform's published error codes, each in the situation that makes the platform
 * answer it: its kind in the error, the log and the {@code kind} label of {@code bridge_vendor_errors_total}. A method the
 * link's restricted profile lacks is an alarm of its own (ERROR once, {@code kind="restricted"}, the platform's health),
 * not a refused access code and not silence.
 */
@ExtendWith(OutputCaptureExtension.class)
class SmartschoolErrorKindsTest extends BridgeTest {

    @Autowired
    SmartschoolSoap soap;
    @Autowired
    Platforms platforms;
    @LocalManagementPort
    int managementPort;

    private Http management() {
        return new Http("http://127.0.0.1:" + managementPort);
    }

    private double errors(String platform, String code, String kind) {
        Matcher m = Pattern.compile("bridge_vendor_errors_total\\{code=\"" + code + "\",kind=\"" + kind + "\",platform=\"" + platform
                + "\",vendor=\"smartschool\"} ([0-9.]+)").matcher(management().get("/actuator/prometheus", "Authorization", adminAuth()).text());
        return m.find() ? Double.parseDouble(m.group(1)) : 0.0;
    }

    private SmartschoolSoap.ErrorCodeException refused(String platform, String method, String... namesAndValues) {
        SmartschoolSoap.ErrorCodeException e = catchThrowableOfType(() -> soap.call(platforms.get(platform), method, namesAndValues),
                SmartschoolSoap.ErrorCodeException.class);
        assertThat(e).as(method).isNotNull();
        return e;
    }

    private JsonNode health(String platform) {
        return management().get("/actuator/health/vendors", "Authorization", adminAuth()).json()
                .path("components").path("smartschoolHealth").path("components").path(platform);
    }

    private String aUsername(String platform) throws Exception {
        JsonNode accounts = Http.JSON.readTree(soap.call(platforms.get(platform), "getAllAccountsExtended", "code", "", "recursive", "1"));
        return accounts.get(0).path("gebruikersnaam").asText();
    }

    @Test
    void eachAnswerIsClassifiedWithItsKindInTheErrorTheLogAndTheMetric(CapturedOutput output) throws Exception {
        String user = aUsername("school1");

        double unknown = errors("school1", "12", "unknown_user");
        SmartschoolSoap.ErrorCodeException e = refused("school1", "getUserDetails", "userIdentifier", "nobody.here");
        assertThat(e.code()).isEqualTo(12);
        assertThat(e.kind()).isEqualTo(SmartschoolErrors.Kind.UNKNOWN_USER);
        assertThat(errors("school1", "12", "unknown_user")).isEqualTo(unknown + 1);
        assertThat(output.getAll()).contains("Smartschool platform school1 answered getUserDetails with error 12 (unknown_user");

        double badInput = errors("school1", "49", "bad_input");
        e = refused("school1", "getAbsentsWithAliasByDate", "date", "26/11/2026");
        assertThat(e.code()).isEqualTo(49);
        assertThat(e.kind()).isEqualTo(SmartschoolErrors.Kind.BAD_INPUT);
        assertThat(errors("school1", "49", "bad_input")).isEqualTo(badInput + 1);
        assertThat(output.getAll()).contains("answered getAbsentsWithAliasByDate with error 49 (bad_input");

        e = refused("school1", "getAbsents", "userIdentifier", user, "schoolYear", "2026-27");
        assertThat(e.code()).isEqualTo(56);
        assertThat(e.kind()).isEqualTo(SmartschoolErrors.Kind.BAD_INPUT);
        assertThat(output.getAll()).contains("answered getAbsents with error 56 (bad_input");

        http.postJson("/sim/smartschool/admin/faults", Map.of("platform", "school1", "errorCodeRate", 1.0));
        try {
            e = refused("school1", "getAbsentsWithAliasByDate", "date", "2026-11-26");
            assertThat(e.code()).isEqualTo(23);
            assertThat(e.kind()).isEqualTo(SmartschoolErrors.Kind.VENDOR_FAULT);
            assertThat(errors("school1", "23", "vendor_fault")).isPositive();
            // one line per change of the platform's answer: the bridge's own directory read may meet the fault first
            assertThat(output.getAll()).containsPattern("Smartschool platform school1 answered \\w+ with error 23 \\(vendor_fault");
        } finally {
            http.postJson("/sim/smartschool/admin/faults", Map.of());
        }

        // a refused access code: the other methods are refused too, so it is the credential, not a profile
        double credential = errors("school2", "8", "credential");
        aUsername("school2");
        http.putJson("/sim/smartschool/admin/settings", Map.of("platform", "school2", "accesscode", "changed-by-the-school"));
        try {
            e = refused("school2", "getAbsentsWithAliasByDate", "date", "2026-11-26");
            assertThat(e.kind()).isEqualTo(SmartschoolErrors.Kind.CREDENTIAL);
            // at least this call's: the bridge's own reads of the platform (its directory, its settings) may meet it too
            assertThat(errors("school2", "8", "credential")).isGreaterThanOrEqualTo(credential + 1);
            assertThat(health("school2").path("details").path("alarm").asText()).contains("refuses the web-services access code");
        } finally {
            http.putJson("/sim/smartschool/admin/settings", Map.of("platform", "school2", "accesscode", ""));
        }
        soap.call(platforms.get("school2"), "getAbsentsWithAliasByDate", "date", "2026-11-26");
        assertThat(health("school2").path("details").has("alarm")).isFalse();
    }

    @Test
    void aMethodOutsideTheLinksRestrictedProfileIsAnAlarmOfItsOwn(CapturedOutput output) throws Exception {
        BridgeProperties.Platform school1 = platforms.get("school1");
        aUsername("school1");
        double restricted = errors("school1", "8", "restricted");
        double credential = errors("school1", "8", "credential");
        // the school gives the link a profile of its own that opens the account reads, not the absence reads
        http.postJson("/sim/smartschool/admin/variants", Map.of("platform", "school1",
                "profileMethods", List.of("getAllAccountsExtended", "getUserDetails", "getStudentCareer", "getSchoolyearDataOfClass")));
        try {
            poll("smartschool");
            poll("smartschool");
            JsonNode h = health("school1");
            assertThat(h.path("status").asText()).isEqualTo("DOWN");
            assertThat(h.path("details").path("alarm").asText()).contains("does not allow getAbsentsWithAliasByDate")
                    .contains("profile").doesNotContain("refuses the web-services access code");
            assertThat(health("school2").path("details").has("alarm")).as("the other platform").isFalse();
            assertThat(errors("school1", "8", "restricted")).isGreaterThanOrEqualTo(restricted + 2);
            assertThat(errors("school1", "8", "credential")).as("not a refused access code").isEqualTo(credential);
            SmartschoolSoap.ErrorCodeException e = refused("school1", "getAbsentsWithAliasByDate", "date", "2026-11-26");
            assertThat(e.kind()).isEqualTo(SmartschoolErrors.Kind.RESTRICTED);
            assertThat(e.getMessage()).contains("profile does not allow getAbsentsWithAliasByDate");
            // the methods the profile opens still answer
            aUsername("school1");
            assertThat(health("school1").path("details").path("alarm").asText()).contains("does not allow getAbsentsWithAliasByDate");
            // one ERROR line when it starts, not one per poll
            String line = "Smartschool platform school1 does not allow getAbsentsWithAliasByDate to the link";
            assertThat(output.getAll().split(Pattern.quote(line), -1)).hasSize(2);
            assertThat(output.getAll()).doesNotContain("Smartschool platform school1 refused the web-services access code");
        } finally {
            http.postJson("/sim/smartschool/admin/variants", Map.of());
        }
        poll("smartschool");
        assertThat(health("school1").path("details").has("alarm")).isFalse();
        assertThat(output.getAll()).contains("Smartschool platform school1 allows getAbsentsWithAliasByDate to the link again");
        assertThat(soap.call(school1, "getAbsentsWithAliasByDate", "date", "2026-11-26")).isNotBlank();
    }
}
