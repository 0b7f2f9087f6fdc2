package be.absencebridge.process;

import be.absencebridge.domain.FlemishSchoolCalendar;
import be.absencebridge.domain.SchoolYear;
import be.absencebridge.support.FreePort;
import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of the bridge (a process of its own, on PostgreSQL, the simulators in another process) at moments
 * chosen at random by its progress, during steady traffic and during a backfill; after each kill it starts
 * again on the same database. Then both registers hold the same official codes, nothing is dead-lettered,
 * and no decided registration was delivered twice.
 */
class CrashIT extends ProcessTest {

    private static final int KILLS = 4;

    @Test
    void killedDuringSteadyTrafficAndRestartedTheRegistersConvergeWithNothingLostOrDoubled() throws Exception {
        String db = newDatabase();
        int bridgePort = FreePort.find();
        ProductProcess sims = track(ProductProcess.simulators(FreePort.find(), "http://127.0.0.1:" + bridgePort)).start().awaitReady();
        Http simHttp = new Http(sims.url());
        seed(simHttp, 60);
        Registers registers = new Registers(simHttp);
        List<Registers.Pupil> among = registers.pupils.stream().filter(p -> !p.kindergarten()).toList();
        ProductProcess bridge = track(ProductProcess.bridge("crash-bridge", bridgePort, sims.port, db, fastRecovery())).start().awaitReady();

        // teachers and the administration register about 40 codes a second for the whole test, bridge up or down
        ScheduledExecutorService traffic = Executors.newScheduledThreadPool(2);
        AtomicLong registered = new AtomicLong();
        AtomicReference<Throwable> trafficError = new AtomicReference<>();
        traffic.scheduleAtFixedRate(() -> {
            try {
                registers.registerRandom(among);
                registered.incrementAndGet();
            } catch (Throwable t) {
                trafficError.compareAndSet(null, t);
            }
        }, 0, 25, TimeUnit.MILLISECONDS);
        try {
            for (int kill = 1; kill <= KILLS; kill++) {
                // a random kill point: after some more deliveries, wherever the bridge is then
                long target = count(db, "SELECT count(*) FROM outbox WHERE state = 'DONE'") + ThreadLocalRandom.current().nextInt(20, 150);
                await().atMost(Duration.ofSeconds(120)).until(() -> count(db, "SELECT count(*) FROM outbox WHERE state = 'DONE'") >= target);
                bridge.kill9();
                System.out.printf("kill %d: bridge killed after %d deliveries, %d registrations so far%n", kill, target, registered.get());
                bridge.start().awaitReady();
            }
            long before = registered.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> registered.get() > before + 100);
        } finally {
            // no interrupt: a registration in flight finishes (an interrupted one was reported as a traffic error)
            traffic.shutdown();
            traffic.awaitTermination(30, TimeUnit.SECONDS);
        }
        assertThat(trafficError.get()).as("the simulated people could register throughout").isNull();

