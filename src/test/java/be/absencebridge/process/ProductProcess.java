package be.absencebridge.process;

import be.absencebridge.support.FreePort;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * The product as a process of its own, started from the local run's artifact
 * ({@code target/absence-bridge-demo-<version>.jar}, which holds the product, both simulators and the embedded
 * PostgreSQL) as CONTRACTS.md "Starting the product" says (the simulators alone, or the bridge alone against them and a PostgreSQL server), so that a test can
 * kill it with SIGKILL and start it again on the same database. Its output goes to {@code target/it-logs/}.
 */
public final class ProductProcess implements AutoCloseable {

    public static final String ADMIN_PASSWORD = "process-test-admin";
    /** The admin API's Basic login of a process started here. */
    public static final String ADMIN_AUTH = "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes());
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final List<String> command;
    private final Path log;
    public final int port;
    public final int managementPort;
    private Process process;
    private int starts;
    /** When the last start launched the JVM ({@link System#nanoTime}). */
    private long startedNanos;
    /** Where readiness is asked: the product's readiness probe, or a benchmark program's own address. */
    private String readyUrl;

    private ProductProcess(String name, int port, List<String> args, String heap) {
        this.name = name;
        this.port = port;
        this.managementPort = FreePort.find();
        this.log = Path.of("target", "it-logs");
        this.command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // each collection's pause in the process's log: a stall in a figure can be told from a pause
                "-Xmx" + heap, "-XX:+UseSerialGC", "-Xlog:gc:stdout", "-jar", jar().toString(),
                "--server.port=" + port, "--management.server.port=" + managementPort,
                "--spring.main.banner-mode=off", "--bridge.admin.password=" + ADMIN_PASSWORD,
                // the simulators, their credentials and the embedded database: the local run's profile, named
                "--spring.profiles.active=sim"));
        this.command.addAll(args);
        this.readyUrl = "http://127.0.0.1:" + managementPort + "/actuator/health/readiness";
    }

    /**
     * A program of the test classpath in a JVM of its own (the benchmark's pass-through), ready when {@code readyPath}
     * on {@code port} answers 200.
     */
    public static ProductProcess testProgram(String name, int port, String readyPath, Class<?> main, String heap, String... args) {
        ProductProcess p = new ProductProcess(name, port, List.of(), heap);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        p.command.clear();
        p.command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "-XX:+UseSerialGC", "-Xlog:gc:stdout", "-cp", classpath, main.getName()));
        p.command.addAll(List.of(args));
        p.readyUrl = "http://127.0.0.1:" + port + readyPath;
        return p;
    }

    /**
     * The product's jar ({@code target/absence-bridge-<version>.jar}: no simulator, no embedded PostgreSQL, or
     * {@code jar} for another copy of it) in the production mode, as {@code scripts/start-time.sh} starts it: the
     * {@code kubernetes} profile without the Lease, every vendor address at 127.0.0.1:9 and the checks' secrets
     * ({@code production_args} in {@code scripts/lib/postgres.sh}), against a PostgreSQL server that already runs; the
     * routes read from the repository's {@code routes/} folder, as the Deployment reads them from their ConfigMap
     * ({@code --bridge.routes-location=file:/config/routes}), not from the jar.
     */
    public static ProductProcess production(String name, Path jar, String jdbcUrl, Path dataDir) {
        ProductProcess p = new ProductProcess(name, FreePort.find(), List.of(), "512m");
        p.command.clear();
        p.command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-XX:+UseSerialGC", "-jar", jar.toString(), "--server.port=" + p.port,
                "--management.server.port=" + p.managementPort, "--bridge.data-dir=" + dataDir.toAbsolutePath(),
                "--spring.profiles.active=kubernetes", "--camel.cluster.kubernetes.enabled=false", "--bridge.pollers.leader=",
                "--spring.datasource.url=" + jdbcUrl, "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres", "--logging.structured.format.console=",
                "--bridge.smartschool.platforms.school.base-url=http://127.0.0.1:9", "--bridge.smartschool.accesscode=check-accesscode",
                "--bridge.smartschool.webhook-secret=check-webhook-secret-0123456789abcdef",
                "--bridge.informat.identity-url=http://127.0.0.1:9", "--bridge.informat.student-api-url=http://127.0.0.1:9",
                "--bridge.informat.pupil-api-url=http://127.0.0.1:9", "--bridge.informat.partner-url=http://127.0.0.1:9",
                "--bridge.informat.client-id=absence-bridge", "--bridge.informat.client-secret=check-client-secret",
                "--bridge.informat.webhook-secret=check-informat-webhook-secret", "--bridge.admin.password=" + ADMIN_PASSWORD,
                "--bridge.metrics.password=check-metrics-password",
                "--bridge.routes-location=file:" + Path.of("routes").toAbsolutePath()));
        return p;
    }

    /** A JVM option for the next start (a flight recording for the benchmark's profiles). */
    public ProductProcess jvmOption(String option) {
        command.add(1, option);
        return this;
    }

    /** Both simulators alone (the sim profile), pushing to the given bridge addresses (comma-separated). */
    public static ProductProcess simulators(int port, String pushUrls, String... extra) {
        List<String> args = new ArrayList<>(List.of("--bridge.sync.enabled=false", "--bridge.sim.push-url=" + pushUrls,
                "--bridge.sim.traffic-events-per-second=0"));
        args.addAll(List.of(extra));
        return new ProductProcess("simulators", port, args, "768m");
    }

    /** The bridge alone, against simulators at {@code simPort} and the given PostgreSQL database. */
    public static ProductProcess bridge(String name, int port, int simPort, String jdbcUrl, String... extra) {
        String sims = "http://127.0.0.1:" + simPort + "/sim/";
        List<String> args = new ArrayList<>(List.of("--bridge.sim.enabled=false",
                // the sim profile's platforms (school1, school2) at the simulators' process
                "--bridge.sim.smartschool-url=" + sims + "smartschool", "--bridge.informat.identity-url=" + sims + "identityserver",
                "--bridge.informat.student-api-url=" + sims + "informat/api/v1",
                "--bridge.informat.pupil-api-url=" + sims + "informat-leerlingen",
                "--bridge.informat.partner-url=" + sims + "informat/partner/v1",
                "--spring.datasource.url=" + jdbcUrl, "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres"));
        args.addAll(List.of(extra));
        return new ProductProcess(name, port, args, "512m");
    }

    /**
     * {@code java -jar <jar> --bridge.preflight=true}: the bridge's preflight command, once, against simulators at
     * {@code simPort} (see {@link #awaitExit} and {@link #output}).
     */
    public static ProductProcess preflight(String name, int simPort, String jdbcUrl, String... extra) {
        List<String> args = new ArrayList<>(List.of("--bridge.preflight=true"));
        args.addAll(List.of(extra));
        return bridge(name, FreePort.find(), simPort, jdbcUrl, args.toArray(String[]::new));
    }

    /** Waits for the process to end by itself; its exit code. */
    public int awaitExit(Duration atMost) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " still runs after " + atMost + ", see target/it-logs/");
        }
        return process.exitValue();
    }

    /** What the last start wrote (stdout and stderr). */
    public String output() throws IOException {
        return Files.readString(log.resolve(name + "-" + starts + ".log"));
    }

    /**
     * The local run the README gives (the sim profile: both simulators in this process, an embedded PostgreSQL), its
     * data under {@code dataDir}.
     */
    public static ProductProcess local(int port, Path dataDir, String... extra) {
        List<String> args = new ArrayList<>(List.of("--bridge.data-dir=" + dataDir.toAbsolutePath(),
                "--bridge.sim.traffic-events-per-second=0"));
        args.addAll(List.of(extra));
        return new ProductProcess("local", port, args, "768m");
    }

    /**
     * SIGKILL to the JVM, its embedded PostgreSQL (the postmaster named by the lock file in {@code postgresDir}: it runs
     * detached from the JVM, started by {@code pg_ctl}) and that PostgreSQL's backends, all at once: a whole process
     * group gone, as a {@code kill -9 -<pgid>} or a power cut leaves it.
     */
    public void kill9WithDatabase(Path postgresDir) throws Exception {
        long postmaster = Long.parseLong(Files.readAllLines(postgresDir.resolve("postmaster.pid")).get(0).trim());
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        ProcessHandle.of(postmaster).ifPresent(pm -> {
            all.add(pm);
            all.addAll(pm.descendants().toList());
        });
        process.destroyForcibly();
        all.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(30, TimeUnit.SECONDS);
        for (ProcessHandle h : all) {
            h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> h).join();
        }
    }

    /** The product's jar, beside the demo jar in {@code target/}. */
    static Path productJar() {
        return jarIn("absence-bridge", "product");
    }

    static Path jar() {
        return jarIn("absence-bridge-demo", "demo");
    }

    /** {@code target/<name>-<version>.jar}; {@code what} names it in the error when it is not there. */
    private static Path jarIn(String name, String what) {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches(name + "-[0-9.]+(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no " + what + " jar in target/: run mvn package"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Another maximum heap for the next start (the benchmark's backfill runs the bridge with -Xmx512m). */
    public ProductProcess heap(String heap) {
        command.replaceAll(a -> a.startsWith("-Xmx") ? "-Xmx" + heap : a);
        return this;
    }

    public ProductProcess start() throws IOException {
        Files.createDirectories(log);
        starts++;
        Path out = log.resolve(name + "-" + starts + ".log");
        startedNanos = System.nanoTime();
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        return this;
    }

    /** Waits until the readiness probe answers 200 (database and routes up, for the bridge). */
    public ProductProcess awaitReady() {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ", see target/it-logs/");
            }
            return status(readyUrl) == 200;
        });
        return this;
    }

    /**
     * Waits until the readiness probe answers 200, asking every 50 ms; the milliseconds from the JVM's launch
     * ({@link #start}) to that answer.
     */
    public long awaitReadyMillis() {
        await().atMost(Duration.ofSeconds(180)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ", see target/it-logs/");
            }
            return status(readyUrl) == 200;
        });
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGKILL: no shutdown hook, no graceful stop, whatever was in flight is cut. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
