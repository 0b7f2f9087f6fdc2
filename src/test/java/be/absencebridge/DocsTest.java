package be.absencebridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The docs cannot drift silently: every link between them resolves (the file, and the heading an anchor names), none
 * leaves the repository, the README stays a newcomer's page, no text of the product names a work item by number, and
 * every setting the docs name exists in {@code config/} (and every setting there is named in the docs).
 */
class DocsTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} +(.+?) *$", Pattern.MULTILINE);
    private static final Pattern SETTING = Pattern.compile("`(bridge\\.[a-z0-9.<>*_-]*[a-z0-9>*])[`=:\\s]");

    static List<Path> docs() throws IOException {
        List<Path> out = new ArrayList<>(List.of(Path.of("README.md"), Path.of("CHANGELOG.md")));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        return out;
    }

    /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
        return text.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    static Set<String> anchors(Path markdown) throws IOException {
        Set<String> out = new TreeSet<>();
        Matcher m = HEADING.matcher(withoutCodeBlocks(Files.readString(markdown)));
        while (m.find()) {
            out.add(slug(m.group(1)));
        }
        return out;
    }

    private static String withoutCodeBlocks(String markdown) {
        return markdown.replaceAll("(?s)```.*?```", "");
    }

    @Test
    void everyLinkBetweenTheDocsResolvesAndNoneLeavesTheRepository() throws IOException {
        assertThat(slug("Before going live: the preflight")).isEqualTo("before-going-live-the-preflight");
        assertThat(slug("Prometheus, Grafana and alerts (`k8s/monitoring`)")).isEqualTo("prometheus-grafana-and-alerts-k8smonitoring");
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path doc : docs()) {
            Matcher m = LINK.matcher(withoutCodeBlocks(Files.readString(doc)));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("(?i)(https?|mailto):.*")) {
                    continue;
                }
                links++;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path resolved = file.isEmpty() ? doc.toAbsolutePath() : doc.toAbsolutePath().getParent().resolve(file).normalize();
                if (!resolved.startsWith(ROOT)) {
                    broken.add(doc + ": " + target + " leaves the repository");
                } else if (!Files.exists(resolved)) {
                    broken.add(doc + ": " + target + " (no such file)");
                } else if (anchor != null && !anchors(resolved).contains(anchor)) {
                    broken.add(doc + ": " + target + " (no such heading in " + ROOT.relativize(resolved) + ")");
                }
            }
        }
        assertThat(links).as("links checked").isGreaterThan(30);
        assertThat(broken).as("broken links").isEmpty();
    }

    /** The README's picture of the flow names routes by their ids: each is a route (or template) of routes/. */
    @Test
    void thePictureOfTheFlowNamesRoutesThatExist() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int at = readme.indexOf("## How it works");
        int start = readme.indexOf("```", at) + 3;
        String picture = readme.substring(start, readme.indexOf("```", start));
        Set<String> ids = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".camel.yaml")).toList()) {
                Matcher m = Pattern.compile("(?m)^\\s*-?\\s*(?:id|routeId):\\s*\"?([a-z0-9-]+)").matcher(Files.readString(f));
                while (m.find()) {
                    ids.add(m.group(1));
                }
            }
        }
        Set<String> named = new TreeSet<>();
        Matcher m = Pattern.compile("\\b[a-z]+(?:-[a-z]+)+\\b").matcher(picture);
        while (m.find()) {
            named.add(m.group());
        }
        assertThat(named).as("route ids in the README's picture").hasSizeGreaterThanOrEqualTo(8);
        assertThat(ids).as("the routes' ids").containsAll(named);
    }

    @Test
    void theReadmeIsANewcomersPage() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        assertThat(lines.size()).as("README lines").isLessThanOrEqualTo(300);
        assertThat(String.join("\n", lines)).contains("mvn -B verify").contains("java -jar target/absence-bridge-demo-");
    }

    /** Work items' numbers mean nothing to a reader: none in the docs, the code, the routes or the manifests. */
    @Test
    void noTextOfTheProductNamesAWorkItemByNumber() throws IOException {
        Pattern issue = Pattern.compile("\\b[Ii]ssues? \\d+");
        List<String> found = new ArrayList<>();
        for (String dir : List.of("docs", "src/main", "src/sim", "src/demo", "routes", "config", "k8s", "contracts", "scripts")) {
            try (Stream<Path> files = Files.walk(Path.of(dir))) {
                // an applied migration never changes (Flyway checks its checksum, comments included)
                for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("db/migration/V")).toList()) {
                    scan(f, issue, found);
                }
            }
        }
        scan(Path.of("README.md"), issue, found);
        scan(Path.of("CHANGELOG.md"), issue, found);
        assertThat(found).isEmpty();
    }

    private static void scan(Path f, Pattern p, List<String> found) throws IOException {
        String text;
        try {
            text = Files.readString(f);
        } catch (java.nio.charset.MalformedInputException e) {
            return;
        }
        Matcher m = p.matcher(text);
        while (m.find()) {
            found.add(f + ": " + m.group());
        }
    }

    /** The settings of config/ as dotted keys (every level, so a section counts as much as a leaf). */
    static Set<String> settings() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Set<String> keys = new TreeSet<>();
        for (String file : List.of("application.yaml", "application-kubernetes.yaml", "application-sim.yaml", "mappings.yaml")) {
            flatten("", yaml.readTree(Path.of("config", file).toFile()), keys);
        }
        return keys;
    }

    private static void flatten(String prefix, JsonNode node, Set<String> keys) {
        if (node == null || !node.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            keys.add(key);
            flatten(key, e.getValue(), keys);
        }
    }

    /**
     * A named setting matches a key of config/ ({@code <name>} stands for any one level, {@code *} for any text within
     * a level, a trailing {@code .*} for anything below), or is a setting the code reads by its full name (a secret with
     * no default, read with {@code env.getProperty}; a placeholder's setting in config/).
     */
    static boolean exists(String named, Set<String> keys, String code) {
        StringBuilder regex = new StringBuilder();
        for (String part : named.split("\\.")) {
            if (regex.length() > 0) {
                regex.append("\\.");
            }
            if (part.equals("*")) {
                regex.append(".+");
            } else if (part.startsWith("<") && part.endsWith(">")) {
                regex.append("[^.]+");
            } else {
                regex.append(Pattern.quote(part).replace("*", "\\E[^.]*\\Q"));
            }
        }
        Pattern p = Pattern.compile(regex.toString());
        if (keys.stream().anyMatch(k -> p.matcher(k).matches())) {
            return true;
        }
        if (named.contains("*")) {
            return false;
        }
        // read by its full name, or bound to a typed settings class field (relaxed binding: token-ttl-seconds is
        // tokenTtlSeconds)
        String last = named.substring(named.lastIndexOf('.') + 1);
        String camel = Pattern.compile("-([a-z0-9])").matcher(last).replaceAll(r -> r.group(1).toUpperCase(Locale.ROOT));
        return (!named.contains("<") && code.contains(named)) || (!camel.equals(last) && code.contains(" " + camel));
    }

    /** The Java sources and the config files' text: where a setting without a default is read. */
    static String code() throws IOException {
        StringBuilder out = new StringBuilder();
        for (String dir : List.of("src/main/java", "src/sim/java", "src/demo/java", "config")) {
            try (Stream<Path> files = Files.walk(Path.of(dir))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    out.append(Files.readString(f)).append('\n');
                }
            }
        }
        return out.toString();
    }

    @Test
    void everySettingTheDocsNameExistsInConfig() throws IOException {
        Set<String> keys = settings();
        String code = code();
        assertThat(exists("bridge.smartschool.platforms.<name>.accesscode", Set.of("bridge.smartschool.platforms.school1.accesscode"), ""))
                .isTrue();
        assertThat(exists("bridge.pollers.*-cron", Set.of("bridge.pollers.informat-cron"), "")).isTrue();
        assertThat(exists("bridge.pollers.smartschool-days", Set.of("bridge.pollers.informat-cron"), "")).isFalse();
        Set<String> missing = new TreeSet<>();
        for (Path doc : docs()) {
            if (doc.toString().equals("CHANGELOG.md")) {
                continue; // history: it names settings as they were then
            }
            Matcher m = SETTING.matcher(Files.readString(doc));
            while (m.find()) {
                String named = m.group(1);
                if (!exists(named, keys, code)) {
                    missing.add(doc + ": " + named);
                }
            }
        }
        assertThat(missing).as("settings named in the docs that config/ does not have").isEmpty();
    }

    /** Every setting of {@code config/application.yaml} under {@code bridge.} is named on the configuration page. */
    @Test
    void everySettingOfConfigIsNamedInTheDocs() throws IOException {
        String all = String.join("\n", docs().stream().map(p -> {
            try {
                return Files.readString(p);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList());
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Set<String> leaves = new TreeSet<>();
        leaves(yaml.readTree(Path.of("config", "application.yaml").toFile()).path("bridge"), "bridge", leaves);
        Set<String> unnamed = new TreeSet<>();
        for (String key : leaves) {
            String last = key.substring(key.lastIndexOf('.') + 1);
            // named in full, or its section named with its last part beside it (a settings table per section)
            if (!all.contains(key) && !(all.contains(key.substring(0, key.lastIndexOf('.'))) && all.contains("`" + last))) {
                unnamed.add(key);
            }
        }
        assertThat(unnamed).as("settings of config/application.yaml no page names").isEmpty();
    }

    private static void leaves(JsonNode node, String prefix, Set<String> out) {
        if (!node.isObject() || node.isEmpty()) {
            out.add(prefix);
            return;
        }
        node.fields().forEachRemaining(e -> leaves(e.getValue(), prefix + "." + e.getKey(), out));
    }
}
