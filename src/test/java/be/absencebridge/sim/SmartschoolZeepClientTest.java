package be.absencebridge.sim;

import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second real third-party client beside PHP's: Python's zeep in WSDL mode (Debian's python3-zeep, installed by
 * scripts/install-test-tools.sh), calling the simulated platform from its WSDL for the reads the bridge uses: the
 * register with aliases and the accounts, and a wrong access code read back as the integer 8.
 */
class SmartschoolZeepClientTest extends SimulatorTest {

    @Test
    void zeepInWsdlModeReadsTheRegisterAndTheAccounts() throws Exception {
        JsonNode student = student("secundair", true);
        String internal = internalNumberOf(student);
        assertThat(smartschoolRegister(internal, "2026-11-26", "am", "Z", "ZM", null, "2026-11-26T08:35:00+01:00").status()).isEqualTo(200);

        // Debian's interpreter, where python3-zeep is installed (a python3 earlier on the PATH may be another one)
        Process zeep = new ProcessBuilder("/usr/bin/python3", "src/test/python/smartschool_client.py",
                http.base() + "/sim/smartschool/" + platformOf(internal) + "/Webservices/V3?wsdl", "sim-accesscode", "2026-11-26")
                .redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        zeep.getInputStream().transferTo(out);
        assertThat(zeep.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(zeep.exitValue()).as(text).isZero();
        JsonNode r = Http.JSON.readTree(text.substring(text.lastIndexOf("\n{") + 1));

        assertThat(r.path("absentsType").asText()).isEqualTo("str");
        JsonNode cell = r.path("absents").path("leerling" + internal).path("am");
        assertThat(cell.path("officialcode").asText()).isEqualTo("Z");
        assertThat(cell.path("alias").asText()).isEqualTo("ZM");
        assertThat(r.path("wrong").asText()).as("a wrong access code is the integer 8, not a fault").isEqualTo("8");
        long onPlatform = 0;
        for (JsonNode p : smartschoolPupils()) {
            onPlatform += p.path("platform").asText().equals(platformOf(internal)) ? 1 : 0;
        }
        assertThat(r.path("accounts").asLong()).isEqualTo(onPlatform);
        assertThat(r.path("operations").toString()).contains("getAbsentsWithAliasByDate", "getAllAccountsExtended");
    }
}
