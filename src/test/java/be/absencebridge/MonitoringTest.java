package be.absencebridge;

import be.absencebridge.support.BridgeTest;
import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The monitoring component ({@code k8s/monitoring}) as a team would include it: the production overlay with the
 * component, rendered by {@code kubectl kustomize} without flags. Every alert's and every dashboard panel's query names
 * only metrics the running product exports (scraped from its Prometheus endpoint after a code went through), every
 * alert has its runbook section in docs/runbooks.md, and the dashboard is a well-formed Grafana dashboard.
 */
class MonitoringTest extends BridgeTest {

    /** PromQL's functions, aggregations and keywords: every other bare name in a query is a metric. */
    private static final Set<String> PROMQL = Set.of("sum", "max", "min", "avg", "count", "rate", "irate", "increase", "delta",
            "histogram_quantile", "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "absent",
            "hour", "day_of_week", "max_over_time", "min_over_time", "avg_over_time", "topk", "bottomk", "offset", "bool", "time",
            "clamp_min", "clamp_max", "abs", "vector", "scalar", "label_replace", "sort", "sort_desc");
    /** Series Prometheus makes itself, not the product. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");


    @Test
    void everyAlertAndPanelQueriesMetricsTheProductExportsAndEveryAlertHasItsRunbook() throws Exception {
        // a code through the bridge first: the decision counters and delivery timers exist from their first use
        JsonNode s = student("secundair", true, 7);
        smartschoolRegister(internalNumberOf(s), "2026-10-30", "pm", "Z", null, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> informatCell(s.path("personId").asText(), "2026-10-30", "NM") != null);
        String scrape = new Http("http://127.0.0.1:" + managementPort).get("/actuator/prometheus", "Authorization", adminAuth()).text();
        Set<String> exported = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            Matcher m = NAME.matcher(line);
            if (!line.startsWith("#") && m.lookingAt()) {
                exported.add(m.group());
            }
        }
        assertThat(exported).contains("bridge_dead_letters_open", "bridge_decisions_total");

        List<Map<String, Object>> objects = renderWithMonitoring();
        Map<String, Object> monitor = find(objects, "ServiceMonitor");
        @SuppressWarnings("unchecked")
        Map<String, Object> endpoint = ((List<Map<String, Object>>) map(monitor, "spec").get("endpoints")).get(0);
        assertThat(endpoint).containsEntry("port", "management").containsEntry("path", "/actuator/prometheus");
        assertThat(map(map(endpoint, "basicAuth"), "password")).containsEntry("name", "absence-bridge-logins");
        assertThat(map(monitor, "metadata")).containsEntry("namespace", "absence-bridge");
        // the ServiceMonitor's selector picks the bridge's Service, by its port name
        Map<String, Object> service = find(objects, "Service");
        @SuppressWarnings("unchecked")
        Map<String, Object> selector = (Map<String, Object>) map(map(monitor, "spec"), "selector").get("matchLabels");
        assertThat(map(map(service, "metadata"), "labels")).containsAllEntriesOf(selector);

        String readme = Files.readString(Path.of("docs", "runbooks.md"));
        List<String> problems = new ArrayList<>();
        int alerts = 0;
        for (Map<String, Object> group : maps(map(find(objects, "PrometheusRule"), "spec").get("groups"))) {
            for (Map<String, Object> rule : maps(group.get("rules"))) {
                alerts++;
                String alert = (String) rule.get("alert");
                check("alert " + alert, (String) rule.get("expr"), exported, problems);
                String runbook = (String) map(rule, "annotations").get("runbook_url");
                assertThat(runbook).as(alert + " runbook").isEqualTo("docs/runbooks.md#" + alert.toLowerCase());
                assertThat(readme).as("runbook section of " + alert).contains("\n## " + alert + "\n");
                assertThat(map(rule, "labels").get("severity")).as(alert + " severity").isIn("warning", "critical");
            }
        }
        assertThat(alerts).isGreaterThanOrEqualTo(8);

        // the dashboard: JSON that Grafana takes, its panels' queries on exported metrics
        Map<String, Object> dashboardMap = find(objects, "ConfigMap", "absence-bridge-dashboard");
        assertThat(map(map(dashboardMap, "metadata"), "labels")).containsEntry("grafana_dashboard", "1");
        JsonNode dashboard = new ObjectMapper().readTree((String) map(dashboardMap, "data").get("absence-bridge.json"));
        assertThat(dashboard.path("title").asText()).isEqualTo("absence-bridge");
        assertThat(dashboard.path("uid").asText()).isNotEmpty();
        assertThat(dashboard.path("schemaVersion").asInt()).isPositive();
        Set<Integer> ids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        int queries = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("unique panel id " + panel.path("id")).isTrue();
            assertThat(panel.path("gridPos").path("w").asInt()).as(panel.path("title") + " width").isBetween(1, 24);
            titles.add(panel.path("title").asText());
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("targets").size()).as(panel.path("title") + " queries").isPositive();
            for (JsonNode target : panel.path("targets")) {
                queries++;
                check("panel " + panel.path("title").asText(), target.path("expr").asText(), exported, problems);
            }
        }
        assertThat(problems).as("queries on metrics the product does not export (it exports %s)", exported).isEmpty();
        assertThat(titles).anyMatch(t -> t.startsWith("Technical")).anyMatch(t -> t.startsWith("School"));
        System.out.printf("monitoring: %d alerts and %d panel queries checked against %d exported metric names%n", alerts,
                queries, exported.size());
    }

    /** The metric names of a PromQL query that the product does not export, as problems. */
    private static void check(String where, String expr, Set<String> exported, List<String> problems) {
        assertThat(expr).as(where + " query").isNotBlank();
        int depth = 0;
        for (char c : expr.toCharArray()) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            assertThat(depth).as(where + ": parentheses of " + expr).isNotNegative();
        }
        assertThat(depth).as(where + ": parentheses of " + expr).isZero();
        String bare = expr
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")                               // string literals
                .replaceAll("\\{[^}]*}", "")                                               // label matchers
                .replaceAll("\\[[^]]*]", "")                                               // ranges
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ") // label lists
                .replaceAll("\\$\\w+", "");                                                // Grafana's variables
        Matcher m = NAME.matcher(bare);
        while (m.find()) {
            String name = m.group();
            boolean number = m.start() > 0 && Character.isDigit(bare.charAt(m.start() - 1));
            if (!number && !PROMQL.contains(name) && !PROMETHEUS_OWN.contains(name) && !exported.contains(name)) {
                problems.add(where + ": " + name + " in " + expr);
            }
        }
    }

    /**
     * The production overlay with the monitoring component, as an overlay of a team would include it (the README's
     * {@code components:} entry in the overlay; here an overlay of it in {@code target/}, with the overlay's namespace).
     */
    private static List<Map<String, Object>> renderWithMonitoring() throws Exception {
        Path dir = Path.of("target", "k8s-monitored");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                namespace: absence-bridge
                resources:
                  - ../../k8s/overlays/production
                components:
                  - ../../k8s/monitoring
                """);
        Process kubectl = new ProcessBuilder("kubectl", "kustomize", dir.toString()).start();
        byte[] out = kubectl.getInputStream().readAllBytes();
        String err = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kubectl.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(kubectl.exitValue()).as("kubectl kustomize with the monitoring component: " + err).isZero();
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(new String(out, StandardCharsets.UTF_8))) {
            if (doc != null) {
                objects.add(cast(doc));
            }
        }
        return objects;
    }

    private static Map<String, Object> find(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).findFirst().orElseThrow(() -> new AssertionError("no " + kind));
    }

    private static Map<String, Object> find(List<Map<String, Object>> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.get("kind")) && name.equals(map(o, "metadata").get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static Map<String, Object> map(Map<String, Object> o, String key) {
        return cast(o.get(key));
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
