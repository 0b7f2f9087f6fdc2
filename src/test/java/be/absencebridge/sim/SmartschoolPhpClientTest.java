package be.absencebridge.sim;

import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real third-party client wrote the other half: PHP's SoapClient in WSDL mode (Debian's php-cli and php-soap,
 * installed by scripts/install-test-tools.sh), the client most Smartschool integrations use, calling the simulated
 * platform from its WSDL: the register with aliases, a wrong access code read back as the integer 8, the error codes.
 */
class SmartschoolPhpClientTest extends SimulatorTest {

    @Test
    void phpsSoapClientInWsdlModeReadsTheRegisterAndTheErrorCodes() throws Exception {
        JsonNode student = student("secundair", true);
        String internal = internalNumberOf(student);
        assertThat(smartschoolRegister(internal, "2026-11-26", "am", "Z", "ZM", null, "2026-11-26T08:35:00+01:00").status()).isEqualTo(200);

        Process php = new ProcessBuilder("php", "src/test/php/smartschool-client.php",
                http.base() + "/sim/smartschool/" + platformOf(internal) + "/Webservices/V3?wsdl", "sim-accesscode", "2026-11-26")
                .redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        php.getInputStream().transferTo(out);
        assertThat(php.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(php.exitValue()).as(text).isZero();
        JsonNode r = Http.JSON.readTree(text);

        assertThat(r.path("absentsType").asText()).isEqualTo("string");
        JsonNode cell = r.path("absents").path("leerling" + internal).path("am");
        assertThat(cell.path("officialcode").asText()).isEqualTo("Z");
        assertThat(cell.path("alias").asText()).isEqualTo("ZM");
        assertThat(r.path("wrongType").asText()).as("a wrong access code is an integer, not a fault").isEqualTo("integer");
        assertThat(r.path("wrong").asInt()).isEqualTo(8);
        assertThat(r.path("codes").path("8").asText()).isNotBlank();
        // the platform's own accounts, not the board's
        long onPlatform = 0;
        for (JsonNode p : smartschoolPupils()) {
            onPlatform += p.path("platform").asText().equals(platformOf(internal)) ? 1 : 0;
        }
        assertThat(onPlatform).isLessThan(smartschoolPupils().size());
        assertThat(r.path("accounts").asLong()).isEqualTo(onPlatform);
        assertThat(r.path("functions").toString()).contains("getAbsentsWithAliasByDate", "returnJsonErrorCodes");
    }
}
