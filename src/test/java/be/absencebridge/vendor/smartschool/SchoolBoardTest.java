package be.absencebridge.vendor.smartschool;

import be.absencebridge.support.PushHeaders;
import be.absencebridge.support.BridgeTest;
import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A school board in one deployment (the sim profile's two platforms, school1 and school2, one institution each): codes
 * flow both ways on each platform, each platform's pushes are checked with its own secret, and one platform that fails
 * every call holds up only its own records.
 */
// the switches and directories are read as in production (the switches in the background every 2 s, the directories
// every 10 min), not again for every record as the other tests have them: the outage's cost to the other platform and
// the time a switch takes to stop the exchange are measured as they would be. A context of its own, so its Camel
// servlet needs a name of its own.
@org.springframework.test.context.TestPropertySource(properties = {"bridge.exchange.settings-refresh=2s",
        "bridge.directory-refresh=10m", "camel.servlet.mapping.servlet-name=CamelServletBoard",
        "camel.component.servlet.servlet-name=CamelServletBoard"})
// a context of its own, closed after the class: its pollers and timers do not run on beside the later tests
@org.springframework.test.annotation.DirtiesContext
class SchoolBoardTest extends BridgeTest {

    /** A secondary pupil of the given platform, the {@code n}th. */
    private JsonNode studentOn(String platform, int n) {
        int seen = 0;
        for (int i = 0; i < 56; i++) {
            JsonNode s = student("secundair", true, i);
            if (platformOf(internalNumberOf(s)).equals(platform) && seen++ == n) {
                return s;
            }
        }
        throw new IllegalStateException("no pupil on " + platform);
    }

    @Test
    void theSimulatorsHostTheBoardsPlatforms() {
        JsonNode platforms = http.get("/sim/smartschool/admin/platforms").json();
        assertThat(platforms).extracting(p -> p.path("name").asText()).containsExactly("school1", "school2");
        for (JsonNode p : platforms) {
            assertThat(p.path("institutions").size()).isEqualTo(1);
            assertThat(p.path("baseUrl").asText()).endsWith("/sim/smartschool/" + p.path("name").asText());
        }
        assertThat(http.get("/sim/smartschool/nope/Webservices/V3?wsdl").status()).isEqualTo(404);
    }

    @Test
    void codesFlowBothWaysOnEveryPlatform() {
        int deadBefore = deadLetters().size();
        for (String platform : List.of("school1", "school2")) {
            JsonNode s = studentOn(platform, 0);
            String internal = internalNumberOf(s);
            String personId = s.path("personId").asText();
            smartschoolRegister(internal, "2026-11-24", "am", "Z", null, null);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonNode cell = informatCell(personId, "2026-11-24", "VM");
                return cell != null && "Z".equals(cell.path("absenceCode").asText());
            });
            informatRegister(personId, "2026-11-24", "NM", "B", null);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonNode cell = smartschoolCell(internal, "2026-11-24", "pm");
                return cell != null && "B".equals(cell.path("code").asText());
            });
            assertThat(smartschoolCell(internal, "2026-11-24", "pm").path("platform").asText())
                    .as("written into the pupil's own platform").isEqualTo(platform);
        }
        assertThat(deadLetters().size()).isEqualTo(deadBefore);
    }

    @Test
    void aPushIsCheckedWithItsOwnPlatformsSecretAndAnUnknownPlatformIsNotFound() {
        JsonNode s = studentOn("school2", 1);
        String internal = internalNumberOf(s);
        byte[] body = ("{\"eventId\":\"board-1\",\"username\":\"leerling" + internal + "\",\"internalNumber\":\"" + internal
                + "\",\"institutionNumber\":\"" + s.path("instituteNo").asText() + "\",\"registrationNumber\":\""
                + s.path("studentNo").asText() + "\",\"date\":\"2026-11-23\",\"part\":\"am\",\"code\":\"R\",\"alias\":null,"
                + "\"motivation\":null,\"registeredAt\":\"2026-11-23T08:30:00+01:00\",\"registeredBy\":\"leerkracht\"}")
                .getBytes(StandardCharsets.UTF_8);
        String[] school1 = smartschoolPush().of(body);
        String[] school2 = new PushHeaders("sim-school2-webhook-secret", clock).of(body);
        assertThat(http.post("/api/inbound/smartschool/school2", "application/json", body, school1).status())
                .as("signed with another platform's secret").isEqualTo(401);
        Http.Response unknown = http.post("/api/inbound/smartschool/school9", "application/json", body, school2);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("detail").asText()).contains("no Smartschool platform");
        assertThat(http.post("/api/inbound/smartschool", "application/json", body, school2).status())
                .as("a push that names no platform").isEqualTo(404);
        assertThat(http.post("/api/inbound/smartschool/school2", "application/json", body, school2).status())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode cell = informatCell(s.path("personId").asText(), "2026-11-23", "VM");
            return cell != null && "R".equals(cell.path("absenceCode").asText());
        });

        // a platform's good signature is good for its own pupils only: school1 cannot register for school2's pupil
        byte[] foreign = new String(body, StandardCharsets.UTF_8).replace("board-1", "board-2").replace("2026-11-23", "2026-11-20")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(http.post("/api/inbound/smartschool/school1", "application/json", foreign,
                smartschoolPush().of(foreign)).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> decisions(s, "2026-11-20").contains("WAITING_FOR_PUPIL"));
        assertThat(informatCell(s.path("personId").asText(), "2026-11-20", "VM")).isNull();
    }

    @Test
    void theAuditTheDeadLettersAndTheBackfillsAreFilteredByPlatform() {
        JsonNode one = studentOn("school1", 8);
        JsonNode two = studentOn("school2", 8);
        smartschoolRegister(internalNumberOf(one), "2026-11-19", "am", "Z", null, null);
        smartschoolRegister(internalNumberOf(two), "2026-11-19", "am", "Z", null, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> informatCell(one.path("personId").asText(), "2026-11-19", "VM") != null
                && informatCell(two.path("personId").asText(), "2026-11-19", "VM") != null);
        JsonNode audit = http.get("/api/admin/audit?date=2026-11-19&platform=school2", "Authorization", adminAuth()).json();
        assertThat(audit.size()).isPositive();
        assertThat(audit).allSatisfy(e -> assertThat(e.path("institutionNumber").asText()).isEqualTo(two.path("instituteNo").asText()));
        assertThat(http.get("/api/admin/dead-letters?platform=school1", "Authorization", adminAuth()).status()).isEqualTo(200);
        assertThat(http.get("/api/admin/dead-letters?platform=school9", "Authorization", adminAuth()).status()).isEqualTo(404);
        assertThat(http.get("/api/admin/backfills?platform=school1", "Authorization", adminAuth()).status()).isEqualTo(200);
    }

    /**
     * Registers a code in Informat for each pupil at once and waits until each is in Smartschool's register; the
     * latencies (registration to the moment the register is seen to hold it, read every 20 ms), sorted. The
     * bridge's clock is pinned in these tests, so the outbox's own times cannot tell.
     */
    private List<Long> delivered(List<JsonNode> pupils, String date) {
        Map<String, Long> sentAt = new java.util.HashMap<>();
        Map<String, Long> seenAt = new java.util.HashMap<>();
        for (JsonNode s : pupils) {
            sentAt.put(internalNumberOf(s), System.currentTimeMillis());
            informatRegister(s.path("personId").asText(), date, "VM", "R", null);
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            long now = System.currentTimeMillis();
            for (JsonNode c : http.get("/sim/smartschool/admin/register?date=" + date).json()) {
                String internal = c.path("internalNumber").asText();
                if (sentAt.containsKey(internal) && "am".equals(c.path("part").asText())) {
                    seenAt.putIfAbsent(internal, now);
                }
            }
            return seenAt.size() == sentAt.size();
        });
        List<Long> latencies = new ArrayList<>();
        sentAt.forEach((internal, at) -> latencies.add(seenAt.get(internal) - at));
        java.util.Collections.sort(latencies);
        return latencies;
    }

    @Test
    void aPlatformThatFailsEveryCallHoldsUpOnlyItsOwnRecords() {
        int deadBefore = deadLetters().size();
        List<JsonNode> warm = new ArrayList<>();
        List<JsonNode> up = new ArrayList<>();
        List<JsonNode> upDuringOutage = new ArrayList<>();
        List<JsonNode> down = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            warm.add(studentOn("school1", 10 + i));
            up.add(studentOn("school1", 15 + i));
            upDuringOutage.add(studentOn("school1", 20 + i));
            down.add(studentOn("school2", 2 + i));
        }
        // a first round warms the path up (directories read, code compiled); then school1's delivery latency with
        // both platforms well (a figure, printed: not asserted)
        delivered(warm, "2026-11-27");
        List<Long> before = delivered(up, "2026-11-26");

        http.postJson("/sim/smartschool/admin/faults", Map.of("platform", "school2", "errorRate", 1.0));
        for (JsonNode s : down) {
            informatRegister(s.path("personId").asText(), "2026-11-25", "VM", "R", null);
        }
        // the working platform's codes arrive while the other one fails every call
        List<Long> during = delivered(upDuringOutage, "2026-11-25");
        assertThat(down.stream().filter(s -> smartschoolCell(internalNumberOf(s), "2026-11-25", "am") != null)).isEmpty();
        JsonNode stats = http.get("/sim/smartschool/admin/stats").json();
        assertThat(stats.path("platforms").path("school2").path("linkWrites").asLong()).isZero();
        System.out.printf("school1's delivery latency, ms (%d codes each): with school2 well p50 %d max %d; "
                + "with school2 failing every call p50 %d max %d%n", before.size(), before.get(before.size() / 2),
                before.get(before.size() - 1), during.get(during.size() / 2), during.get(during.size() - 1));

        // back: its own records arrive, none dead-lettered
        http.postJson("/sim/smartschool/admin/faults", Map.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> down.stream().allMatch(s -> smartschoolCell(internalNumberOf(s), "2026-11-25", "am") != null));
        assertThat(deadLetters().size()).isEqualTo(deadBefore);
    }

    @Test
    void aSwitchTurnedOffStopsTheExchangeWithinSecondsAndEveryCodeAfterIt() {
        // rule 1: Informat's "also exchange absences" turned off for a branch; a teacher keeps registering, one code every
        // 200 ms, on half-days of their own. From the first code stopped on, every code is stopped.
        JsonNode s = studentOn("school1", 5);
        String internal = internalNumberOf(s);
        int branch = s.path("locationIdDiscimus").asInt();
        List<be.absencebridge.domain.FlemishSchoolCalendar.HalfDaySlot> slots = new ArrayList<>(
                new be.absencebridge.domain.FlemishSchoolCalendar(be.absencebridge.domain.SchoolYear.parse("2026-27"))
                        .instructionHalfDays().stream().filter(x -> x.date().isBefore(java.time.LocalDate.parse("2026-11-17"))).toList());
        java.util.Collections.reverse(slots);
        List<String> sent = new ArrayList<>();
        List<Long> sentAt = new ArrayList<>();
        String audit = "/api/admin/audit?institutionNumber=" + s.path("instituteNo").asText() + "&registrationNumber="
                + s.path("studentNo").asText();
        long off = System.nanoTime();
        http.putJson("/sim/informat/admin/settings", Map.of("locationIdDiscimus", branch, "exchangeAbsences", false));
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                be.absencebridge.domain.FlemishSchoolCalendar.HalfDaySlot slot = slots.get(sent.size());
                smartschoolRegister(internal, slot.date().toString(), slot.part() == be.absencebridge.domain.HalfDay.AM ? "am" : "pm",
                        "Z", null, null);
                sent.add(slot.date() + "|" + slot.part().name());
                sentAt.add(System.nanoTime() - off);
                return verdicts(audit).containsValue("NOT_ACTIVE");
            });
            // every code sent has its verdict; none after the first stopped one went through
            await().atMost(Duration.ofSeconds(30)).until(() -> verdicts(audit).keySet().containsAll(sent));
            Map<String, String> verdicts = verdicts(audit);
            int first = 0;
            while (!"NOT_ACTIVE".equals(verdicts.get(sent.get(first)))) {
                assertThat(verdicts.get(sent.get(first))).isEqualTo("FORWARDED");
                first++;
            }
            for (String later : sent.subList(first, sent.size())) {
                assertThat(verdicts.get(later)).as(later).isEqualTo("NOT_ACTIVE");
            }
            System.out.printf("switch turned off: the first code stopped was registered %d ms after it; %d codes registered "
                    + "in between were still exchanged (the switches are read every 2 s)%n", sentAt.get(first) / 1_000_000, first);
        } finally {
            http.putJson("/sim/informat/admin/settings", Map.of("locationIdDiscimus", branch, "exchangeAbsences", true));
            // the next test's codes must meet the switch on: wait for the bridge's background read to see it
            await().atMost(Duration.ofSeconds(30)).until(() -> Boolean.TRUE.equals(jdbc.queryForObject(
                    "SELECT active FROM link_activation WHERE system = 'INFORMAT' AND scope = ?", Boolean.class, String.valueOf(branch))));
        }
    }

    /**
     * The first decision of each half-day of a pupil ({@code date|AM}), from the audit. A record that waited for its
     * pupil first (a directory read that met the simulators while they were seeded anew) is decided after: its wait is
     * no verdict.
     */
    private Map<String, String> verdicts(String audit) {
        Map<String, String> out = new java.util.HashMap<>();
        JsonNode rows = http.get(audit, "Authorization", adminAuth()).json();
        for (int i = rows.size() - 1; i >= 0; i--) {
            JsonNode r = rows.get(i);
            if (!"WAITING_FOR_PUPIL".equals(r.path("decision").asText())) {
                out.putIfAbsent(r.path("date").asText() + "|" + r.path("part").asText(), r.path("decision").asText());
            }
        }
        return out;
    }
}
