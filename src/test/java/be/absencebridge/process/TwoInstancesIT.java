package be.absencebridge.process;

import be.absencebridge.support.FreePort;
import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two bridge instances on one PostgreSQL database, the simulators pushing to both in turn (as behind a load
 * balancer): every registration is decided once and written to the other package once (the simulators count
 * the link's writes per pupil and half-day), the pollers run on one instance per schedule, and when that
 * instance is killed the other one goes on alone, pollers included.
 */
class TwoInstancesIT extends ProcessTest {

    @Test
    void twoInstancesDecideAndDeliverEachRegistrationOnceAndOneTakesOverWhenTheOtherDies() throws Exception {
        String db = newDatabase();
        int portA = FreePort.find();
        int portB = FreePort.find();
        ProductProcess sims = track(ProductProcess.simulators(FreePort.find(),
                "http://127.0.0.1:" + portA + ",http://127.0.0.1:" + portB)).start().awaitReady();
        Http simHttp = new Http(sims.url());
        seed(simHttp, 100);
        Registers registers = new Registers(simHttp);
        List<Registers.Pupil> among = registers.pupils.stream().filter(p -> !p.kindergarten()).toList();
        // each write counted exactly: a lease no loaded two-core machine outlasts (the killed instance's rows wait for it)
        ProductProcess a = track(ProductProcess.bridge("instance-a", portA, sims.port, db, ProcessTest.fastRecovery(20))).start();
        ProductProcess b = track(ProductProcess.bridge("instance-b", portB, sims.port, db, ProcessTest.fastRecovery(20))).start();
        a.awaitReady();
        b.awaitReady();

        long startedAt = System.nanoTime();
        // the polls counted from here: instance a's scheduler fired while instance b still started
        long pollsBefore = routeExchanges(a, "poll-informat") + routeExchanges(b, "poll-informat");
        Map<String, Long> platformPollsBefore = new HashMap<>();
        for (String platform : List.of("school1", "school2")) {
            platformPollsBefore.put(platform, routeExchanges(a, "smartschool-poller-" + platform)
                    + routeExchanges(b, "smartschool-poller-" + platform));
        }
        // each half-day registered once, in one package: exactly one write into the other one is expected
        Set<String> keys = new HashSet<>();
        for (Object[] slot : registers.shuffledHalfDays(among).subList(0, 300)) {
            keys.add(registers.register((Registers.Pupil) slot[0], (java.time.LocalDate) slot[1],
                    (be.absencebridge.domain.HalfDay) slot[2], false));
        }
        CrashIT.awaitSettled(db, registers);
        assertThat(rows(db, "SELECT stage, reason FROM dead_letter")).isEmpty();
        long forwarded = count(db, "SELECT count(*) FROM audit WHERE decision = 'FORWARDED'");
        long delivered = count(db, "SELECT count(*) FROM outbox WHERE state = 'DONE'");
        JsonNode informat = registers.linkWrites("informat");
        JsonNode smartschool = registers.linkWrites("smartschool");
        System.out.printf("two instances: %d registrations, %d forwarded, %d delivered; writes seen: informat %s, smartschool %s%n",
                keys.size(), forwarded, delivered, informat, smartschool);
        // a half-day decided or delivered more than once, with its history, to read a failure by
        List<String> twice = rows(db, "SELECT institution_number || '/' || registration_number || ' ' || date || ' ' || part FROM audit "
                + "WHERE decision = 'FORWARDED' GROUP BY 1 HAVING count(*) > 1 LIMIT 3");
        String why = twice.isEmpty() ? "" : CrashIT.history(db, twice);
        assertThat(forwarded).as("every registration decided once" + why).isEqualTo(keys.size());
        assertThat(delivered).as("every decision delivered once" + why).isEqualTo(keys.size());
        assertThat(informat.path("repeatedKeyCount").asLong() + smartschool.path("repeatedKeyCount").asLong())
                .as("no half-day written twice").isZero();
        assertThat(informat.path("linkWrites").asLong() + smartschool.path("linkWrites").asLong()).isEqualTo(keys.size());
        // both instances took pushes and deliveries
        assertThat(routeExchanges(a, "smartschool-webhook") + routeExchanges(a, "informat-webhook")).isPositive();
        assertThat(routeExchanges(b, "smartschool-webhook") + routeExchanges(b, "informat-webhook")).isPositive();

        // the pollers: each schedule runs on one instance (Quartz's clustered job store), never on both
        long pollsA = routeExchanges(a, "poll-informat");
        long pollsB = routeExchanges(b, "poll-informat");
        // the schedule fires every 5 s: one run per firing in all, not one per instance
        long firings = (System.nanoTime() - startedAt) / 5_000_000_000L + 2;
        System.out.printf("informat polls in %d firings: instance a %d, instance b %d%n", firings, pollsA, pollsB);
        assertThat(pollsA + pollsB - pollsBefore).as("polls happened, one instance per firing").isPositive().isLessThanOrEqualTo(firings);
        // each Smartschool platform's poller (every 10 s) the same way: one instance per firing, per platform
        long platformFirings = (System.nanoTime() - startedAt) / 10_000_000_000L + 2;
        for (String platform : List.of("school1", "school2")) {
            long onA = routeExchanges(a, "smartschool-poller-" + platform);
            long onB = routeExchanges(b, "smartschool-poller-" + platform);
            System.out.printf("%s polls in %d firings: instance a %d, instance b %d%n", platform, platformFirings, onA, onB);
            assertThat(onA + onB - platformPollsBefore.get(platform)).as(platform + " polled, one instance per firing")
                    .isPositive().isLessThanOrEqualTo(platformFirings);
        }

        // failover: the instance that polled last dies; the other one polls alone from then on, and what is
        // registered now (pushes to the dead address are lost) arrives through the survivor
        ProductProcess dead = pollsA >= pollsB ? a : b;
        ProductProcess survivor = dead == a ? b : a;
        long survivorPollsBefore = routeExchanges(survivor, "poll-informat");
        dead.kill9();
        for (int i = 0; i < 100; i++) {
            registers.registerRandom(among);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> routeExchanges(survivor, "poll-informat") >= survivorPollsBefore + 2);
        CrashIT.awaitSettled(db, registers);
        assertThat(rows(db, "SELECT stage, reason FROM dead_letter")).isEmpty();
    }

    /** Exchanges completed by a route on one instance, from its Prometheus endpoint. */
    private static long routeExchanges(ProductProcess instance, String routeId) {
        String auth = ProductProcess.ADMIN_AUTH;
        String metrics = new Http(instance.managementUrl()).get("/actuator/prometheus", "Authorization", auth).text();
        long total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("camel_exchanges_total{") && line.contains("routeId=\"" + routeId + "\"")) {
                total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}
