package be.absencebridge;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The alerts of {@code k8s/monitoring/prometheusrule.yaml} under Prometheus's own rule engine: {@code promtool test rules}
 * runs each alert's unit test, {@code k8s/monitoring/tests/<alert>.yaml} (series that fire it, at the times its
 * {@code for:} allows, with its labels and annotations as Prometheus renders them, and series that must not). The
 * PrometheusRule's {@code spec} is the rules file promtool reads: written to {@code target/alert-tests} with the tests
 * at each run, never kept as a second copy. Every alert has its test file, and every test file is an alert's.
 * promtool comes from {@code scripts/install-test-tools.sh} (Debian's prometheus package), as CI's {@code .ci/run} does.
 */
class AlertRulesTest {

    private static final Path RULE = Path.of("k8s", "monitoring", "prometheusrule.yaml");
    private static final Path TESTS = Path.of("k8s", "monitoring", "tests");
    private static final Path WORK = Path.of("target", "alert-tests");
    /** The name the test files give in {@code rule_files}. */
    private static final String RULES = "absence-bridge.rules.yaml";

    @Test
    void everyAlertFiresAndStaysQuietAsItsTestSays() throws Exception {
        String version = promtool("--version");
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        Map<String, Object> rule = cast(yaml.load(Files.readString(RULE)));
        assertThat(rule).containsEntry("kind", "PrometheusRule");
        Map<String, Object> spec = cast(rule.get("spec"));

        TreeSet<String> alerts = new TreeSet<>();
        for (Map<String, Object> group : maps(spec.get("groups"))) {
            for (Map<String, Object> r : maps(group.get("rules"))) {
                if (r.get("alert") != null) {
                    assertThat(alerts.add((String) r.get("alert"))).as("alert names are unique: " + r.get("alert")).isTrue();
                }
            }
        }
        assertThat(alerts).isNotEmpty();

        // the rules file: the PrometheusRule's spec, as promtool reads it; the test files beside it
        if (Files.isDirectory(WORK)) {
            try (Stream<Path> old = Files.list(WORK)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(WORK);
        DumperOptions block = new DumperOptions();
        block.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        block.setWidth(200);
        Path rules = WORK.resolve(RULES);
        Files.writeString(rules, "# written by AlertRulesTest from " + RULE + "'s spec\n"
                + new Yaml(new Representer(block), block).dump(spec));
        String check = promtool("check", "rules", rules.toString());
        assertThat(check).as("promtool check rules").contains("SUCCESS: " + count(spec) + " rules found");

        TreeSet<String> tested = new TreeSet<>();
        List<String> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(TESTS)) {
            for (Path file : list.sorted().toList()) {
                String name = file.getFileName().toString();
                assertThat(name).as(file + ": a test file is named after its alert").endsWith(".yaml");
                String alert = name.substring(0, name.length() - ".yaml".length());
                assertThat(alerts).as(file + " names no alert of " + RULE).contains(alert);
                tested.add(alert);
                checkTestFile(file, alert, cast(yaml.load(Files.readString(file))));
                Files.copy(file, WORK.resolve(name));
                files.add(name);
            }
        }
        TreeSet<String> untested = new TreeSet<>(alerts);
        untested.removeAll(tested);
        assertThat(untested).as("alerts without their test " + TESTS + "/<alert>.yaml").isEmpty();

        List<String> command = new ArrayList<>(List.of("test", "rules"));
        command.addAll(files);
        String out = promtool(command.toArray(String[]::new));
        System.out.printf("alert rules: %d alerts tested with %s%n", alerts.size(), version.lines().findFirst().orElse("promtool"));
        assertThat(out).contains("SUCCESS");
    }

    /** A test file is its alert's only, reads the extracted rules, and has the alert both fire and stay quiet. */
    private static void checkTestFile(Path file, String alert, Map<String, Object> test) {
        assertThat(test.get("rule_files")).as(file + " rule_files").isEqualTo(List.of(RULES));
        boolean fires = false;
        boolean quiet = false;
        for (Map<String, Object> group : maps(test.get("tests"))) {
            for (Map<String, Object> t : maps(group.getOrDefault("alert_rule_test", List.of()))) {
                assertThat(t.get("alertname")).as(file + ": a test of another alert").isEqualTo(alert);
                Object expected = t.get("exp_alerts");
                if (expected instanceof List<?> l && !l.isEmpty()) {
                    fires = true;
                } else {
                    quiet = true;
                }
            }
        }
        assertThat(fires).as(file + ": no series that fire " + alert).isTrue();
        assertThat(quiet).as(file + ": no series that must not fire " + alert).isTrue();
    }

    /** promtool's output (stdout and stderr), asserting exit 0. */
    private static String promtool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).directory(args.length > 0 && args[0].equals("test") ? WORK.toFile() : null)
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail("promtool is not installed (" + e.getMessage() + "): run scripts/install-test-tools.sh (Debian's "
                    + "prometheus package; CI's .ci/run runs it first)");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("promtool " + String.join(" ", args) + " ends").isTrue();
        assertThat(p.exitValue()).as("promtool " + String.join(" ", args) + " in " + WORK + ":\n" + out).isZero();
        return out;
    }

    private static int count(Map<String, Object> spec) {
        return maps(spec.get("groups")).stream().mapToInt(g -> maps(g.get("rules")).size()).sum();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<Map<String, Object>>) o;
    }
}
