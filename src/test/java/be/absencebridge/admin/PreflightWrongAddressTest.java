package be.absencebridge.admin;

import be.absencebridge.support.BridgeTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A platform configured with a wrong address (a web server that answers its own 404 page): the preflight says it is not
 * reachable as Smartschool, with the answer, and the report is not ok; the other platform and Informat are unaffected.
 */
// a context of its own beside the other tests' one, in the same JVM: its Camel servlet needs a name of its own
@TestPropertySource(properties = {"bridge.smartschool.platforms.school2.base-url=http://127.0.0.1:${server.port}/sim/nowhere",
        "camel.servlet.mapping.servlet-name=CamelServletPreflight", "camel.component.servlet.servlet-name=CamelServletPreflight"})
// a context of its own, closed after the class: its pollers and timers do not run on beside the later tests
@org.springframework.test.annotation.DirtiesContext
class PreflightWrongAddressTest extends BridgeTest {

    @Test
    void aPlatformAtAWrongAddressIsNotReachableAndTheReportIsNotOk() {
        JsonNode report = http.get("/api/admin/preflight", "Authorization", adminAuth()).json();
        assertThat(report.path("ok").asBoolean()).isFalse();
        JsonNode school2 = null;
        JsonNode school1 = null;
        for (JsonNode v : report.path("vendors")) {
            if (v.path("platform").asText().equals("school2")) {
                school2 = v;
            } else if (v.path("platform").asText().equals("school1")) {
                school1 = v;
            }
        }
        assertThat(school2.path("reachable").asBoolean()).isFalse();
        assertThat(school2.path("problems").toString()).contains("the WSDL cannot be read").contains("404");
        assertThat(school1.path("problems")).isEmpty();
        assertThat(school1.path("credential").asText()).isEqualTo("valid");
    }
}