        awaitSettled(db, registers);
        assertThat(rows(db, "SELECT stage, reason FROM dead_letter")).as("dead letters").isEmpty();
        assertNothingDeliveredTwice(db, registers, "informat", "INFORMAT");
        assertNothingDeliveredTwice(db, registers, "smartschool", "SMARTSCHOOL");
        System.out.printf("steady traffic: %d registrations, %d kills, %d deliveries, registers equal%n", registered.get(), KILLS,
                count(db, "SELECT count(*) FROM outbox WHERE state = 'DONE'"));
    }

    @Test
    void killedDuringABackfillAndRestartedTheBackfillCompletesWithEveryHalfDayOnce() throws Exception {
        String db = newDatabase();
        int bridgePort = FreePort.find();
        ProductProcess sims = track(ProductProcess.simulators(FreePort.find(), "http://127.0.0.1:" + bridgePort)).start().awaitReady();
        Http simHttp = new Http(sims.url());
        seed(simHttp, 40);
        Registers registers = new Registers(simHttp);
        // the codes Informat held before the link: the bridge is not running yet
        List<Registers.Pupil> among = registers.pupils.stream().filter(p -> !p.kindergarten()).toList();
        for (int i = 0; i < 200; i++) {
            registers.registerRandom(among);
        }
        String[] args = concat(fastRecovery(), "--bridge.backfill.lease-seconds=5", "--bridge.backfill.resume-interval-ms=1000");
        ProductProcess bridge = track(ProductProcess.bridge("backfill-bridge", bridgePort, sims.port, db, args)).start().awaitReady();
        Http api = new Http(bridge.managementUrl());
        String auth = ProductProcess.ADMIN_AUTH;
        JsonNode branch = simHttp.get("/sim/informat/admin/locations").json().get(0);
        int location = branch.path("locationIdDiscimus").asInt();
        Http.Response started = api.postJson("/api/admin/backfills", Map.of("direction", "INFORMAT_TO_SMARTSCHOOL",
                "locationIdDiscimus", location, "dryRun", false), "Authorization", auth);
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        long id = started.json().path("id").asLong();
        long total = -1;
        for (int kill = 1; kill <= 2; kill++) {
            long target = count(db, "SELECT done FROM backfill WHERE id = " + id) + ThreadLocalRandom.current().nextInt(3, 12);
            await().atMost(Duration.ofSeconds(180)).until(() -> count(db, "SELECT done FROM backfill WHERE id = " + id) >= target);
            total = count(db, "SELECT total FROM backfill WHERE id = " + id);
            bridge.kill9();
            System.out.printf("backfill kill %d: after %d of %d days%n", kill, target, total);
            bridge.start().awaitReady();
        }
        await().atMost(Duration.ofSeconds(300)).until(() -> rows(db, "SELECT state FROM backfill WHERE id = " + id).get(0).equals("DONE"));
        await().atMost(Duration.ofSeconds(120)).until(() -> count(db, "SELECT count(*) FROM outbox WHERE state = 'PENDING'") == 0);
        assertThat(count(db, "SELECT done FROM backfill WHERE id = " + id)).isEqualTo(total);
        assertThat(rows(db, "SELECT stage, reason FROM dead_letter")).as("dead letters").isEmpty();

        // every instruction half-day of every pupil of the branch is in Smartschool once: a code or a presence
        long expected = enrolledHalfDays(simHttp, location);
        long cells = 0;
        for (FlemishSchoolCalendar.HalfDaySlot slot : slots()) {
            if (slot.part() == be.absencebridge.domain.HalfDay.AM) {
                for (JsonNode c : simHttp.get("/sim/smartschool/admin/register?date=" + slot.date()).json()) {
                    if (String.valueOf(location).equals(BRANCH.get(c.path("internalNumber").asText()))) {
                        cells++;
                    }
                }
            }
        }
        assertThat(cells).as("Smartschool cells of the branch after the backfill").isEqualTo(expected);
        assertNothingDeliveredTwice(db, registers, "smartschool", "SMARTSCHOOL");
        System.out.printf("backfill: %d days, %d half-days in Smartschool, 2 kills%n", total, cells);
    }

    private static final Map<String, String> BRANCH = new java.util.concurrent.ConcurrentHashMap<>();

    private static List<FlemishSchoolCalendar.HalfDaySlot> slots() {
        return new FlemishSchoolCalendar(SchoolYear.parse("2026-27")).instructionHalfDays().stream()
                .filter(x -> !x.date().isAfter(LocalDate.now())).toList();
    }

    /** Instruction half-days up to today on which a pupil of the branch was enrolled, counted independently. */
    private static long enrolledHalfDays(Http sims, int location) {
        Map<String, String> internal = new java.util.HashMap<>();
        for (JsonNode p : sims.get("/sim/smartschool/admin/pupils").json()) {
            internal.put(p.path("institutionNumber").asText() + "/" + p.path("registrationNumber").asText(), p.path("internalNumber").asText());
        }
        long n = 0;
        for (JsonNode s : sims.get("/sim/informat/admin/students").json()) {
            if (s.path("locationIdDiscimus").asInt() != location) {
                continue;
            }
            BRANCH.put(internal.get(s.path("instituteNo").asText() + "/" + s.path("studentNo").asText()), String.valueOf(location));
            LocalDate start = LocalDate.parse(s.path("startDate").asText());
            LocalDate end = s.path("endDate").isNull() ? null : LocalDate.parse(s.path("endDate").asText());
            n += slots().stream().filter(x -> !x.date().isBefore(start) && (end == null || !x.date().isAfter(end))).count();
        }
        return n;
    }

    static void awaitSettled(String db, Registers registers) {
        AtomicReference<Map<String, String>> last = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                last.set(registers.differences());
                return last.get().isEmpty()
                        && count(db, "SELECT count(*) FROM inbox WHERE processed_at IS NULL") == 0
                        && count(db, "SELECT count(*) FROM outbox WHERE state = 'PENDING'") == 0;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the registers did not converge; differences: " + last.get()
                    + history(db, last.get() == null ? List.of() : last.get().keySet().stream().limit(3).toList()), e);
        }
    }

    /** What the bridge received, decided and delivered for each key ("inst/reg date part"): to read a failure by. */
    static String history(String db, List<String> keys) {
        StringBuilder out = new StringBuilder();
        for (String key : keys) {
            String[] k = key.split("[/ ]");
            String where = "institution_number = '" + k[0] + "' AND registration_number = '" + k[1] + "' AND date = '" + k[2]
                    + "' AND part = '" + k[3] + "'";
            try {
                out.append("\n--- ").append(key).append("\nSmartschool inbox, both parts (id, via, received, processed, part, code, registeredAt):");
                for (String r : rows(db, "SELECT id, received_via, received_at, processed_at, payload->>'part', "
                        + "payload->>'code', payload->>'registeredAt' FROM inbox "
                        + "WHERE payload->>'institutionNumber' = '" + k[0] + "' AND payload->>'registrationNumber' = '" + k[1] + "' "
                        + "AND payload->>'date' LIKE '" + k[2] + "%' ORDER BY id")) {
                    out.append("\n  ").append(r);
                }
                out.append("\naudit (at, direction, decision, code, registeredAt, detail):");
                for (String r : rows(db, "SELECT at, direction, decision, code, registered_at, detail FROM audit WHERE " + where + " ORDER BY id")) {
                    out.append("\n  ").append(r);
                }
                out.append("\noutbox (id, target, state, code, registeredAt, created, done, result, outcome):");
                for (String r : rows(db, "SELECT id, target, state, record->>'officialCode', record->>'registeredAt', created_at, done_at, result, outcome "
                        + "FROM outbox WHERE " + where + " ORDER BY id")) {
                    out.append("\n  ").append(r);
                }
                out.append("\ndecision: ").append(rows(db, "SELECT official_code, registered_at, source, decided_at FROM decision WHERE " + where));
            } catch (Exception e) {
                out.append("\n  (history unreadable: ").append(e.getMessage()).append(')');
            }
        }
        return out.toString();
    }

    /**
     * No decided registration was delivered twice (outbox rows DONE per key and registration time), and the
     * vendor saw at most a handful of repeated writes: a write cut by a kill after the vendor stored it and
     * before the bridge recorded it is made again (the vendor answers "unchanged"), at most once per delivery
     * in flight at each kill (a batch cut by the kill is claimed again after its lease and sent whole).
     */
    static void assertNothingDeliveredTwice(String db, Registers registers, String system, String target) throws Exception {
        List<String> twice = rows(db, "SELECT institution_number, registration_number, date, part, record->>'registeredAt' FROM outbox "
                + "WHERE state = 'DONE' AND target = '" + target + "' GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1");
        assertThat(twice).as(() -> "registrations delivered twice to " + system + history(db, twice.stream().limit(3)
                .map(r -> r.split(" \\| ")).map(k -> k[0] + "/" + k[1] + " " + k[2] + " " + k[3]).toList())).isEmpty();
        JsonNode writes = registers.linkWrites(system);
        long done = count(db, "SELECT count(*) FROM outbox WHERE state = 'DONE' AND target = '" + target + "'");
        System.out.printf("%s: %d deliveries recorded, %d writes seen by the vendor on %d keys, %d keys written more than once, "
                + "%d writes older than a write before them%n", system, done, writes.path("linkWrites").asLong(),
                writes.path("distinctKeys").asLong(), writes.path("repeatedKeyCount").asLong(), writes.path("olderAfterNewer").asLong());
        if (target.equals("INFORMAT")) {
            // Informat's public write does not refuse older data: an older write after a newer one would stand. Smartschool
            // refuses it ("stale"), so there one is only printed: a batch that outlives its 5 s lease on a loaded machine
            // (the bridge warns) can be claimed again beside a newer row (seen once in CI)
            assertThat(writes.path("olderAfterNewer").asLong()).as("writes to " + system + " of a registration older than one written before")
                    .isZero();
        }
        assertThat(writes.path("linkWrites").asLong()).as("writes the vendor saw").isGreaterThanOrEqualTo(done)
                .isLessThanOrEqualTo(done + (long) IN_FLIGHT_AT_A_KILL * KILLS);
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
