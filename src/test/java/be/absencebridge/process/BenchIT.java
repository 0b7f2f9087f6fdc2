package be.absencebridge.process;

import be.absencebridge.domain.FlemishSchoolCalendar;
import be.absencebridge.domain.SchoolYear;
import be.absencebridge.support.FreePort;
import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The benchmark ({@code mvn -B -Pbench verify}): the bridge and the simulators as separate processes on this
 * machine's cores, PostgreSQL (embedded server, in the benchmark's JVM). It measures, in one run:
 * <ol>
 *   <li>{@code productionStartToReadySeconds}: the product's jar started in the production mode (no simulator, its
 *       PostgreSQL already running) until its readiness probe answers, the median of {@code -Dbench.startRuns} starts
 *       (min and max beside it), and {@code productionStartToReadySecondsCds} the same with a class data sharing archive
 *       made from a training start;</li>
 *   <li>{@code directWriteEventsPerSecond}: registrations the simulators accept when written to directly (pushes off),
 *       the reference;</li>
 *   <li>{@code steadyEventsPerSecond}: registrations carried end to end (pushed, stored, decided, delivered to the
 *       other package) per second, from the first registration until the last delivery, with the same writers;</li>
 *   <li>{@code p50LatencyMs}/{@code p99LatencyMs}: from a registration's moment to its delivery, at 200 a second;</li>
 *   <li>{@code backfillHalfDaysPerSecond}, {@code halfDays}, {@code backfillHeapPeakMb}: a backfill of one branch of
 *       2,000 pupils over the full school year 2026-27 (clocks started at its last day), with the bridge's
 *       largest heap use sampled every second; {@code reconciliationSeconds}: that branch's year reconciled after it;</li>
 *   <li>with {@code -Dbench.phases=...,year}: a database filled with a school year of history of a board of
 *       {@code -Dbench.yearPupils} pupils ({@link YearOfHistory}; {@code historyRegistrations},
 *       {@code databaseBytesPerPupilYear}), the steady flow and its latency on it ({@code bridgeCpuMsPerEventWithHistory},
 *       {@code cpuRatioWithHistory}, {@code p99LatencyMsWithHistory}), the retention's purge of that year beside
 *       registrations at 200 a second ({@code purgeSecondsForAYear}, {@code p99LatencyMsDuringPurge}), and the backfill
 *       and the reconciliation on a copy of the full database ({@code backfillSecondsWithHistory},
 *       {@code reconciliationSecondsWithHistory}).</li>
 *   <li>with {@code -Dbench.phases=purge}: the retention's purge of such a year beside registrations, on two copies of
 *       the same database, first with a fixed pause between its chunks ({@code ...FixedPause}), then with the product's
 *       settings ({@code purgeSecondsForAYear}, {@code p99LatencyMsDuringPurge}, per step
 *       {@code latencyMsDuringPurgeSteps}).</li>
 * </ol>
 * and writes them to {@code target/bench/results.json}. Printed figures only: nothing here asserts a time.
 */
class BenchIT extends ProcessTest {

    private static final int WRITERS = Integer.getInteger("bench.writers", 16);
    /** The measured steady window: a minute, so that its compilers' CPU is {@code bridgeJitCpuMsPerEventLastMinute}. */
    private static final int STEADY_SECONDS = Integer.getInteger("bench.steadySeconds", 60);
    // a fresh JVM on two shared cores still compiles after half a minute (measured: the JIT took 40% of the pass-through's CPU
    // after 60 s of load)
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmupSeconds", 60);
    /** The bridge's warm-up goes on until its compilers settle, at most this long. */
    private static final int WARMUP_MAX_SECONDS = Integer.getInteger("bench.warmupMaxSeconds", 300);
    /** The compilers' CPU per registration (ms) under which a 15-s slice counts as settled. */
    private static final double JIT_SETTLED = 0.1;
    private static final int LATENCY_RATE = Integer.getInteger("bench.latencyRate", 200);
    private static final int LATENCY_SECONDS = Integer.getInteger("bench.latencySeconds", 30);
    private static final int BACKFILL_PUPILS = Integer.getInteger("bench.backfillPupils", 2000);
    private static final String BRIDGE_HEAP = System.getProperty("bench.bridgeHeap", "512m");
    /** PostgreSQL's statement statistics printed after the backfill ({@code -Dbench.statements=true}). */
    private static final boolean STATEMENTS = Boolean.getBoolean("bench.statements");
    /** The simulators push the link's own writes back too ({@code -Dbench.echo=true}): the partner model before issue 17. */
    private static final boolean ECHO = Boolean.getBoolean("bench.echo");
    /**
     * Which phases run, comma-separated: {@code start} (the production start to ready, without and with a class data
     * sharing archive), {@code steady} (direct writes, pass-through, steady, latency), {@code backfill}
     * (a branch's school year backfilled, then reconciled) and {@code year} (the steady flow, its latency and the
     * backfill and reconciliation again on a database holding a school year of a board's history, and the retention's
     * purge of that year).
     */
    private static final List<String> PHASES = List.of(System.getProperty("bench.phases", "start,steady,backfill").split(","));
    /** Timed production starts in the start phase, each way (the first start, which creates the schema, is not one). */
    private static final int START_RUNS = Integer.getInteger("bench.startRuns", 5);
    /** The year phase's board: the pupils whose school year of history fills the database. */
    private static final int YEAR_PUPILS = Integer.getInteger("bench.yearPupils", 10_000);
    /** The year phase's purge of the year beside traffic (about 18 minutes); {@code -Dbench.purge=false} leaves it out. */
    private static final boolean PURGE = !"false".equals(System.getProperty("bench.purge"));
    /** The school year the steady flow registers in (the simulators' year); the history is the one before it. */
    private static final SchoolYear STEADY_YEAR = SchoolYear.parse("2026-27");
    /** A folder for flight recordings of the bridge in the steady and latency phases ({@code -Dbench.jfr=target/jfr}). */
    private static final String JFR = System.getProperty("bench.jfr");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A copy of the year phase's database as filled (before its purge), for the backfill on a full database. */
    private String historyCopy;

