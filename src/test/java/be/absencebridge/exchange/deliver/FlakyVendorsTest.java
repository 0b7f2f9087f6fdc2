package be.absencebridge.exchange.deliver;

import be.absencebridge.support.BridgeTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delivery while both vendors are only flaky (issue 16): 30% of their calls fail (500/503) and 10% are throttled (429
 * with {@code Retry-After: 1}) while 300 registrations flow, 150 each way. Every one arrives, none is dead-lettered, and
 * the time from registration to delivery is printed (p50, p99, max: a figure, not an assertion). The attempts a record
 * used are printed too: a call the breaker did not let through or a throttle does not count as one.
 */
@org.springframework.test.context.TestPropertySource(properties = {
        // production's retry timing (the other tests shorten it), so that the figure is the one a school board gets
        "bridge.delivery.retry-base-delay-ms=500", "bridge.delivery.retry-max-delay-seconds=300",
        "bridge.delivery.poll-interval-ms=1000", "bridge.delivery.handoff-grace-seconds=5", "bridge.processing.recovery-age-seconds=10",
        "bridge.processing.recovery-interval-ms=5000",
        // and production's directory refresh (the other tests read the directories anew for every record)
        "bridge.directory-refresh=10m",
        // a context of its own: its Camel servlet needs a name of its own
        "camel.servlet.mapping.servlet-name=CamelServletFlaky", "camel.component.servlet.servlet-name=CamelServletFlaky"})
// a context of its own, closed after the class: its pollers and timers do not run on beside the later tests
@org.springframework.test.annotation.DirtiesContext
class FlakyVendorsTest extends BridgeTest {

    @org.springframework.beans.factory.annotation.Value("${bridge.delivery.retry-max-delay-seconds}")
    private int retryMaxDelaySeconds;

    private static final String[][] HALF_DAYS = {{"2026-09-16", "am"}, {"2026-09-17", "am"}, {"2026-09-17", "pm"},
            {"2026-09-18", "am"}, {"2026-09-18", "pm"}, {"2026-09-21", "am"}, {"2026-09-21", "pm"}, {"2026-09-22", "am"},
            {"2026-09-22", "pm"}, {"2026-09-24", "am"}, {"2026-09-24", "pm"}, {"2026-09-25", "am"}, {"2026-09-25", "pm"},
            {"2026-09-28", "am"}, {"2026-09-28", "pm"}};

    /**
     * Twenty compulsory pupils enrolled all year in the first branch, from the end of the list: the other tests take
     * theirs from the start, and this test's September half-days are nobody else's.
     */
    private List<JsonNode> pupils() {
        int branch = http.get("/sim/informat/admin/locations").json().get(0).path("locationIdDiscimus").asInt();
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode s : students()) {
            boolean compulsory = Integer.parseInt(s.path("dateOfBirth").asText().substring(0, 4)) + 5 <= 2026;
            if (s.path("locationIdDiscimus").asInt() == branch && compulsory && !s.path("level").asText().equals("kleuter")
                    && s.path("startDate").asText().equals("2026-09-01") && s.path("endDate").isNull()) {
                out.add(0, s);
            }
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(20);
        return out.subList(0, 20);
    }

