package be.absencebridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every OpenAPI document of {@code contracts/} is lint-clean with Redocly CLI's recommended rules ({@code redocly.yaml}):
 * the CLI at the version {@code tools/lint/package-lock.json} pins, installed by {@code scripts/install-test-tools.sh},
 * run as a process on each document; no error and no warning.
 */
class ContractsLintTest {

    private static final Path REDOCLY = Path.of("tools", "lint", "node_modules", ".bin", "redocly");

    static Stream<Path> documents() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("contracts"))) {
            List<Path> yaml = files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
            assertThat(yaml).as("contracts/*.yaml").isNotEmpty();
            return yaml.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("documents")
    void isLintCleanWithTheRecommendedRules(Path document) throws Exception {
        if (!Files.isExecutable(REDOCLY)) {
            fail(REDOCLY + " is missing: run scripts/install-test-tools.sh (npm ci in tools/lint installs the pinned Redocly CLI)");
        }
        ProcessBuilder lint = new ProcessBuilder(REDOCLY.toString(), "lint", "--config", "redocly.yaml", "--format", "json",
                document.toString());
        // no update check, no usage data (redocly.yaml also turns telemetry off)
        lint.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        lint.environment().put("REDOCLY_TELEMETRY", "off");
        Process process = lint.start();
        process.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        String out = read(process.getInputStream());
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("redocly lint " + document + " did not end within 120 s");
        }
        String output = out + err.get(10, TimeUnit.SECONDS);
        assertThat(process.exitValue()).as("redocly lint %s exits 0:%n%s", document, output).isZero();
        JsonNode report = new ObjectMapper().readTree(out);
        StringBuilder problems = new StringBuilder();
        for (JsonNode p : report.path("problems")) {
            JsonNode at = p.path("location").path(0);
            problems.append(String.format("%n  %s %s at %s: %s", p.path("severity").asText(), p.path("ruleId").asText(),
                    at.path("pointer").asText(), p.path("message").asText()));
        }
        assertThat(report.path("totals").path("errors").asInt(-1) + report.path("totals").path("warnings").asInt(-1))
                .as("redocly lint %s: no error, no warning%s%n%s", document, problems, output).isZero();
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