    @Test
    void benchmark() throws Exception {
        Map<String, Object> results = new LinkedHashMap<>();
        // whether the vendors pushed the link's own writes back (the partner model before issue 17)
        results.put("vendorsEchoLinkWrites", ECHO);
        if (PHASES.contains("start")) {
            start(results);
        }
        if (PHASES.contains("steady") || PHASES.contains("year")) {
            steady(results);
        }
        if (PHASES.contains("purge")) {
            purgeCompared(results);
        }
        // 4. the backfill (-Dbench.backfillPupils=0 leaves it out, for a quick look at the steady flow), and with the year
        // phase the same backfill on a copy of the database holding the year's history
        if (BACKFILL_PUPILS > 0 && (PHASES.contains("backfill") || PHASES.contains("year"))) {
            backfill(results, newDatabase(), "");
            if (historyCopy != null) {
                backfill(results, historyCopy, "WithHistory");
                results.put("backfillToEmpty", round3((double) results.get("backfillSecondsWithHistory") / (double) results.get("backfillSeconds")));
                results.put("reconciliationToEmpty", round3((double) results.get("reconciliationSecondsWithHistory")
                        / (double) results.get("reconciliationSeconds")));
            }
        }
        results.put("cores", Runtime.getRuntime().availableProcessors());

        Path out = Path.of("target", "bench", "results.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        System.out.println("results: " + JSON.writeValueAsString(results));
    }


    /**
     * Direct writes, the pass-through (the steady phase), the bridge's steady flow and its latency at a fixed rate on an
     * empty database, and with the year phase the same on a database holding a school year of history.
     */
    private void steady(Map<String, Object> results) throws Exception {
        String db = newDatabase();
        int bridgePort = FreePort.find();
        ProductProcess sims = track(ProductProcess.simulators(FreePort.find(), "http://127.0.0.1:" + bridgePort)).start().awaitReady();
        Http simHttp = new Http(sims.url());
        simHttp.postJson("/sim/smartschool/admin/seed", Map.of("institutions", 2, "branchesPerInstitution", 2,
                "pupilsPerBranch", 500, "schoolYear", "2026-27", "seed", 42));
        Registers registers = new Registers(simHttp);
        List<Registers.Pupil> pupils = registers.pupils.stream().filter(p -> !p.kindergarten()).toList();
        List<LocalDate> days = new FlemishSchoolCalendar(STEADY_YEAR).instructionDaysUpTo(LocalDate.now(), 40);
        long postmaster = postmaster(db);
        Floor floor = new Floor(Double.NaN, Double.NaN, Double.NaN);

        if (PHASES.contains("steady")) {
            // 1. the reference: the simulators alone, written to directly (no bridge yet, pushes off)
            simHttp.postJson("/sim/smartschool/admin/faults", Map.of("push", false));
            simHttp.postJson("/sim/informat/admin/faults", Map.of("push", false));
            // a fresh JVM compiles its hot paths first: not measured
            closedLoop(sims, pupils, days, Duration.ofSeconds(15));
            CpuTime.Reading directBefore = CpuTime.Reading.of(0, sims.pid(), postmaster);
            long direct = closedLoop(sims, pupils, days, Duration.ofSeconds(15));
            CpuTime.Reading directCpu = CpuTime.Reading.of(0, sims.pid(), postmaster).minus(directBefore);
            double directPerSecond = direct / 15.0;
            results.put("directWriteEventsPerSecond", round(directPerSecond));
            results.put("simulatorsDirectCpuMsPerEvent", round3(directCpu.simulators() / direct));
            System.out.printf("direct writes to the simulators: %d in 15 s = %.0f/s, simulators' CPU %.3f ms per registration%n", direct,
                    directPerSecond, directCpu.simulators() / direct);

            // 2. the floor: the simplest Camel bridge (no database, no decision) carrying the same writers' registrations
            // between the same simulators, at the bridge's address (the simulators push there)
            reseed(simHttp);
            vendorsPush(simHttp);
            ProductProcess passThrough = track(ProductProcess.testProgram("pass-through", bridgePort, "/api/inbound/stats",
                    PassThrough.class, BRIDGE_HEAP, String.valueOf(bridgePort), sims.url())).start().awaitReady();
            closedLoop(sims, pupils, days, Duration.ofSeconds(WARMUP_SECONDS));
            Http passHttp = new Http(passThrough.url());
            long[] settled = {-1};
            // the warm-up's last forwards done: the count stands still for a second
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                long now = carried(passHttp);
                boolean still = now == settled[0];
                settled[0] = now;
                return still;
            });
            long carriedBefore = carried(passHttp);
            CpuTime.Reading passBefore = CpuTime.Reading.of(passThrough.pid(), sims.pid(), postmaster);
            long passStartMs = System.currentTimeMillis();
            long passRegistered = closedLoop(sims, pupils, days, Duration.ofSeconds(STEADY_SECONDS));
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> carried(passHttp) - carriedBefore >= passRegistered);
            CpuTime.Reading passCpu = CpuTime.Reading.of(passThrough.pid(), sims.pid(), postmaster).minus(passBefore);
            JsonNode passStats = passHttp.get("/api/inbound/stats").json();
            double passSeconds = (passStats.path("lastForwardMs").asLong() - passStartMs) / 1000.0;
            double passPerSecond = passRegistered / passSeconds;
            results.put("passThroughEventsPerSecond", round(passPerSecond));
            results.put("passThroughCpuMsPerEvent", round3(passCpu.bridge() / passRegistered));
            results.put("passThroughJitCpuMsPerEvent", round3(passCpu.bridgeJit() / passRegistered));
            results.put("passThroughGcCpuMsPerEvent", round3(passCpu.bridgeGc() / passRegistered));
            results.put("passThroughSimulatorsCpuMsPerEvent", round3(passCpu.simulators() / passRegistered));
            System.out.printf("pass-through: %d registrations carried in %.1f s = %.0f/s (%s); CPU per registration: pass-through %.3f ms "
                            + "(of which JIT %.3f, GC %.3f), simulators %.3f ms, load generator %.3f ms%n", passRegistered, passSeconds,
                    passPerSecond, passStats, passCpu.bridge() / passRegistered, passCpu.bridgeJit() / passRegistered,
                    passCpu.bridgeGc() / passRegistered, passCpu.simulators() / passRegistered, passCpu.loadGenerator() / passRegistered);
            passThrough.close();
            floor = new Floor(directPerSecond, passPerSecond, passCpu.bridge() / passRegistered);
        }

        // 3. steady state, end to end, the same writers with pushes on (a fresh register: nothing stale), and the latency
        Flow empty = flow(results, "", sims, simHttp, db, bridgePort, pupils, days, floor);
        if (PHASES.contains("year")) {
            // what a registration writes, per table: the steady flow's own rows (absences only, repeated keys, on 40 days
            // of which the Smartschool poller reads 3), and the history's mix registered through this bridge
            Map<String, Long> rows = tableRows(db);
            Map<String, Object> steadyRatio = new LinkedHashMap<>();
            rows.forEach((t, n) -> steadyRatio.put(t, round3((double) n / empty.registrations())));
            results.put("steadyRowsPerRegistration", steadyRatio);
            System.out.printf("rows per registration written by the steady flow (%d registrations: absences on %d days, keys repeated): %s%n",
                    empty.registrations(), days.size(), steadyRatio);
            LocalDate calibrationDay = new FlemishSchoolCalendar(STEADY_YEAR).instructionDaysUpTo(LocalDate.now(), 3).stream()
                    .filter(d -> d.getDayOfWeek() != java.time.DayOfWeek.WEDNESDAY).findFirst().orElseThrow();
            List<YearOfHistory.Pupil> board = YearOfHistory.board(simHttp, YEAR_PUPILS, calibrationDay);
            Map<String, Double> real = calibrate(results, empty.bridge(), simHttp, db, board, calibrationDay);
            empty.bridge().close();
            year(results, sims, simHttp, bridgePort, pupils, days, floor, board, real, empty);
        } else {
            empty.bridge().close();
        }
        sims.close();
    }

    /**
     * The production start to ready: the product's jar as {@code scripts/start-time.sh} starts it ({@link
     * ProductProcess#production}) on a new database of the benchmark's PostgreSQL, timed from the JVM's launch to the first
     * 200 of its readiness probe (asked every 50 ms), {@link #START_RUNS} times after a first start that creates the schema;
     * and in turn with each of them the same with class data sharing: the jar extracted ({@code -Djarmode=tools extract}),
     * an archive of the classes a start loads written by a training start ({@code -XX:ArchiveClassesAtExit}, {@code
     * -Dspring.context.exit=onRefresh}: the context made, then the JVM ends) and used by each timed start.
     */
    private void start(Map<String, Object> results) throws Exception {
        String db = newDatabase();
        Path work = Path.of("target", "bench", "start").toAbsolutePath();
        if (Files.exists(work)) {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        Files.createDirectories(work);
        Path jar = ProductProcess.productJar().toAbsolutePath();
        results.put("loadAverageAtStartPhase", Files.readString(Path.of("/proc/loadavg")).trim());
        ProductProcess plain = track(ProductProcess.production("start", jar, db, work));
        long schema = plain.start().awaitReadyMillis();
        plain.close();
        System.out.printf("production start creating the schema (not counted): %d ms%n", schema);

        // class data sharing: the extracted jar (the layout the archive needs: the application's jar and its libraries
        // as plain jars on the class path), a training start against the same database
        Path extracted = work.resolve("extracted");
        Process extract = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djarmode=tools",
                "-jar", jar.toString(), "extract", "--destination", extracted.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("extract.log").toFile()).start();
        assertThat(extract.waitFor(2, TimeUnit.MINUTES) && extract.exitValue() == 0).as("jar extracted, see " + work.resolve("extract.log")).isTrue();
        Path app = extracted.resolve(jar.getFileName());
        Path archive = work.resolve("app.jsa");
        ProductProcess training = track(ProductProcess.production("start-cds-training", app, db, work)
                .jvmOption("-XX:ArchiveClassesAtExit=" + archive).jvmOption("-Dspring.context.exit=onRefresh")).start();
        long trainingStart = System.nanoTime();
        assertThat(training.awaitExit(Duration.ofMinutes(3))).as("training start's exit, see target/it-logs/").isZero();
        assertThat(archive).as("class data sharing archive").exists();
        System.out.printf("class data sharing: training start %d ms, archive %d MB%n", (System.nanoTime() - trainingStart) / 1_000_000,
                Files.size(archive) / (1024 * 1024));
        results.put("cdsArchiveMb", Files.size(archive) / (1024 * 1024));
        ProductProcess cds = track(ProductProcess.production("start-cds", app, db, work).jvmOption("-XX:SharedArchiveFile=" + archive));

        // the timed starts, a plain one and one with the archive in turn: both series meet the same machine (two shared
        // cores whose speed moves within minutes); each start's CPU (all its threads, the JIT compilers' apart) until
        // ready, which moves less than its wall time
        List<long[]> plainRuns = new ArrayList<>();
        List<long[]> cdsRuns = new ArrayList<>();
        for (int run = 1; run <= START_RUNS; run++) {
            plainRuns.add(timedStart("productionStartToReadySeconds", run, plain));
            cdsRuns.add(timedStart("productionStartToReadySecondsCds", run, cds));
        }
        startFigures(results, "productionStartToReadySeconds", "productionStartCpuSeconds", plainRuns);
        startFigures(results, "productionStartToReadySecondsCds", "productionStartCpuSecondsCds", cdsRuns);
        results.put("productionStartCdsToPlain", round3((double) results.get("productionStartToReadySecondsCds")
                / (double) results.get("productionStartToReadySeconds")));
    }

    /**
     * One start of {@code product} until ready, then stopped: {milliseconds to ready, CPU ms until then, of which the
     * JIT compilers'}, printed with Spring Boot's own account of the start (the JVM's time until the context was started).
     */
    private static long[] timedStart(String name, int run, ProductProcess product) throws Exception {
        long ms = product.start().awaitReadyMillis();
        CpuTime.JvmThreads threads = CpuTime.ofJvmThreads(product.pid());
        // since the JVM began (a compiler thread the JVM ended on the way counts as the rest's)
        double[] cpu = {threads.process(), threads.jit().values().stream().mapToDouble(Double::doubleValue).sum()};
        String started = product.output().lines().filter(l -> l.contains("Started AbsenceBridgeApplication")).findFirst()
                .map(l -> l.substring(l.indexOf("Started"))).orElse("");
        product.close();
        System.out.printf("%s run %d: ready after %d ms, CPU %.1f s (JIT %.1f s) (%s)%n", name, run, ms, cpu[0] / 1000, cpu[1] / 1000,
                started);
        return new long[] {ms, Math.round(cpu[0]), Math.round(cpu[1])};
    }

    /** A series of starts: the median wall time under {@code name} in seconds, min, max and each run beside it; the median CPU. */
    private static void startFigures(Map<String, Object> results, String name, String cpuName, List<long[]> runs) {
        List<Long> times = runs.stream().map(r -> r[0]).toList();
        double median = median(times);
        results.put(name, round3(median / 1000));
        results.put(name + "Min", round3(Collections.min(times) / 1000.0));
        results.put(name + "Max", round3(Collections.max(times) / 1000.0));
        results.put(name + "Runs", times);
        double cpu = median(runs.stream().map(r -> r[1]).toList());
        double jit = median(runs.stream().map(r -> r[2]).toList());
        results.put(cpuName, round3(cpu / 1000));
        results.put(cpuName.replace("Cpu", "JitCpu"), round3(jit / 1000));
        System.out.printf("%s: median %.3f s of %d starts (min %.3f, max %.3f); CPU until ready median %.1f s (JIT %.1f s)%n", name,
                median / 1000, times.size(), Collections.min(times) / 1000.0, Collections.max(times) / 1000.0, cpu / 1000, jit / 1000);
    }

    private static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    /** The steady phase's reference figures (NaN when the steady phase did not run). */
    private record Floor(double directPerSecond, double passPerSecond, double passCpuMsPerEvent) {
    }

    /** A bridge's steady flow and latency, the bridge still running; registrations made to it in all. */
    private record Flow(ProductProcess bridge, double cpuMsPerEvent, double pacedCpuMsPerEvent, double perSecond, long p99,
                        long registrations) {
    }

    /**
     * A bridge started on {@code db}, warmed up, then its steady flow ({@link #STEADY_SECONDS} of the closed loop) and its
     * latency at {@link #LATENCY_RATE} a second; the figures go to {@code results} under their names followed by
     * {@code suffix}. The bridge is left running.
     */
    private Flow flow(Map<String, Object> results, String suffix, ProductProcess sims, Http simHttp, String db, int bridgePort,
                      List<Registers.Pupil> pupils, List<LocalDate> days, Floor floor, String... extraArgs) throws Exception {
        String label = suffix.isEmpty() ? "" : " (" + suffix + ")";
        reseed(simHttp);
        // the bridge starts on the fresh registers: the earlier phases' registrations are gone with the new seed
        List<String> args = new ArrayList<>(List.of("--bridge.exchange.links-active-since=2026-09-01T00:00:00+02:00"));
        args.addAll(List.of(extraArgs));
        String name = "bench-bridge" + (suffix.isEmpty() ? "" : "-" + suffix.toLowerCase());
        ProductProcess bridge = ProductProcess.bridge(name, bridgePort, sims.port, db, bridgeArgs(args.toArray(String[]::new)));
        if (JFR != null) {
            Files.createDirectories(Path.of(JFR).toAbsolutePath());
            bridge.jvmOption("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + Path.of(JFR, name + ".jfr").toAbsolutePath());
        }
        track(bridgeJvm(bridge)).start().awaitReady();
        long postmaster = postmaster(db);
        // warm-up (not measured): a freshly started JVM compiles its hot paths first. In slices of 15 s, each with the
        // compilers' CPU per registration: how the JIT's share falls as the load goes on
        // On two cores the C2 compiler works through a large application's hot methods for about three minutes (the
        // compilers' CPU per registration stays near 0.5 ms that long, then falls under 0.05: no churn, a backlog); the
        // warm-up lasts until two slices in a row are under JIT_SETTLED, at least WARMUP_SECONDS, at most WARMUP_MAX_SECONDS
        long registrations = 0;
        StringBuilder jitCurve = new StringBuilder();
        int settledSlices = 0;
        int warmedSeconds = 0;
        while (warmedSeconds < WARMUP_MAX_SECONDS && (warmedSeconds < WARMUP_SECONDS || settledSlices < 2)) {
            CpuTime.Reading sliceBefore = CpuTime.Reading.of(bridge.pid(), sims.pid(), 0);
            long n = closedLoop(sims, pupils, days, Duration.ofSeconds(15));
            CpuTime.Reading sliceCpu = CpuTime.Reading.of(bridge.pid(), sims.pid(), 0).minus(sliceBefore);
            registrations += n;
            warmedSeconds += 15;
            double jit = sliceCpu.bridgeJit() / Math.max(1, n);
            settledSlices = jit < JIT_SETTLED ? settledSlices + 1 : 0;
            jitCurve.append(String.format(" %.3f", jit));
        }
        results.put("bridgeWarmUpSeconds" + suffix, warmedSeconds);
        System.out.printf("warm-up%s: %d s; the compilers' CPU per registration, per 15 s of load (ms):%s%n", label, warmedSeconds, jitCurve);
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).until(() -> drained(db));
        long doneBefore = count(db, "SELECT count(*) FROM outbox WHERE state = 'DONE'");
        long[] writesBefore = writes(db);
        if (STATEMENTS) {
            resetStatements(db);
        }
        // read before the CPU: the scrape's login (bcrypt) is not the steady flow's
        double[] poolBefore = dbPoolAcquires(bridge);
        CpuTime.Reading steadyBefore = CpuTime.Reading.of(bridge.pid(), sims.pid(), postmaster);
        long opensBefore = Connections.activeOpens();
        long start = System.nanoTime();
        long steady = closedLoop(sims, pupils, days, Duration.ofSeconds(STEADY_SECONDS));
        registrations += steady;
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).until(() -> drained(db));
        double steadySeconds = (System.nanoTime() - start) / 1e9;
        CpuTime.Reading steadyCpu = CpuTime.Reading.of(bridge.pid(), sims.pid(), postmaster).minus(steadyBefore);
        long connects = Connections.activeOpens() - opensBefore;
        double[] poolAfter = dbPoolAcquires(bridge);
        int toSimulators = Connections.established(bridge.pid(), sims.port);
        int toDatabase = Connections.established(bridge.pid(), postgres.getPort());
        long[] writesAfter = writes(db);
        long transactions = writesAfter[0] - writesBefore[0];
        long rowsWritten = writesAfter[1] - writesBefore[1];
        long delivered = count(db, "SELECT count(*) FROM outbox WHERE state = 'DONE'") - doneBefore;
        double steadyPerSecond = steady / steadySeconds;
        results.put("steadyEventsPerSecond" + suffix, round(steadyPerSecond));
        if (!Double.isNaN(floor.passPerSecond())) {
            results.put("steadyToPassThrough" + suffix, round3(steadyPerSecond / floor.passPerSecond()));
        }
        results.put("bridgeCpuMsPerEvent" + suffix, round3(steadyCpu.bridge() / steady));
        results.put("bridgeJitCpuMsPerEvent" + suffix, round3(steadyCpu.bridgeJit() / steady));
        if (STEADY_SECONDS == 60) {
            // the steady window is the load's last minute
            results.put("bridgeJitCpuMsPerEventLastMinute" + suffix, round3(steadyCpu.bridgeJit() / steady));
        }
        results.put("bridgeGcCpuMsPerEvent" + suffix, round3(steadyCpu.bridgeGc() / steady));
        results.put("databaseCpuMsPerEvent" + suffix, round3(steadyCpu.database() / steady));
        results.put("simulatorsCpuMsPerEvent" + suffix, round3(steadyCpu.simulators() / steady));
        results.put("databaseTransactionsPerEvent" + suffix, round3((double) transactions / steady));
        results.put("databaseRowsWrittenPerEvent" + suffix, round3((double) rowsWritten / steady));
        // the pools: connections kept alive (connects per registration on the whole machine: the load generator's, the
        // simulators' pushes, the bridge's vendor calls), what the bridge holds open, and whether its threads wait for a
        // database connection
        double acquires = poolAfter[0] - poolBefore[0];
        results.put("tcpConnectsPerEvent" + suffix, round3((double) connects / steady));
        results.put("bridgeConnectionsToSimulators" + suffix, toSimulators);
        results.put("bridgeConnectionsToDatabase" + suffix, toDatabase);
        results.put("dbPoolAcquireWaitMsAverage" + suffix, round3(acquires == 0 ? 0 : (poolAfter[1] - poolBefore[1]) * 1000 / acquires));
        results.put("dbPoolAcquireWaitMsMax" + suffix, round3(poolAfter[2] * 1000));
        results.put("dbPoolAcquiresPerEvent" + suffix, round3(acquires / steady));
        System.out.printf("pools%s: %d TCP connects on the machine (%.3f per registration); the bridge holds %d connections to the "
                        + "simulators and %d to PostgreSQL (pool of %.0f); %.0f database connections acquired (%.2f per registration), "
                        + "waiting %.3f ms on average, %.1f ms at most%n", label, connects, (double) connects / steady, toSimulators,
                toDatabase, poolAfter[3], acquires, acquires / steady, acquires == 0 ? 0 : (poolAfter[1] - poolBefore[1]) * 1000 / acquires,
                poolAfter[2] * 1000);
        if (STATEMENTS) {
            printStatements(db, steady, "steady" + label, "registrations");
        }
        System.out.printf("steady state%s: %d registrations carried end to end (%d deliveries) in %.1f s = %.0f/s (%.2f of direct, %.2f of "
                        + "the pass-through)%n", label, steady, delivered, steadySeconds, steadyPerSecond,
                steadyPerSecond / floor.directPerSecond(), steadyPerSecond / floor.passPerSecond());
        System.out.printf("steady CPU per registration%s: bridge %.3f ms (of which JIT %.3f, GC %.3f; pass-through %.3f), database %.3f ms, "
                        + "simulators %.3f ms, load generator %.3f ms; database transactions %.2f and rows written %.2f per registration%n",
                label, steadyCpu.bridge() / steady, steadyCpu.bridgeJit() / steady, steadyCpu.bridgeGc() / steady,
                floor.passCpuMsPerEvent(), steadyCpu.database() / steady,
                steadyCpu.simulators() / steady, steadyCpu.loadGenerator() / steady, (double) transactions / steady,
                (double) rowsWritten / steady);

        // latency at a fixed rate: registration moment (client) to delivery (database clock, same machine)
        List<Object[]> keys = new ArrayList<>();
        for (Registers.Pupil p : pupils) {
            for (LocalDate d : days) {
                keys.add(new Object[] {p, d, true});
            }
        }
        Collections.shuffle(keys);
        int total = LATENCY_RATE * LATENCY_SECONDS;
        AtomicLong accepted = new AtomicLong();
        // the CPU at a fixed rate too: in the closed loop a slower machine carries fewer registrations a second, and what
        // the bridge spends per second whatever it carries (pollers, timers) weighs more on each
        CpuTime.Reading pacedBefore = CpuTime.Reading.of(bridge.pid(), sims.pid(), postmaster);
        List<Long> latencies = sorted(paced(sims, db, keys, total, () -> true, accepted, "latency phase" + label));
        CpuTime.Reading pacedCpu = CpuTime.Reading.of(bridge.pid(), sims.pid(), postmaster).minus(pacedBefore);
        registrations += accepted.get();
        results.put("bridgeCpuMsPerEventAtLatencyRate" + suffix, round3(pacedCpu.bridge() / accepted.get()));
        results.put("databaseCpuMsPerEventAtLatencyRate" + suffix, round3(pacedCpu.database() / accepted.get()));
        System.out.printf("CPU per registration at %d/s%s: bridge %.3f ms (of which JIT %.3f), database %.3f ms%n", LATENCY_RATE, label,
                pacedCpu.bridge() / accepted.get(), pacedCpu.bridgeJit() / accepted.get(), pacedCpu.database() / accepted.get());
        assertThat(latencies).as("deliveries matched to registrations").hasSizeGreaterThan(total / 2);
        long p50 = latencies.get(latencies.size() / 2);
        long p99 = percentile(latencies, 0.99);
        results.put("p50LatencyMs" + suffix, p50);
        results.put("p99LatencyMs" + suffix, p99);
        System.out.printf("latency%s at %d/s for %d s: %d deliveries, p50 %d ms, p99 %d ms, max %d ms%n", label, LATENCY_RATE,
                LATENCY_SECONDS, latencies.size(), p50, p99, latencies.get(latencies.size() - 1));
        return new Flow(bridge, steadyCpu.bridge() / steady, pacedCpu.bridge() / accepted.get(), steadyPerSecond, p99, registrations);
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(sorted.size() * p) - 1)));
    }

    /**
     * Registrations handed out at {@link #LATENCY_RATE} a second, each to a sender of its own, one per key (a pupil, a
     * day and a half-day: {@code true} the morning; the keys again from the first once all were used), at most
     * {@code max}, while {@code running} holds; their latencies from the registration's moment (client) to its delivery
     * (the outbox row's {@code done_at}, database clock, same machine; a key's latest registration before it) with the
     * registration's moment ({@code {sentMs, latencyMs}}), once everything is delivered. {@code accepted} counts the
     * registrations the simulators took.
     */
    private static List<long[]> paced(ProductProcess sims, String db, List<Object[]> keys, int max, java.util.function.BooleanSupplier running,
                                    AtomicLong accepted, String label) throws Exception {
        Map<String, List<Long>> sentAt = new ConcurrentHashMap<>();
        long latencyStart = System.currentTimeMillis();
        ScheduledExecutorService pacer = Executors.newScheduledThreadPool(1);
        // the pacer only hands each registration to a sender: a slow answer does not slow the rate (a periodic task
        // never overlaps itself, so sending from it capped the rate at one answer at a time)
        ExecutorService senders = Executors.newFixedThreadPool(32);
        AtomicLong sent = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
        long periodMicros = 1_000_000L / LATENCY_RATE;
        pacer.scheduleAtFixedRate(() -> {
            if (stopped.get()) {
                return;
            }
            long n = sent.get();
            if (n >= max || !running.getAsBoolean()) {
                stopped.set(true);
                return;
            }
            sent.incrementAndGet();
            Object[] k = keys.get((int) (n % keys.size()));
            Registers.Pupil p = (Registers.Pupil) k[0];
            LocalDate d = (LocalDate) k[1];
            boolean am = (Boolean) k[2];
            sentAt.computeIfAbsent(p.institutionNumber() + "|" + p.registrationNumber() + "|" + d + "|" + (am ? "AM" : "PM"),
                    key -> Collections.synchronizedList(new ArrayList<>())).add(System.currentTimeMillis());
            senders.execute(() -> {
                if (register(sims, p, d, n % 2 == 0, am)) {
                    accepted.incrementAndGet();
                }
            });
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        await().atMost(Duration.ofHours(2)).pollInterval(Duration.ofMillis(100)).until(stopped::get);
        pacer.shutdown();
        pacer.awaitTermination(10, TimeUnit.SECONDS);
        senders.shutdown();
        senders.awaitTermination(60, TimeUnit.SECONDS);
        double seconds = (System.currentTimeMillis() - latencyStart) / 1000.0;
        System.out.printf("%s: %d registrations handed out in %.1f s (%.0f/s planned)%n", label, sent.get(), seconds, (double) LATENCY_RATE);
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).until(() -> drained(db));
        List<long[]> latencies = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db, "postgres", "postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT institution_number, registration_number, date, part, extract(epoch FROM done_at) * 1000 "
                     + "FROM outbox WHERE state = 'DONE' AND done_at > to_timestamp(" + latencyStart / 1000.0 + ")")) {
            while (rs.next()) {
                List<Long> sends = sentAt.get(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4));
                long done = (long) rs.getDouble(5);
                Long t0 = sends == null ? null : sends.stream().filter(t -> t <= done).max(Long::compare).orElse(null);
                if (t0 != null) {
                    latencies.add(new long[] {t0, done - t0});
                }
            }
        }
        return latencies;
    }

    private static List<Long> sorted(List<long[]> latencies) {
        List<Long> out = new ArrayList<>(latencies.stream().map(l -> l[1]).toList());
        Collections.sort(out);
        return out;
    }

    /** Rows of the tables a registration writes to. */
    private static Map<String, Long> tableRows(String db) throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String t : YearOfHistory.TABLES) {
            out.put(t, count(db, "SELECT count(*) FROM " + t));
        }
        return out;
    }

    /**
     * What a registration of the history's mix writes, per table, measured through the running bridge: one registration
     * per pupil of the simulators (the history's first pupils, {@link YearOfHistory#board}) in the afternoon of a day the
     * Smartschool poller reads (the steady flow registers mornings only), of the kind the fill gives it, until both
     * pollers have read it back and everything is delivered. The rows added per registration, per table.
     */
    private Map<String, Double> calibrate(Map<String, Object> results, ProductProcess bridge, Http simHttp, String db,
                                          List<YearOfHistory.Pupil> board, LocalDate day) throws Exception {
        // what the steady flow and its latency left on its way (Informat's feed read back, the register reads of the last
        // days) is in before the count
        settle(db);
        Map<String, Long> before = tableRows(db);
        long inboxBefore = count(db, "SELECT coalesce(max(id), 0) FROM inbox");
        long auditBefore = count(db, "SELECT coalesce(max(id), 0) FROM audit");
        List<YearOfHistory.Pupil> simulated = board.stream().filter(p -> !p.platform().startsWith("board")).toList();
        Map<YearOfHistory.Kind, Integer> kinds = new java.util.EnumMap<>(YearOfHistory.Kind.class);
        int registered = 0;
        for (int i = 0; i < simulated.size(); i++) {
            YearOfHistory.Pupil p = simulated.get(i);
            // the calibration's own ordinals (the fill's start at 0): the same choice of kind, code and text
            long n = 1_000_000_000L + i;
            YearOfHistory.Kind kind = YearOfHistory.kind(n, p.presenceStored());
            kinds.merge(kind, 1, Integer::sum);
            String text = YearOfHistory.text(n, kind);
            Map<String, Object> body = new LinkedHashMap<>();
            String path;
            if (kind == YearOfHistory.Kind.INFORMAT_ABSENCE) {
                path = "/sim/informat/admin/register";
                body.put("personId", p.personId());
                body.put("date", day.toString());
                body.put("partOfDay", "NM");
                body.put("absenceCode", YearOfHistory.informatCode(n));
                if (text != null) {
                    body.put("remark", text);
                }
            } else {
                path = "/sim/smartschool/admin/register";
                body.put("internalNumber", p.internalNumber());
                body.put("date", day.toString());
                body.put("part", "pm");
                body.put("code", kind == YearOfHistory.Kind.SMARTSCHOOL_ABSENCE ? YearOfHistory.smartschoolCode(n) : "|");
                if (text != null) {
                    body.put("motivation", text);
                }
            }
            Http.Response r = simHttp.postJson(path, body);
            assertThat(r.status()).as(path + " " + body + ": " + r.text()).isEqualTo(200);
            registered++;
        }
        long registeredAt = System.currentTimeMillis();
        settle(db);
        Map<String, Long> after = tableRows(db);
        Map<String, Double> perRegistration = new LinkedHashMap<>();
        for (String t : YearOfHistory.TABLES) {
            perRegistration.put(t, (double) (after.get(t) - before.get(t)) / registered);
        }
        System.out.printf("calibration: %d registrations of the history's mix %s on %s afternoon, read back and delivered in %.0f s; rows per "
                + "registration: %s%n", registered, kinds, day, (System.currentTimeMillis() - registeredAt) / 1000.0, perRegistration);
        // what the rows are: the inbox's by source and way, the audit's by decision
        System.out.println("calibration: inbox rows (source | way | rows) " + rows(db, "SELECT source, received_via, count(*) FROM inbox WHERE id > "
                + inboxBefore + " GROUP BY 1, 2 ORDER BY 1, 2") + ", audit rows (direction | decision | detail | rows) " + rows(db,
                "SELECT direction, decision, detail, count(*) FROM audit WHERE id > " + auditBefore + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"));
        Map<String, Object> rounded = new LinkedHashMap<>();
        perRegistration.forEach((t, v) -> rounded.put(t, round3(v)));
        results.put("calibrationRowsPerRegistration", rounded);
        return perRegistration;
    }

    /**
     * Everything delivered and both pollers done with what was registered: the Smartschool poller has read the days it
     * reads (the last three instruction days, every 30 s) twice since, Informat's feed (read every 10 s) with it, and
     * what they stored is decided and delivered.
     */
    private static void settle(String db) throws Exception {
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() -> drained(db));
        LocalDate oldest = new FlemishSchoolCalendar(STEADY_YEAR).instructionDaysUpTo(LocalDate.now(), 3).get(2);
        for (int read = 0; read < 2; read++) {
            long after = System.currentTimeMillis();
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> count(db,
                    "SELECT count(*) FROM smartschool_read_day WHERE date >= '" + oldest + "' AND read_at <= to_timestamp(" + after / 1000.0 + ")") == 0);
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() -> drained(db));
        }
    }

    /**
     * The year phase: a new database filled with a school year of the board's history (the school year before the steady
     * flow's), its size, then the steady flow and its latency on it, and the retention's purge of that year beside
     * traffic at {@link #LATENCY_RATE} a second.
     */
    private void year(Map<String, Object> results, ProductProcess sims, Http simHttp, int bridgePort, List<Registers.Pupil> pupils,
                      List<LocalDate> days, Floor floor, List<YearOfHistory.Pupil> board, Map<String, Double> real, Flow empty)
            throws Exception {
        String db = newDatabase();
        // the bridge's schema, as the bridge migrates it at its start
        org.flywaydb.core.Flyway.configure().dataSource(db, "postgres", "postgres").load().migrate();
        long bytesBefore = count(db, "SELECT pg_database_size(current_database())");
        SchoolYear historyYear = STEADY_YEAR.previous();
        System.out.printf("history: filling school year %s for %d pupils%n", historyYear, board.size());
        YearOfHistory.Filled filled = YearOfHistory.fill(db, board, historyYear);
        long bytesAfter = count(db, "SELECT pg_database_size(current_database())");
        Map<String, Object> fillRatio = new LinkedHashMap<>();
        filled.rows().forEach((t, n) -> fillRatio.put(t, round3((double) n / filled.registrations())));
        results.put("historyRegistrations", filled.registrations());
        results.put("historyPupils", board.size());
        results.put("historySchoolYear", historyYear.toString());
        results.put("historyRowsPerRegistration", fillRatio);
        results.put("historyFillSeconds", round(filled.seconds()));
        results.put("historyVacuumAnalyzeSeconds", round(filled.vacuumSeconds()));
        results.put("databaseBytesPerPupilYear", (bytesAfter - bytesBefore) / board.size());
        Map<String, Object> tableBytes = new LinkedHashMap<>();
        for (String row : rows(db, "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 2 DESC")) {
            String[] f = row.split(" \\| ");
            if (Long.parseLong(f[1]) > 1_000_000) {
                tableBytes.put(f[0], Long.parseLong(f[1]) / board.size());
            }
        }
        results.put("databaseBytesPerPupilYearByTable", tableBytes);
        System.out.printf("history: %d registrations (%d pupils, school year %s) filled in %.0f s, VACUUM ANALYZE %.0f s; database %d MB "
                        + "(%d MB empty): %d bytes per pupil-year, per table (with its indexes and TOAST) %s%n", filled.registrations(),
                board.size(), historyYear, filled.seconds(), filled.vacuumSeconds(), bytesAfter >> 20, bytesBefore >> 20,
                (bytesAfter - bytesBefore) / board.size(), tableBytes);
        System.out.printf("rows per registration: the fill %s, the bridge (calibration) %s%n", fillRatio, real);
        if (BACKFILL_PUPILS > 0) {
            // the backfill phase runs the same backfill on this copy of the full database
            historyCopy = copyDatabase(db);
        }

        // the same steady flow and latency on the full database; the retention's settings make the whole year due
        Flow full = flow(results, "WithHistory", sims, simHttp, db, bridgePort, pupils, days, floor,
                "--bridge.retention.decision-school-years=1", "--bridge.retention.audit-school-years=1");
        results.put("cpuRatioWithHistory", round3(full.cpuMsPerEvent() / empty.cpuMsPerEvent()));
        results.put("cpuRatioWithHistoryAtLatencyRate", round3(full.pacedCpuMsPerEvent() / empty.pacedCpuMsPerEvent()));
        System.out.printf("with a year of history: bridge CPU %.3f ms per registration against %.3f ms empty (%.2f; at %d/s %.3f against %.3f "
                        + "ms, %.2f), %.0f/s against %.0f/s, p99 %d ms against %d ms%n", full.cpuMsPerEvent(), empty.cpuMsPerEvent(),
                full.cpuMsPerEvent() / empty.cpuMsPerEvent(), LATENCY_RATE, full.pacedCpuMsPerEvent(), empty.pacedCpuMsPerEvent(),
                full.pacedCpuMsPerEvent() / empty.pacedCpuMsPerEvent(), full.perSecond(), empty.perSecond(), full.p99(), empty.p99());
        if (PURGE) {
            purge(results, "", full.bridge(), sims, db, pupils, days);
        }
        full.bridge().close();
    }

    /**
     * The purge phase ({@code -Dbench.phases=purge}): a school year of {@code -Dbench.yearPupils} pupils filled once, its
     * database copied, and the retention's purge of the year beside registrations at {@link #LATENCY_RATE} a second run on
     * each: first with the chunks' pause fixed ({@code database-share=1}: the pause of {@code chunk-pause} alone), then
     * with the product's settings; the figures under their names, the first with the suffix {@code FixedPause}.
     */
    private void purgeCompared(Map<String, Object> results) throws Exception {
        int bridgePort = FreePort.find();
        ProductProcess sims = track(ProductProcess.simulators(FreePort.find(), "http://127.0.0.1:" + bridgePort)).start().awaitReady();
        Http simHttp = new Http(sims.url());
        simHttp.postJson("/sim/smartschool/admin/seed", Map.of("institutions", 2, "branchesPerInstitution", 2,
                "pupilsPerBranch", 500, "schoolYear", "2026-27", "seed", 42));
        List<Registers.Pupil> pupils = new Registers(simHttp).pupils.stream().filter(p -> !p.kindergarten()).toList();
        List<LocalDate> days = new FlemishSchoolCalendar(STEADY_YEAR).instructionDaysUpTo(LocalDate.now(), 40);
        LocalDate calibrationDay = new FlemishSchoolCalendar(STEADY_YEAR).instructionDaysUpTo(LocalDate.now(), 3).stream()
                .filter(d -> d.getDayOfWeek() != java.time.DayOfWeek.WEDNESDAY).findFirst().orElseThrow();
        List<YearOfHistory.Pupil> board = YearOfHistory.board(simHttp, YEAR_PUPILS, calibrationDay);
        String db = newDatabase();
        org.flywaydb.core.Flyway.configure().dataSource(db, "postgres", "postgres").load().migrate();
        YearOfHistory.Filled filled = YearOfHistory.fill(db, board, STEADY_YEAR.previous());
        results.put("purgeHistoryRegistrations", filled.registrations());
        System.out.printf("purge phase: %d registrations of %d pupils filled in %.0f s%n", filled.registrations(), board.size(), filled.seconds());
        String copy = copyDatabase(db);
        for (String[] run : List.of(new String[] {"FixedPause", db, "--bridge.retention.database-share=1"},
                new String[] {"", copy, null})) {
            reseed(simHttp);
            vendorsPush(simHttp);
            List<String> args = new ArrayList<>(List.of("--bridge.exchange.links-active-since=2026-09-01T00:00:00+02:00",
                    "--bridge.retention.decision-school-years=1", "--bridge.retention.audit-school-years=1"));
            if (run[2] != null) {
                args.add(run[2]);
            }
            ProductProcess bridge = track(bridgeJvm(ProductProcess.bridge("bench-purge" + run[0].toLowerCase(), bridgePort, sims.port,
                    run[1], bridgeArgs(args.toArray(String[]::new))))).start().awaitReady();
            // the same warm-up for both: the compilers' first minutes are not the purge's
            closedLoop(sims, pupils, days, Duration.ofSeconds(WARMUP_SECONDS));
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).until(() -> drained(run[1]));
            purge(results, run[0], bridge, sims, run[1], pupils, days);
            bridge.close();
        }
        sims.close();
    }

    /** A copy of a database (its files copied: statistics, visibility map and all), for a later phase. */
    private static String copyDatabase(String db) throws Exception {
        String name = db.substring(db.lastIndexOf('/') + 1);
        String copy = name + "_copy";
        long start = System.nanoTime();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + copy + " TEMPLATE " + name + " STRATEGY FILE_COPY");
        }
        System.out.printf("history: database copied for the backfill in %.0f s%n", (System.nanoTime() - start) / 1e9);
        return db.substring(0, db.lastIndexOf('/') + 1) + copy;
    }

    /**
     * The retention's run on the full database (the product's own purge, started through the admin API as an operator
     * would), timed until it is DONE, with registrations at {@link #LATENCY_RATE} a second beside it (afternoons, which
     * the steady flow left empty) and their latency.
     */
    private void purge(Map<String, Object> results, String suffix, ProductProcess bridge, ProductProcess sims, String db, List<Registers.Pupil> pupils,
                       List<LocalDate> days) throws Exception {
        Map<String, Long> before = tableRows(db);
        long bytesBefore = count(db, "SELECT pg_database_size(current_database())");
        if (STATEMENTS) {
            resetStatements(db);
        }
        long postmaster = postmaster(db);
        List<Object[]> keys = new ArrayList<>();
        for (Registers.Pupil p : pupils) {
            for (LocalDate d : days) {
                if (d.getDayOfWeek() != java.time.DayOfWeek.WEDNESDAY) {
                    keys.add(new Object[] {p, d, false});
                }
            }
        }
        Collections.shuffle(keys);
        CpuTime.Reading cpuBefore = CpuTime.Reading.of(bridge.pid(), sims.pid(), postmaster);
        long start = System.nanoTime();
        Http.Response started = new Http(bridge.managementUrl()).postJson("/api/admin/retention", Map.of(), "Authorization",
                ProductProcess.ADMIN_AUTH);
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        long id = started.json().path("id").asLong();
        // the run's steps as its counts show them working (read from the database: a login a second would cost the bridge a
        // bcrypt each): the step whose count grew since the last look, from then on
        Map<String, Double> stepStarts = new LinkedHashMap<>();
        java.util.TreeMap<Double, String> activeFrom = new java.util.TreeMap<>();
        Map<String, Long> lastCounts = new java.util.HashMap<>();
        double[] purgeSeconds = {Double.NaN};
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
        watcher.scheduleWithFixedDelay(() -> {
            try {
                String[] row = rows(db, "SELECT state, counts::text FROM retention_run WHERE id = " + id).get(0).split(" \\| ", 2);
                double now = (System.nanoTime() - start) / 1e9;
                for (java.util.Iterator<Map.Entry<String, JsonNode>> it = JSON.readTree(row[1]).fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> step = it.next();
                    long n = step.getValue().asLong();
                    if (n > lastCounts.getOrDefault(step.getKey(), 0L)) {
                        stepStarts.putIfAbsent(step.getKey(), now);
                        if (activeFrom.isEmpty() || !activeFrom.lastEntry().getValue().equals(step.getKey())) {
                            activeFrom.put(now, step.getKey());
                        }
                    }
                    lastCounts.put(step.getKey(), n);
                }
                if (!row[0].equals("RUNNING") && running.get()) {
                    purgeSeconds[0] = now;
                    running.set(false);
                }
            } catch (Exception e) {
                System.out.println("purge: its run could not be read: " + e);
            }
        }, 0, 1, TimeUnit.SECONDS);
        AtomicLong accepted = new AtomicLong();
        long startMs = System.currentTimeMillis();
        List<long[]> sent = paced(sims, db, keys, Integer.MAX_VALUE, running::get, accepted, "latency during the purge");
        List<Long> latencies = sorted(sent);
        // the pacer stops when the run ends or its keys run out: the run is awaited either way
        await().atMost(Duration.ofHours(3)).pollInterval(Duration.ofSeconds(1)).until(() -> !running.get());
        watcher.shutdownNow();
        CpuTime.Reading cpu = CpuTime.Reading.of(bridge.pid(), sims.pid(), postmaster).minus(cpuBefore);
        List<String> run = rows(db, "SELECT state, counts::text, error FROM retention_run WHERE id = " + id);
        assertThat(run.get(0)).as("the retention run").startsWith("DONE");
        Map<String, Long> after = tableRows(db);
        Map<String, Object> removed = new LinkedHashMap<>();
        for (String t : YearOfHistory.TABLES) {
            removed.put(t, before.get(t) - after.get(t));
        }
        Map<String, Object> steps = new LinkedHashMap<>();
        stepStarts.forEach((step, at) -> steps.put(step, round(at)));
        results.put("purgeSecondsForAYear" + suffix, round(purgeSeconds[0]));
        results.put("purgeCounts" + suffix, JSON.readTree(run.get(0).split(" \\| ")[1]));
        results.put("purgeStepsStartedAtSeconds" + suffix, steps);
        Map<String, Object> timeline = new LinkedHashMap<>();
        activeFrom.forEach((at, step) -> timeline.put(String.valueOf(round(at)), step));
        results.put("purgeStepsWorkingFromSeconds" + suffix, timeline);
        System.out.println("purge: the step working from (s) " + timeline);
        results.put("purgeBridgeCpuSeconds" + suffix, round(cpu.bridge() / 1000));
        results.put("purgeDatabaseCpuSeconds" + suffix, round(cpu.database() / 1000));
        if (!latencies.isEmpty()) {
            results.put("p50LatencyMsDuringPurge" + suffix, latencies.get(latencies.size() / 2));
            results.put("p99LatencyMsDuringPurge" + suffix, percentile(latencies, 0.99));
        }
        results.put("registrationsDuringPurge" + suffix, latencies.size());
        if (STATEMENTS) {
            printStatements(db, Math.max(1, accepted.get()), "purge", "registrations beside it");
        }
        System.out.printf("purge of a year: %.0f s (bridge CPU %.0f s, database %.0f s), rows removed per table %s, counts %s, steps began at "
                        + "(s) %s; database %d MB before, %d MB after (space kept for new rows, not returned to the disk)%n",
                purgeSeconds[0], cpu.bridge() / 1000, cpu.database() / 1000, removed, run.get(0), steps, bytesBefore >> 20,
                count(db, "SELECT pg_database_size(current_database())") >> 20);
        if (!latencies.isEmpty()) {
            System.out.printf("latency during the purge: %d deliveries, p50 %d ms, p99 %d ms, max %d ms%n", latencies.size(),
                    latencies.get(latencies.size() / 2), percentile(latencies, 0.99), latencies.get(latencies.size() - 1));
            // per step of the run: the registrations made while it was the one working (seen a second at a time)
            Map<String, List<long[]>> byStep = new LinkedHashMap<>();
            for (long[] l : sent) {
                Map.Entry<Double, String> step = activeFrom.floorEntry((l[0] - startMs) / 1000.0);
                byStep.computeIfAbsent(step == null ? "starting" : step.getValue(), k -> new ArrayList<>()).add(l);
            }
            Map<String, Object> perStep = new LinkedHashMap<>();
            byStep.forEach((step, list) -> {
                List<Long> during = sorted(list);
                if (during.size() >= 100) {
                    perStep.put(step, Map.of("registrations", during.size(), "p50", during.get(during.size() / 2),
                            "p99", percentile(during, 0.99)));
                }
            });
            results.put("latencyMsDuringPurgeSteps" + suffix, perStep);
            System.out.println("latency during the purge's steps (the registrations made while each ran): " + perStep);
        }
    }

    /**
     * One branch of {@link #BACKFILL_PUPILS} pupils backfilled over the whole school year, clocks at its last day, then
     * that branch's school year reconciled (both registers read through their interfaces, compared with each other and
     * with the decisions; a dry run), on {@code backfillDb}; the figures under their names followed by {@code suffix}.
     */
    private void backfill(Map<String, Object> results, String backfillDb, String suffix) throws Exception {
        String label = suffix.isEmpty() ? "" : " (" + suffix + ")";
        // one branch of 2,000 pupils, the whole school year, clocks at its last day
        int backfillPort = FreePort.find();
        String clock = "--bridge.sim.clock=2027-06-30T18:00:00+02:00";
        ProductProcess yearSims = track(ProductProcess.simulators(FreePort.find(), "http://127.0.0.1:" + backfillPort, clock)).start().awaitReady();
        Http yearHttp = new Http(yearSims.url());
        yearHttp.postJson("/sim/smartschool/admin/seed", Map.of("institutions", 1, "branchesPerInstitution", 1,
                "pupilsPerBranch", BACKFILL_PUPILS, "schoolYear", "2026-27", "seed", 42));
        ProductProcess yearBridge = ProductProcess.bridge("bench-backfill-bridge" + (suffix.isEmpty() ? "" : "-" + suffix.toLowerCase()),
                backfillPort, yearSims.port, backfillDb,
                bridgeArgs(clock, "--bridge.exchange.links-active-since=2026-09-01T00:00:00+02:00")).heap(BRIDGE_HEAP);
        if (JFR != null) {
            Files.createDirectories(Path.of(JFR).toAbsolutePath());
            yearBridge.jvmOption("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + Path.of(JFR, "bench-backfill-bridge" + suffix + ".jfr").toAbsolutePath());
        }
        track(bridgeJvm(yearBridge)).start().awaitReady();
        vendorsPush(yearHttp);
        int location = yearHttp.get("/sim/informat/admin/locations").json().get(0).path("locationIdDiscimus").asInt();
        String auth = ProductProcess.ADMIN_AUTH;
        Http api = new Http(yearBridge.managementUrl());
        // the heap from outside, as jstat reads the JVM's own counters once a second: no request to the bridge, no
        // login (an authenticated HTTP sample a second cost the bridge a bcrypt check each, a fifth of its CPU)
        AtomicLong heapPeak = new AtomicLong();
        Process jstat = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstat").toString(), "-gc",
                String.valueOf(yearBridge.pid()), "1000").redirectErrorStream(true).start();
        Thread heapReader = new Thread(() -> {
            try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(jstat.getInputStream()))) {
                String[] header = null;
                for (String line; (line = r.readLine()) != null; ) {
                    String[] f = line.trim().split("\\s+");
                    if (header == null || f[0].equals("S0C")) {
                        header = f;
                        continue;
                    }
                    double usedKb = 0;
                    for (int i = 0; i < header.length && i < f.length; i++) {
                        if (List.of("S0U", "S1U", "EU", "OU").contains(header[i])) {
                            usedKb += Double.parseDouble(f[i]);
                        }
                    }
                    heapPeak.accumulateAndGet((long) (usedKb * 1024), Math::max);
                }
            } catch (Exception e) {
                // jstat ended
            }
        });
        heapReader.setDaemon(true);
        heapReader.start();
        long postmaster = postmaster(backfillDb);
        if (STATEMENTS) {
            resetStatements(backfillDb);
        }
        long[] writesBefore = writes(backfillDb);
        CpuTime.Reading backfillBefore = CpuTime.Reading.of(yearBridge.pid(), yearSims.pid(), postmaster);
        long opensBefore = Connections.activeOpens();
        long backfillStart = System.nanoTime();
        Http.Response started = api.postJson("/api/admin/backfills", Map.of("direction", "INFORMAT_TO_SMARTSCHOOL",
                "locationIdDiscimus", location, "dryRun", false), "Authorization", auth);
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        long id = started.json().path("id").asLong();
        await().atMost(Duration.ofMinutes(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> rows(backfillDb, "SELECT state FROM backfill WHERE id = " + id).get(0).equals("DONE"));
        double decidedSeconds = (System.nanoTime() - backfillStart) / 1e9;
        await().atMost(Duration.ofMinutes(60)).pollInterval(Duration.ofSeconds(1)).until(() -> drained(backfillDb));
        double backfillSeconds = (System.nanoTime() - backfillStart) / 1e9;
        CpuTime.Reading backfillCpu = CpuTime.Reading.of(yearBridge.pid(), yearSims.pid(), postmaster).minus(backfillBefore);
        long backfillConnects = Connections.activeOpens() - opensBefore;
        jstat.destroy();
        long halfDays = count(backfillDb, "SELECT half_days FROM backfill WHERE id = " + id);
        long deliveredHalfDays = count(backfillDb, "SELECT count(*) FROM outbox WHERE state = 'DONE' AND target = 'SMARTSCHOOL' AND backfill_id = " + id);
        results.put("backfillHalfDaysPerSecond" + suffix, round(halfDays / backfillSeconds));
        results.put("backfillSeconds" + suffix, round(backfillSeconds));
        results.put("backfillHeapPeakMb" + suffix, heapPeak.get() / (1024 * 1024));
        // what a half-day backfilled costs each process: which one bounds the backfill
        results.put("backfillBridgeCpuMsPerHalfDay" + suffix, round3(backfillCpu.bridge() / halfDays));
        results.put("backfillDatabaseCpuMsPerHalfDay" + suffix, round3(backfillCpu.database() / halfDays));
        results.put("backfillSimulatorsCpuMsPerHalfDay" + suffix, round3(backfillCpu.simulators() / halfDays));
        System.out.printf("backfill CPU" + label + ": bridge %.0f s (%.0f%% of a core), database %.0f s (%.0f%%), simulators %.0f s (%.0f%%); per half-day "
                        + "%.3f / %.3f / %.3f ms%n", backfillCpu.bridge() / 1000, backfillCpu.bridge() / backfillSeconds / 10,
                backfillCpu.database() / 1000, backfillCpu.database() / backfillSeconds / 10, backfillCpu.simulators() / 1000,
                backfillCpu.simulators() / backfillSeconds / 10, backfillCpu.bridge() / halfDays, backfillCpu.database() / halfDays,
                backfillCpu.simulators() / halfDays);
        long[] writesAfter = writes(backfillDb);
        results.put("backfillDatabaseTransactionsPerHalfDay" + suffix, round3((double) (writesAfter[0] - writesBefore[0]) / halfDays));
        results.put("backfillTcpConnects" + suffix, backfillConnects);
        results.put("backfillDatabaseRowsWrittenPerHalfDay" + suffix, round3((double) (writesAfter[1] - writesBefore[1]) / halfDays));
        System.out.printf("backfill" + label + ": database transactions %.3f and rows written %.2f per half-day, %d TCP connects on the machine%n",
                (double) (writesAfter[0] - writesBefore[0]) / halfDays, (double) (writesAfter[1] - writesBefore[1]) / halfDays,
                backfillConnects);
        if (STATEMENTS) {
            printStatements(backfillDb, halfDays, "backfill" + label, "half-days");
        }
        results.put("halfDays" + suffix, halfDays);
        results.put("database", "PostgreSQL " + serverVersion(backfillDb) + " (embedded server, separate process, fsync="
                + rows(backfillDb, "SHOW fsync").get(0) + ", synchronous_commit=" + rows(backfillDb, "SHOW synchronous_commit").get(0) + ")");
        System.out.printf("backfill%s: %d half-days decided in %.0f s, %d delivered in %.0f s = %.0f/s, bridge heap peak %d MB (-Xmx%s)%n",
                label, halfDays, decidedSeconds, deliveredHalfDays, backfillSeconds, halfDays / backfillSeconds, heapPeak.get() / (1024 * 1024),
                BRIDGE_HEAP);

        // the branch's school year reconciled: both registers read day by day through their interfaces, compared with each
        // other and with the decisions (a dry run: differences reported, nothing written)
        if (STATEMENTS) {
            resetStatements(backfillDb);
        }
        CpuTime.Reading reconcileBefore = CpuTime.Reading.of(yearBridge.pid(), yearSims.pid(), postmaster);
        long reconcileStart = System.nanoTime();
        Http.Response reconciliation = api.postJson("/api/admin/reconciliations", Map.of("locationIdDiscimus", location,
                "from", SchoolYear.parse("2026-27").firstDay().toString(), "to", "2027-06-30", "repair", false), "Authorization", auth);
        assertThat(reconciliation.status()).as(reconciliation.text()).isEqualTo(202);
        long reconciliationId = reconciliation.json().path("id").asLong();
        await().atMost(Duration.ofMinutes(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                !rows(backfillDb, "SELECT state FROM reconciliation WHERE id = " + reconciliationId).get(0).equals("RUNNING"));
        double reconcileSeconds = (System.nanoTime() - reconcileStart) / 1e9;
        CpuTime.Reading reconcileCpu = CpuTime.Reading.of(yearBridge.pid(), yearSims.pid(), postmaster).minus(reconcileBefore);
        List<String> reconciled = rows(backfillDb, "SELECT state, half_days_checked, counts::text FROM reconciliation WHERE id = " + reconciliationId);
        assertThat(reconciled.get(0)).as("the reconciliation").startsWith("DONE");
        results.put("reconciliationSeconds" + suffix, round(reconcileSeconds));
        results.put("reconciliationHalfDaysChecked" + suffix, Long.parseLong(reconciled.get(0).split(" \\| ")[1]));
        results.put("reconciliationDatabaseCpuSeconds" + suffix, round(reconcileCpu.database() / 1000));
        System.out.printf("reconciliation%s of the branch's school year: %s in %.0f s (CPU: bridge %.0f s, database %.0f s, simulators %.0f s)%n",
                label, reconciled.get(0), reconcileSeconds, reconcileCpu.bridge() / 1000, reconcileCpu.database() / 1000,
                reconcileCpu.simulators() / 1000);
        if (STATEMENTS) {
            printStatements(backfillDb, Long.parseLong(reconciled.get(0).split(" \\| ")[1]), "reconciliation" + label, "half-days checked");
        }
        yearBridge.close();
        yearSims.close();

    }

    /**
     * The bridge's database pool from its own metrics (HikariCP through Micrometer, the management port's Prometheus
     * scrape, one login): connections acquired so far, seconds waited for them in all, the longest recent wait in
     * seconds, and the pool's size.
     */
    private static double[] dbPoolAcquires(ProductProcess bridge) {
        String auth = ProductProcess.ADMIN_AUTH;
        String scrape = new Http("http://127.0.0.1:" + bridge.managementPort).get("/actuator/prometheus", "Authorization", auth).text();
        double[] out = new double[4];
        String[] names = {"hikaricp_connections_acquire_seconds_count", "hikaricp_connections_acquire_seconds_sum",
                "hikaricp_connections_acquire_seconds_max", "hikaricp_connections_max"};
        for (String line : scrape.split("\n")) {
            for (int i = 0; i < names.length; i++) {
                if (line.startsWith(names[i] + "{")) {
                    out[i] = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return out;
    }

    /**
     * Pushes on, as the partner contract has them (what people register); with {@code -Dbench.echo=true} the link's own
     * writes are pushed back too, as by the partner model before issue 17 (to compare with the runs before it).
     */
    private static void vendorsPush(Http sims) {
        Map<String, Object> push = ECHO ? Map.of("echo", true) : Map.of();
        sims.postJson("/sim/smartschool/admin/faults", push);
        sims.postJson("/sim/informat/admin/faults", push);
    }

    /** PostgreSQL's statement statistics from now on (-Dbench.statements=true loads the extension). */
    private static void resetStatements(String db) throws Exception {
        try (Connection c = DriverManager.getConnection(db, "postgres", "postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        }
        rows(db, "SELECT pg_stat_statements_reset()");
    }

    /** The statements that took the database's time (pg_stat_statements), per unit of work, the largest first. */
    private static void printStatements(String db, long units, String phase, String unit) throws Exception {
        System.out.printf("%s statements (pg_stat_statements): ms per 1,000 %s, calls per 1,000 %s, rows per call%n", phase, unit, unit);
        for (String row : rows(db, "SELECT round((total_exec_time * 1000 / " + units + ")::numeric, 2) || ' ms | ' || round((calls * 1000.0 / "
                + units + ")::numeric, 1) || ' calls | ' || round((rows::numeric / greatest(calls, 1)), 1) || ' rows | ' "
                + "|| left(regexp_replace(query, '\\s+', ' ', 'g'), 160) FROM pg_stat_statements "
                + "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT 20")) {
            System.out.println("  " + row);
        }
    }

    /** JVM options for the benchmark's bridges ({@code -Dbench.bridgeJvm="-XX:TieredStopAtLevel=1"}), to compare one. */
    private static ProductProcess bridgeJvm(ProductProcess bridge) {
        String extra = System.getProperty("bench.bridgeJvm", "").trim();
        if (!extra.isEmpty()) {
            for (String option : extra.split("\\s+")) {
                bridge.jvmOption(option);
            }
        }
        return bridge;
    }

    /** The bridge's arguments and those of {@code -Dbench.bridgeArgs} (space-separated), to compare a setting. */
    private static String[] bridgeArgs(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        String extra = System.getProperty("bench.bridgeArgs", "").trim();
        if (!extra.isEmpty()) {
            all.addAll(List.of(extra.split("\\s+")));
        }
        return all.toArray(String[]::new);
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static void reseed(Http sims) {
        sims.postJson("/sim/smartschool/admin/seed", Map.of("institutions", 2, "branchesPerInstitution", 2,
                "pupilsPerBranch", 500, "schoolYear", "2026-27", "seed", 42));
    }

    /** What the pass-through has done with the registrations pushed to it: forwarded or failed. */
    private static long carried(Http passThrough) {
        JsonNode s = passThrough.get("/api/inbound/stats").json();
        return s.path("forwarded").asLong() + s.path("failed").asLong();
    }

    /** The PostgreSQL server's main process: the parent of a backend. */
    private static long postmaster(String db) throws Exception {
        try (Connection c = DriverManager.getConnection(db, "postgres", "postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            // read while the backend lives (it ends with its connection)
            return CpuTime.parent(rs.getLong(1));
        }
    }

    /**
     * Transactions committed and rows written (inserted, updated, deleted) in the database so far, all sessions, as
     * PostgreSQL's cumulative statistics count them.
     */
    private static long[] writes(String db) throws Exception {
        String[] f = rows(db, "SELECT xact_commit, tup_inserted + tup_updated + tup_deleted FROM pg_stat_database "
                + "WHERE datname = current_database()").get(0).split(" \\| ");
        return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static String serverVersion(String db) throws Exception {
        return rows(db, "SHOW server_version").get(0);
    }

    private static boolean drained(String db) throws Exception {
        return count(db, "SELECT count(*) FROM inbox WHERE processed_at IS NULL") == 0
                && count(db, "SELECT count(*) FROM outbox WHERE state = 'PENDING'") == 0;
    }

    /** {@link #WRITERS} people registering as fast as the simulators answer, on random pupils and days; the count. */
    private static long closedLoop(ProductProcess sims, List<Registers.Pupil> pupils, List<LocalDate> days, Duration run)
            throws InterruptedException {
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + run.toNanos();
        for (int w = 0; w < WRITERS; w++) {
            writers.submit(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                while (System.nanoTime() < end) {
                    Registers.Pupil p = pupils.get(r.nextInt(pupils.size()));
                    if (register(sims, p, days.get(r.nextInt(days.size())), r.nextBoolean())) {
                        done.incrementAndGet();
                    }
                }
            });
        }
        writers.shutdown();
        writers.awaitTermination(run.toSeconds() + 60, TimeUnit.SECONDS);
        return done.get();
    }

    /** One registration of an absence for the morning, in Smartschool or in Informat; true when accepted. */
    private static boolean register(ProductProcess sims, Registers.Pupil p, LocalDate date, boolean smartschool) {
        return register(sims, p, date, smartschool, true);
    }

    /** One registration of an absence for the morning ({@code am}) or the afternoon, in Smartschool or in Informat. */
    private static boolean register(ProductProcess sims, Registers.Pupil p, LocalDate date, boolean smartschool, boolean am) {
        String body;
        String path;
        if (smartschool) {
            path = "/sim/smartschool/admin/register";
            body = "{\"internalNumber\":\"" + p.internalNumber() + "\",\"date\":\"" + date + "\",\"part\":\"" + (am ? "am" : "pm")
                    + "\",\"code\":\"Z\"}";
        } else {
            path = "/sim/informat/admin/register";
            body = "{\"personId\":\"" + p.personId() + "\",\"date\":\"" + date + "\",\"partOfDay\":\"" + (am ? "VM" : "NM")
                    + "\",\"absenceCode\":\"R\"}";
        }
        try {
            HttpResponse<Void> r = CLIENT.send(HttpRequest.newBuilder(URI.create(sims.url() + path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