    @Test
    void thirtyPercentErrorsAndTenPercentThrottlingDeliverEverything() {
        assertThat(retryMaxDelaySeconds).as("production's retry timing").isEqualTo(300);
        List<JsonNode> pupils = pupils();
        Map<JsonNode, String> internal = new HashMap<>();
        pupils.forEach(p -> internal.put(p, internalNumberOf(p)));
        int deadBefore = deadLetters().size();
        Map<String, Object> faults = Map.of("errorRate", 0.3, "throttleRate", 0.1, "retryAfterSeconds", 1);
        http.postJson("/sim/informat/admin/faults", faults);
        http.postJson("/sim/smartschool/admin/faults", faults);
        // registered one after the other, both ways: the moment each call returned is its registration's moment
        Map<String, Long> registered = new HashMap<>();
        Set<String> toInformatKeys = new HashSet<>();
        Set<String> toSmartschoolKeys = new HashSet<>();
        for (String[] h : HALF_DAYS) {
            for (int i = 0; i < 10; i++) {
                JsonNode toInformat = pupils.get(i);
                assertThat(smartschoolRegister(internal.get(toInformat), h[0], h[1], "Z", null, null).status()).isEqualTo(200);
                registered.put(key(toInformat, h[0], h[1]), System.currentTimeMillis());
                toInformatKeys.add(key(toInformat, h[0], h[1]));
                JsonNode toSmartschool = pupils.get(10 + i);
                assertThat(informatRegister(toSmartschool.path("personId").asText(), h[0], h[1].equals("am") ? "VM" : "NM", "P", null)
                        .status()).isEqualTo(200);
                registered.put(key(toSmartschool, h[0], h[1]), System.currentTimeMillis());
                toSmartschoolKeys.add(key(toSmartschool, h[0], h[1]));
            }
        }
        // delivered: the first audit record of a delivery to the other package (the database's clock, same machine)
        Map<String, Long> delivered = new HashMap<>();
        long[] lastPoll = {System.nanoTime()};
        try {
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                // the pollers on about production's schedule: the safety net for a push that did not arrive (a push the
                // bridge could not take is not sent again)
                if (System.nanoTime() - lastPoll[0] > 10_000_000_000L) {
                    lastPoll[0] = System.nanoTime();
                    poll("informat");
                    poll("smartschool");
                }
                delivered.clear();
                jdbc.query("""
                        SELECT institution_number, registration_number, date, lower(part), min(extract(epoch FROM at) * 1000)
                        FROM audit WHERE decision = 'DELIVERED' AND date BETWEEN '2026-09-16' AND '2026-09-28'
                        GROUP BY 1, 2, 3, 4""", rs -> {
                    String k = rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4);
                    if (registered.containsKey(k)) {
                        delivered.put(k, (long) rs.getDouble(5));
                    }
                });
                assertThat(delivered.size()).as("delivered").isEqualTo(registered.size());
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // what became of the records that did not arrive: their audit and outbox rows, and the events not processed
            System.out.println("unprocessed inbox rows: " + jdbc.queryForList("SELECT id, source, received_via, received_at, retry_at FROM inbox WHERE processed_at IS NULL"));
            for (String k : registered.keySet()) {
                if (!delivered.containsKey(k)) {
                    String[] p = k.split("\\|");
                    System.out.println("not delivered " + k + ": audit " + decisions(p[1], p[2], p[3]) + ", outbox " + jdbc.queryForList("""
                            SELECT id, state, attempts, outcome, next_attempt_at, locked_until FROM outbox
                            WHERE registration_number = ? AND date = CAST(? AS date) AND part = upper(?)""", p[1], p[2], p[3]));
                }
            }
            throw e;
        }
        http.postJson("/sim/informat/admin/faults", Map.of());
        http.postJson("/sim/smartschool/admin/faults", Map.of());
        // the packages hold them: counted in their registers
        List<String> toSmartschool = pupils.subList(10, 20).stream().map(internal::get).toList();
        int inInformat = 0;
        int inSmartschool = 0;
        for (String date : dates()) {
            for (JsonNode c : http.get("/sim/informat/admin/register?date=" + date).json()) {
                inInformat += c.path("absenceCode").asText().equals("Z") ? 1 : 0;
            }
            for (JsonNode c : http.get("/sim/smartschool/admin/register?date=" + date).json()) {
                inSmartschool += toSmartschool.contains(c.path("internalNumber").asText()) ? 1 : 0;
            }
        }
        assertThat(inInformat).as("Z in Informat").isEqualTo(150);
        assertThat(inSmartschool).as("P in Smartschool").isEqualTo(150);
        assertThat(deadLetters().size()).as("nothing a retry could fix is dead-lettered").isEqualTo(deadBefore);

        Map<String, Object> attempts = jdbc.queryForMap("""
                SELECT max(attempts) AS max, avg(attempts) AS avg FROM outbox
                WHERE date BETWEEN '2026-09-16' AND '2026-09-28' AND state = 'DONE'""");
        System.out.printf("flaky vendors (30%% errors, 10%% throttled, Retry-After 1 s), registration to delivery: %s; to Informat %s; "
                        + "to Smartschool %s; attempts per delivered row avg %.2f, max %s%n", spread(registered, delivered, null),
                spread(registered, delivered, toInformatKeys), spread(registered, delivered, toSmartschoolKeys),
                ((Number) attempts.get("avg")).doubleValue(), attempts.get("max"));
    }

    /** p50, p99 and max of the delays of the records whose key is in {@code only} (null: all). */
    private static String spread(Map<String, Long> registered, Map<String, Long> delivered, Set<String> only) {
        List<Long> latencies = new ArrayList<>();
        registered.forEach((k, t0) -> {
            if (only == null || only.contains(k)) {
                latencies.add(delivered.get(k) - t0);
            }
        });
        latencies.sort(null);
        return String.format("%d records p50 %d ms, p99 %d ms, max %d ms", latencies.size(), latencies.get(latencies.size() / 2),
                latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1), latencies.get(latencies.size() - 1));
    }

    private static List<String> dates() {
        List<String> out = new ArrayList<>();
        for (String[] h : HALF_DAYS) {
            if (!out.contains(h[0])) {
                out.add(h[0]);
            }
        }
        return out;
    }

    private List<Map<String, Object>> decisions(String registration, String date, String part) {
        return jdbc.queryForList("""
                SELECT decision, detail, at FROM audit WHERE registration_number = ? AND date = CAST(? AS date) AND part = upper(?)
                ORDER BY id""", registration, date, part);
    }

    private static String key(JsonNode pupil, String date, String part) {
        return pupil.path("instituteNo").asText() + "|" + pupil.path("studentNo").asText() + "|" + date + "|" + part;
    }
}
