package be.absencebridge.process;

import be.absencebridge.support.FreePort;
import be.absencebridge.support.Http;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's "Try it" commands, as a new user runs them, against the local run the README starts: each answers
 * 2xx, and the code it registers in Smartschool reaches Informat.
 */
class ReadmeIT extends ProcessTest {

    /** The README's first shell block after "Try it:", its lines joined where they continue, comments left out. */
    static List<String> commands() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int at = readme.indexOf("Try it:");
        assertThat(at).as("the README's \"Try it\"").isPositive();
        int start = readme.indexOf("```bash\n", at) + "```bash\n".length();
        String block = readme.substring(start, readme.indexOf("```", start));
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : block.split("\n")) {
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            current.append(line.endsWith("\\") ? line.substring(0, line.length() - 1) : line);
            if (!line.endsWith("\\")) {
                out.add(current.toString());
                current.setLength(0);
            }
        }
        return out;
    }

    @Test
    void theReadmesCommandsWorkAsWrittenAgainstTheLocalRun() throws Exception {
        List<String> commands = commands();
        assertThat(commands).hasSizeGreaterThanOrEqualTo(3).allMatch(c -> c.startsWith("curl "));
        Path data = Files.createTempDirectory(Path.of("target"), "readme-run-");
        ProductProcess local = track(ProductProcess.local(FreePort.find(), data)).start().awaitReady();
        String publicPort = local.url().replaceAll(".*:", "");
        String managementPort = local.managementUrl().replaceAll(".*:", "");
        for (String command : commands) {
            // the user's ports and password are this run's; -f: an HTTP error fails the command
            String run = command.replace("localhost:8080", "127.0.0.1:" + publicPort)
                    .replace("localhost:8081", "127.0.0.1:" + managementPort)
                    .replace("admin:PASSWORD", "admin:" + ProductProcess.ADMIN_PASSWORD)
                    .replaceFirst("^curl -s ", "curl -fsS -o /dev/null ");
            Process p = new ProcessBuilder("bash", "-c", run).redirectErrorStream(true).start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(command).isTrue();
            String output = new String(p.getInputStream().readAllBytes());
            assertThat(p.exitValue()).as(command + "\n" + output).isZero();
        }
        Http sims = new Http(local.url());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(sims.get("/sim/informat/admin/register?date=2026-11-27").text())
                        .contains("\"studentNo\":\"419\"").contains("\"absenceCode\":\"Z\""));
    }
}
