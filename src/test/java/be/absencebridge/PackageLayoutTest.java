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
    private static final String SIM = "be.absencebridge.sim";
    /**
     * Any reference to a package of the project: a class of a package ({@code be.absencebridge.domain.HalfDay}), a
     * wildcard or static import ({@code be.absencebridge.domain.*}), a class of the root package
     * ({@code be.absencebridge.AbsenceBridgeApplication}, group 1 empty). Group 1: the package below the root.
     */
    private static final Pattern ANY_REFERENCE = Pattern.compile("\\bbe\\.absencebridge((?:\\.[a-z][a-z0-9_]*)*)\\.[A-Z*]");

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

    /** The packages a source references, by {@link #ANY_REFERENCE}. */
    private static Set<String> referenced(String source) {
        Set<String> out = new TreeSet<>();
        Matcher m = ANY_REFERENCE.matcher(source);
        while (m.find()) {
            out.add("be.absencebridge" + m.group(1));
        }
        return out;
    }

    private static boolean isSim(String pkg) {
        return pkg.equals(SIM) || pkg.startsWith(SIM + ".");
    }

    /**
     * The simulators are independent witnesses (DESIGN.md "Layout"): no class under {@code sim} references a package of
     * the product (their own SOAP envelope, signer, limits, calendar), and no class of the product references
     * {@code sim}. Read from the sources, comments included: a fully qualified name counts as much as an import.
     */
    @Test
    void theSimulatorsAndTheProductReferenceNothingOfEachOther() throws IOException {
        assertThat(referenced("import be.absencebridge.domain.HalfDay; be.absencebridge.vendor.smartschool.SoapEnvelope.parse(x);"
                + " import be.absencebridge.config.*; import static be.absencebridge.exchange.receive.WebhookSignature.HEADER;"
                + " be.absencebridge.AbsenceBridgeApplication"))
                .as("the scan sees imports, qualified names, wildcards, static imports and the root package")
                .containsExactly("be.absencebridge", "be.absencebridge.config", "be.absencebridge.domain",
                        "be.absencebridge.exchange.receive", "be.absencebridge.vendor.smartschool");
        Map<String, Set<String>> simUsesProduct = new TreeMap<>();
        Map<String, Set<String>> productUsesSim = new TreeMap<>();
        int simClasses = 0;
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = MAIN.relativize(f.getParent()).toString().replace('/', '.');
                Set<String> uses = referenced(Files.readString(f));
                if (isSim(pkg)) {
                    simClasses++;
                    uses.removeIf(PackageLayoutTest::isSim);
                    if (!uses.isEmpty()) {
                        simUsesProduct.put(MAIN.relativize(f).toString(), uses);
                    }
                } else {
                    uses.removeIf(u -> !isSim(u));
                    if (!uses.isEmpty()) {
                        productUsesSim.put(MAIN.relativize(f).toString(), uses);
                    }
                }
            }
        }
        assertThat(simClasses).as("classes under " + SIM).isGreaterThan(10);
        assertThat(simUsesProduct).as("simulator classes referencing the product").isEmpty();
        assertThat(productUsesSim).as("product classes referencing the simulators").isEmpty();
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
