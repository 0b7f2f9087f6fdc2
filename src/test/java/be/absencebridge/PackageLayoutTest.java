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
 * fifteen classes, and three source roots keep apart what ships apart: {@code src/main} (the product), {@code src/sim}
 * (the vendor simulators, which import nothing of the product) and {@code src/demo} (the local run, which puts both and
 * an embedded PostgreSQL together). Read from the sources: imports and fully qualified references of the project's
 * own packages.
 */
class PackageLayoutTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final Path SIMULATORS = Path.of("src/sim/java");
    private static final Path DEMO = Path.of("src/demo/java");
    private static final List<Path> ROOTS = List.of(MAIN, SIMULATORS, DEMO);
    private static final Pattern REFERENCE = Pattern.compile("\\bbe\\.absencebridge((?:\\.[a-z][a-z0-9]*)+)\\.[A-Z]");
    private static final int MAX_CLASSES = 15;
    private static final String SIM = "be.absencebridge.sim";
    private static final String DEMO_PACKAGE = "be.absencebridge.demo";
    /**
     * Any reference to a package of the project: a class of a package ({@code be.absencebridge.domain.HalfDay}), a
     * wildcard or static import ({@code be.absencebridge.domain.*}), a class of the root package
     * ({@code be.absencebridge.AbsenceBridgeApplication}, group 1 empty). Group 1: the package below the root.
     */
    private static final Pattern ANY_REFERENCE = Pattern.compile("\\bbe\\.absencebridge((?:\\.[a-z][a-z0-9_]*)*)\\.[A-Z*]");

    private static Map<String, Set<String>> imports() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Path root : ROOTS) {
          try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = root.relativize(f.getParent()).toString().replace('/', '.');
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
        }
        return graph;
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
     * The simulators are independent witnesses (DESIGN.md "Layout"): no class of {@code src/sim} references a package of
     * the product (their own SOAP envelope, signer, limits, calendar), and no class of the product references the
     * simulators, the demo or the embedded PostgreSQL (the product's jar and image carry none of them). Read from the
     * sources, comments included: a fully qualified name counts as much as an import.
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
        Map<String, Set<String>> productUsesSimOrDemo = new TreeMap<>();
        List<String> misplaced = new ArrayList<>();
        int simClasses = 0;
        for (Path root : ROOTS) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String pkg = root.relativize(f.getParent()).toString().replace('/', '.');
                    String source = Files.readString(f);
                    Set<String> uses = referenced(source);
                    if (root.equals(SIMULATORS)) {
                        simClasses++;
                        if (!isSim(pkg)) {
                            misplaced.add(f.toString());
                        }
                        uses.removeIf(PackageLayoutTest::isSim);
                        if (!uses.isEmpty()) {
                            simUsesProduct.put(f.toString(), uses);
                        }
                    } else if (root.equals(MAIN)) {
                        if (isSim(pkg) || isDemo(pkg)) {
                            misplaced.add(f.toString());
                        }
                        uses.removeIf(u -> !isSim(u) && !isDemo(u));
                        if (source.contains("io.zonky.")) {
                            uses.add("io.zonky (the embedded PostgreSQL)");
                        }
                        if (!uses.isEmpty()) {
                            productUsesSimOrDemo.put(f.toString(), uses);
                        }
                    } else if (!isDemo(pkg)) {
                        misplaced.add(f.toString());
                    }
                }
            }
        }
        assertThat(simClasses).as("classes under " + SIMULATORS).isGreaterThan(10);
        assertThat(misplaced).as("classes in the wrong source root").isEmpty();
        assertThat(simUsesProduct).as("simulator classes referencing the product").isEmpty();
        assertThat(productUsesSimOrDemo).as("product classes referencing the simulators, the demo or the embedded database").isEmpty();
    }

    private static boolean isDemo(String pkg) {
        return pkg.equals(DEMO_PACKAGE) || pkg.startsWith(DEMO_PACKAGE + ".");
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
        for (Path root : ROOTS) {
            try (Stream<Path> dirs = Files.walk(root)) {
                for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                    try (Stream<Path> files = Files.list(dir)) {
                        assertThat(files.filter(p -> p.toString().endsWith(".java")).count()).as("classes in %s", dir)
                                .isLessThanOrEqualTo(MAX_CLASSES);
                    }
                }
            }
        }
    }
}
