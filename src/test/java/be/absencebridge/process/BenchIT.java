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
 *   <li>{@code directWriteEventsPerSecond}: registrations the simulators accept when written to directly (pushes off),
 *       the reference;</li>
 *   <li>{@code steadyEventsPerSecond}: registrations carried end to end (pushed, stored, decided, delivered to the
 *       other package) per second, from the first registration until the last delivery, with the same writers;</li>
 *   <li>{@code p50LatencyMs}/{@code p99LatencyMs}: from a registration's moment to its delivery, at 200 a second;</li>
 *   <li>{@code backfillHalfDaysPerSecond}, {@code halfDays}, {@code backfillHeapPeakMb}: a backfill of one branch of
 *       2,000 pupils over the full school year 2026-27 (clocks started at its last day), with the bridge's
 *       largest heap use sampled every second.</li>
 * </ol>
 * and writes them to {@code target/bench/results.json}. Printed figures only: nothing here asserts a time.
 */
class BenchIT extends ProcessTest {

    private static final int WRITERS = Integer.getInteger("bench.writers", 16);
    private static final int STEADY_SECONDS = Integer.getInteger("bench.steadySeconds", 30);
    // a fresh JVM on two shared cores still compiles after half a minute (measured: the JIT took 40% of the pass-through's CPU
    // after 60 s of load)
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmupSeconds", 60);
    private static final int LATENCY_RATE = Integer.getInteger("bench.latencyRate", 200);
    private static final int LATENCY_SECONDS = Integer.getInteger("bench.latencySeconds", 30);
    private static final int BACKFILL_PUPILS = Integer.getInteger("bench.backfillPupils", 2000);
    private static final String BRIDGE_HEAP = System.getProperty("bench.bridgeHeap", "512m");
    /** Which phases run: {@code steady} (direct writes, pass-through, steady, latency) and {@code backfill}, comma-separated. */
    /** PostgreSQL's statement statistics printed after the backfill ({@code -Dbench.statements=true}). */
    private static final boolean STATEMENTS = Boolean.getBoolean("bench.statements");
    /** The simulators push the link's own writes back too ({@code -Dbench.echo=true}): the partner model before issue 17. */
    private static final boolean ECHO = Boolean.getBoolean("bench.echo");
    private static final List<String> PHASES = List.of(System.getProperty("bench.phases", "steady,backfill").split(","));
    /** A folder for flight recordings of the bridge in the steady and latency phases ({@code -Dbench.jfr=target/jfr}). */
    private static final String JFR = System.getProperty("bench.jfr");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void benchmark() throws Exception {
        Map<String, Object> results = new LinkedHashMap<>();
        // whether the vendors pushed the link's own writes back (the partner model before issue 17)
        results.put("vendorsEchoLinkWrites", ECHO);
        if (PHASES.contains("steady")) {
            steady(results);
        }
        // 4. the backfill (-Dbench.backfillPupils=0 leaves it out, for a quick look at the steady flow)
        if (BACKFILL_PUPILS > 0 && PHASES.contains("backfill")) {
            backfill(results);
        }
        results.put("cores", Runtime.getRuntime().availableProcessors());

        Path out = Path.of("target", "bench", "results.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        System.out.println("results: " + JSON.writeValueAsString(results));
    }


    /** Direct writes, the pass-through, the bridge's steady flow and its latency at a fixed rate. */
    private void steady(Map<String, Object> results) throws Exception {
        String db = newDatabase();
        int bridgePort = FreePort.find();
        ProductProcess sims = track(ProductProcess.simulators(FreePort.find(), "http://127.0.0.1:" + bridgePort)).start().awaitReady();
        Http simHttp = new Http(sims.url());
        simHttp.postJson("/sim/smartschool/admin/seed", Map.of("institutions", 2, "branchesPerInstitution", 2,
                "pupilsPerBranch", 500, "schoolYear", "2026-27", "seed", 42));
        Registers registers = new Registers(simHttp);
        List<Registers.Pupil> pupils = registers.pupils.stream().filter(p -> !p.kindergarten()).toList();
        List<LocalDate> days = new FlemishSchoolCalendar(SchoolYear.parse("2026-27")).instructionDaysUpTo(LocalDate.now(), 40);

        // 1. the reference: the simulators alone, written to directly (no bridge yet, pushes off)
        simHttp.postJson("/sim/smartschool/admin/faults", Map.of("push", false));
        simHttp.postJson("/sim/informat/admin/faults", Map.of("push", false));
        long postmaster = postmaster(db);
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

        // 3. steady state, end to end, the same writers with pushes on (a fresh register: nothing stale)
        reseed(simHttp);
        // the bridge starts on the fresh registers: the earlier phases' registrations are gone with the new seed
        ProductProcess bridge = ProductProcess.bridge("bench-bridge", bridgePort, sims.port, db,
                bridgeArgs("--bridge.exchange.links-active-since=2026-09-01T00:00:00+02:00"));
        if (JFR != null) {
            Files.createDirectories(Path.of(JFR).toAbsolutePath());
            bridge.jvmOption("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + Path.of(JFR, "bench-bridge.jfr").toAbsolutePath());
        }
        track(bridge).start().awaitReady();
        // warm-up (not measured): a freshly started JVM compiles its hot paths during its first half minute
        closedLoop(sims, pupils, days, Duration.ofSeconds(WARMUP_SECONDS));
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
        long forwardedTarget = steady;
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
        results.put("steadyEventsPerSecond", round(steadyPerSecond));
        results.put("steadyToPassThrough", round3(steadyPerSecond / passPerSecond));
        results.put("bridgeCpuMsPerEvent", round3(steadyCpu.bridge() / steady));
        results.put("bridgeJitCpuMsPerEvent", round3(steadyCpu.bridgeJit() / steady));
        results.put("bridgeGcCpuMsPerEvent", round3(steadyCpu.bridgeGc() / steady));
        results.put("databaseCpuMsPerEvent", round3(steadyCpu.database() / steady));
        results.put("simulatorsCpuMsPerEvent", round3(steadyCpu.simulators() / steady));
        results.put("databaseTransactionsPerEvent", round3((double) transactions / steady));
        results.put("databaseRowsWrittenPerEvent", round3((double) rowsWritten / steady));
        // the pools: connections kept alive (connects per registration on the whole machine: the load generator's, the
        // simulators' pushes, the bridge's vendor calls), what the bridge holds open, and whether its threads wait for a
        // database connection
        double acquires = poolAfter[0] - poolBefore[0];
        results.put("tcpConnectsPerEvent", round3((double) connects / steady));
        results.put("bridgeConnectionsToSimulators", toSimulators);
        results.put("bridgeConnectionsToDatabase", toDatabase);
        results.put("dbPoolAcquireWaitMsAverage", round3(acquires == 0 ? 0 : (poolAfter[1] - poolBefore[1]) * 1000 / acquires));
        results.put("dbPoolAcquireWaitMsMax", round3(poolAfter[2] * 1000));
        results.put("dbPoolAcquiresPerEvent", round3(acquires / steady));
        System.out.printf("pools: %d TCP connects on the machine (%.3f per registration); the bridge holds %d connections to the "
                        + "simulators and %d to PostgreSQL (pool of %.0f); %.0f database connections acquired (%.2f per registration), "
                        + "waiting %.3f ms on average, %.1f ms at most%n", connects, (double) connects / steady, toSimulators, toDatabase,
                poolAfter[3], acquires, acquires / steady, acquires == 0 ? 0 : (poolAfter[1] - poolBefore[1]) * 1000 / acquires,
                poolAfter[2] * 1000);
        if (STATEMENTS) {
            printStatements(db, steady, "steady", "registrations");
        }
        System.out.printf("steady state: %d registrations carried end to end (%d deliveries) in %.1f s = %.0f/s (%.2f of direct, %.2f of "
                        + "the pass-through)%n", forwardedTarget, delivered, steadySeconds, steadyPerSecond, steadyPerSecond / directPerSecond,
                steadyPerSecond / passPerSecond);
        System.out.printf("steady CPU per registration: bridge %.3f ms (of which JIT %.3f, GC %.3f; pass-through %.3f), database %.3f ms, "
                        + "simulators %.3f ms, load generator %.3f ms; database transactions %.2f and rows written %.2f per registration%n",
                steadyCpu.bridge() / steady, steadyCpu.bridgeJit() / steady, steadyCpu.bridgeGc() / steady,
                passCpu.bridge() / passRegistered, steadyCpu.database() / steady,
                steadyCpu.simulators() / steady, steadyCpu.loadGenerator() / steady, (double) transactions / steady,
                (double) rowsWritten / steady);

        // 3. latency at a fixed rate: registration moment (client) to delivery (database clock, same machine)
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        long latencyStart = System.currentTimeMillis();
        ScheduledExecutorService pacer = Executors.newScheduledThreadPool(1);
        // the pacer only hands each registration to a sender: a slow answer does not slow the rate (a periodic task
        // never overlaps itself, so sending from it capped the rate at one answer at a time)
        java.util.concurrent.ExecutorService senders = Executors.newFixedThreadPool(32);
        AtomicLong sent = new AtomicLong();
        long periodMicros = 1_000_000L / LATENCY_RATE;
        List<Object[]> keys = new ArrayList<>();
        for (Registers.Pupil p : pupils) {
            for (LocalDate d : days) {
                keys.add(new Object[] {p, d});
            }
        }
        Collections.shuffle(keys);
        int total = LATENCY_RATE * LATENCY_SECONDS;
        pacer.scheduleAtFixedRate(() -> {
            long n = sent.getAndIncrement();
            if (n >= total) {
                return;
            }
            Object[] k = keys.get((int) (n % keys.size()));
            Registers.Pupil p = (Registers.Pupil) k[0];
            LocalDate d = (LocalDate) k[1];
            sentAt.put(p.institutionNumber() + "|" + p.registrationNumber() + "|" + d + "|AM", System.currentTimeMillis());
            senders.execute(() -> register(sims, p, d, n % 2 == 0));
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        await().atMost(Duration.ofSeconds(LATENCY_SECONDS + 60)).until(() -> sent.get() >= total);
        pacer.shutdown();
        pacer.awaitTermination(10, TimeUnit.SECONDS);
        senders.shutdown();
        senders.awaitTermination(60, TimeUnit.SECONDS);
        System.out.printf("latency phase: %d registrations handed out in %.1f s (%d planned at %d/s)%n", total,
                (System.currentTimeMillis() - latencyStart) / 1000.0, total, LATENCY_RATE);
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> drained(db));
        List<Long> latencies = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db, "postgres", "postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT institution_number, registration_number, date, extract(epoch FROM done_at) * 1000 "
                     + "FROM outbox WHERE state = 'DONE' AND part = 'AM' AND done_at > to_timestamp(" + latencyStart / 1000.0 + ")")) {
            while (rs.next()) {
                Long t0 = sentAt.get(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|AM");
                if (t0 != null) {
                    latencies.add((long) rs.getDouble(4) - t0);
                }
            }
        }
        Collections.sort(latencies);
        assertThat(latencies).as("deliveries matched to registrations").hasSizeGreaterThan(total / 2);
        results.put("p50LatencyMs", latencies.get(latencies.size() / 2));
        results.put("p99LatencyMs", latencies.get((int) Math.min(latencies.size() - 1, Math.ceil(latencies.size() * 0.99) - 1)));
        System.out.printf("latency at %d/s for %d s: %d deliveries, p50 %d ms, p99 %d ms, max %d ms%n", LATENCY_RATE, LATENCY_SECONDS,
                latencies.size(), results.get("p50LatencyMs"), results.get("p99LatencyMs"), latencies.get(latencies.size() - 1));
        bridge.close();
        sims.close();

    }

    /** One branch of {@link #BACKFILL_PUPILS} pupils backfilled over the whole school year, clocks at its last day. */
    private void backfill(Map<String, Object> results) throws Exception {
        // one branch of 2,000 pupils, the whole school year, clocks at its last day
        String backfillDb = newDatabase();
        int backfillPort = FreePort.find();
        String clock = "--bridge.sim.clock=2027-06-30T18:00:00+02:00";
        ProductProcess yearSims = track(ProductProcess.simulators(FreePort.find(), "http://127.0.0.1:" + backfillPort, clock)).start().awaitReady();
        Http yearHttp = new Http(yearSims.url());
        yearHttp.postJson("/sim/smartschool/admin/seed", Map.of("institutions", 1, "branchesPerInstitution", 1,
                "pupilsPerBranch", BACKFILL_PUPILS, "schoolYear", "2026-27", "seed", 42));
        ProductProcess yearBridge = ProductProcess.bridge("bench-backfill-bridge", backfillPort, yearSims.port, backfillDb,
                bridgeArgs(clock, "--bridge.exchange.links-active-since=2026-09-01T00:00:00+02:00")).heap(BRIDGE_HEAP);
        if (JFR != null) {
            Files.createDirectories(Path.of(JFR).toAbsolutePath());
            yearBridge.jvmOption("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + Path.of(JFR, "bench-backfill-bridge.jfr").toAbsolutePath());
        }
        track(yearBridge).start().awaitReady();
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
        long deliveredHalfDays = count(backfillDb, "SELECT count(*) FROM outbox WHERE state = 'DONE' AND target = 'SMARTSCHOOL'");
        results.put("backfillHalfDaysPerSecond", round(halfDays / backfillSeconds));
        results.put("backfillHeapPeakMb", heapPeak.get() / (1024 * 1024));
        // what a half-day backfilled costs each process: which one bounds the backfill
        results.put("backfillBridgeCpuMsPerHalfDay", round3(backfillCpu.bridge() / halfDays));
        results.put("backfillDatabaseCpuMsPerHalfDay", round3(backfillCpu.database() / halfDays));
        results.put("backfillSimulatorsCpuMsPerHalfDay", round3(backfillCpu.simulators() / halfDays));
        System.out.printf("backfill CPU: bridge %.0f s (%.0f%% of a core), database %.0f s (%.0f%%), simulators %.0f s (%.0f%%); per half-day "
                        + "%.3f / %.3f / %.3f ms%n", backfillCpu.bridge() / 1000, backfillCpu.bridge() / backfillSeconds / 10,
                backfillCpu.database() / 1000, backfillCpu.database() / backfillSeconds / 10, backfillCpu.simulators() / 1000,
                backfillCpu.simulators() / backfillSeconds / 10, backfillCpu.bridge() / halfDays, backfillCpu.database() / halfDays,
                backfillCpu.simulators() / halfDays);
        long[] writesAfter = writes(backfillDb);
        results.put("backfillDatabaseTransactionsPerHalfDay", round3((double) (writesAfter[0] - writesBefore[0]) / halfDays));
        results.put("backfillTcpConnects", backfillConnects);
        results.put("backfillDatabaseRowsWrittenPerHalfDay", round3((double) (writesAfter[1] - writesBefore[1]) / halfDays));
        System.out.printf("backfill: database transactions %.3f and rows written %.2f per half-day, %d TCP connects on the machine%n",
                (double) (writesAfter[0] - writesBefore[0]) / halfDays, (double) (writesAfter[1] - writesBefore[1]) / halfDays,
                backfillConnects);
        if (STATEMENTS) {
            printStatements(backfillDb, halfDays, "backfill", "half-days");
        }
        results.put("halfDays", halfDays);
        results.put("database", "PostgreSQL " + serverVersion(backfillDb) + " (embedded server, separate process, fsync="
                + rows(backfillDb, "SHOW fsync").get(0) + ", synchronous_commit=" + rows(backfillDb, "SHOW synchronous_commit").get(0) + ")");
        System.out.printf("backfill: %d half-days decided in %.0f s, %d delivered in %.0f s = %.0f/s, bridge heap peak %d MB (-Xmx%s)%n",
                halfDays, decidedSeconds, deliveredHalfDays, backfillSeconds, halfDays / backfillSeconds, heapPeak.get() / (1024 * 1024), BRIDGE_HEAP);

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
        String body;
        String path;
        if (smartschool) {
            path = "/sim/smartschool/admin/register";
            body = "{\"internalNumber\":\"" + p.internalNumber() + "\",\"date\":\"" + date + "\",\"part\":\"am\",\"code\":\"Z\"}";
        } else {
            path = "/sim/informat/admin/register";
            body = "{\"personId\":\"" + p.personId() + "\",\"date\":\"" + date + "\",\"partOfDay\":\"VM\",\"absenceCode\":\"R\"}";
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
