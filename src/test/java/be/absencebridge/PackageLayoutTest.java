package be.absencebridge;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tree shows the flow (README "Layout"): packages import each other without a cycle, no package grows past about
 * fifteen classes, and nothing outside the simulators imports them. Read from the sources: imports and fully
 * qualified references of the product's own packages.
 */
class PackageLayoutTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final Pattern REFERENCE = Pattern.compile("\\bbe\\.absencebridge((?:\\.[a-z][a-z0-9]*)+)\\.[A-Z]");
    private static final int MAX_CLASSES = 15;

    private static Map<String, Set<String>> imports() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = MAIN.relativize(f.getParent()).toString().replace('/', '.');
                Set<String> uses = graph.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(Files.readString(f));
                while (m.find()) {
                    String used = "be.absencebridge" + m.group(1);
                    if (!used.equals(pkg)) {
                        uses.add(used);
                    }
                }
            }
        }
        return graph;
    }

    @Test
    void nothingOutsideTheSimulatorsImportsThem() throws IOException {
        imports().forEach((pkg, uses) -> {
            if (!pkg.startsWith("be.absencebridge.sim")) {
                assertThat(uses).as("%s uses", pkg).noneMatch(u -> u.startsWith("be.absencebridge.sim"));
            }
        });
    }

    @Test
    void packagesImportEachOtherWithoutACycle() throws IOException {
        Map<String, Set<String>> graph = imports();
        List<String> cycles = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String start : graph.keySet()) {
            walk(start, graph, new ArrayList<>(), done, cycles);
        }
        assertThat(cycles).as("import cycles between packages").isEmpty();
    }

    private static void walk(String pkg, Map<String, Set<String>> graph, List<String> path, Set<String> done, List<String> cycles) {
        int at = path.indexOf(pkg);
        if (at >= 0) {
            cycles.add(String.join(" -> ", path.subList(at, path.size())) + " -> " + pkg);
            return;
        }
        if (!done.add(pkg)) {
            return;
        }
        path.add(pkg);
        for (String next : graph.getOrDefault(pkg, Set.of())) {
            walk(next, graph, path, done, cycles);
        }
        path.remove(path.size() - 1);
    }

    @Test
    void noPackageHoldsMoreThanAboutFifteenClasses() throws IOException {
        try (Stream<Path> dirs = Files.walk(MAIN)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.list(dir)) {
                    assertThat(files.filter(p -> p.toString().endsWith(".java")).count()).as("classes in %s", dir)
                            .isLessThanOrEqualTo(MAX_CLASSES);
                }
            }
        }
    }
}
