package be.absencebridge.backfill;

import be.absencebridge.support.BridgeTest;

import be.absencebridge.domain.FlemishSchoolCalendar;
import be.absencebridge.domain.SchoolYear;
import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** DOMAIN.md rule 3: sending existing codes, under the Discimus rules, through the same decision. */
class BackfillTest extends BridgeTest {

    private static final LocalDate TODAY = LocalDate.parse("2026-11-27");

    private List<JsonNode> branches() {
        List<JsonNode> out = new ArrayList<>();
        http.get("/sim/informat/admin/locations").json().forEach(out::add);
        return out;
    }

    private List<JsonNode> studentsOf(int branch) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode s : http.get("/sim/informat/admin/students").json()) {
            if (s.path("locationIdDiscimus").asInt() == branch) {
                out.add(s);
            }
        }
        return out;
    }

    /** Every instruction half-day up to today on which a pupil of the branch was enrolled: counted independently. */
    private long enrolledHalfDays(int branch) {
        List<FlemishSchoolCalendar.HalfDaySlot> slots = new FlemishSchoolCalendar(SchoolYear.parse("2026-27")).instructionHalfDays()
                .stream().filter(x -> !x.date().isAfter(TODAY)).toList();
        long n = 0;
        for (JsonNode s : studentsOf(branch)) {
            LocalDate start = LocalDate.parse(s.path("startDate").asText());
            LocalDate end = s.path("endDate").isNull() ? null : LocalDate.parse(s.path("endDate").asText());
            n += slots.stream().filter(x -> !x.date().isBefore(start) && (end == null || !x.date().isAfter(end))).count();
        }
        return n;
    }

    private Http.Response start(String body) {
        return http.post("/api/admin/backfills", "application/json", body, "Authorization", adminAuth());
    }

    private JsonNode awaitDone(long id) {
        await().atMost(Duration.ofSeconds(120)).until(() ->
                "DONE".equals(http.get("/api/admin/backfills/" + id, "Authorization", adminAuth()).json().path("state").asText()));
        JsonNode status = http.get("/api/admin/backfills/" + id, "Authorization", adminAuth()).json();
        assertThat(status.path("done").asInt()).isEqualTo(status.path("total").asInt());
        assertThat(status.path("pending").asLong()).as("DONE only once every write has reached its end").isZero();
        return status;
    }

    private void pushes(boolean on) {
        http.postJson("/sim/smartschool/admin/faults", Map.of("push", on));
        http.postJson("/sim/informat/admin/faults", Map.of("push", on));
    }

    @Test
    void backfillsAreRefusedByTheDiscimusRulesWithTheRule() {
        List<JsonNode> branches = branches();
        String institution = branches.get(0).path("instituteNo").asText();
        Http.Response notDiscimus = start("{\"direction\":\"SMARTSCHOOL_TO_INFORMAT\",\"institutionNumber\":\"" + institution + "\"}");
        assertThat(notDiscimus.status()).isEqualTo(409);
        assertThat(notDiscimus.header("Content-Type")).startsWith("application/problem+json");
        assertThat(notDiscimus.json().path("detail").asText()).contains("Discimus", institution);

        int branch = branches.get(0).path("locationIdDiscimus").asInt();
        http.putJson("/sim/informat/admin/settings", Map.of("locationIdDiscimus", branch, "discimusActive", false));
        Http.Response noDiscimus = start("{\"direction\":\"INFORMAT_TO_SMARTSCHOOL\",\"locationIdDiscimus\":" + branch + "}");
        assertThat(noDiscimus.status()).isEqualTo(409);
        assertThat(noDiscimus.json().path("detail").asText()).contains("Discimus link");
        assertThat(start("{\"direction\":\"INFORMAT_TO_SMARTSCHOOL\",\"locationIdDiscimus\":1}").status()).isEqualTo(409);
        assertThat(start("{\"direction\":\"INFORMAT_TO_SMARTSCHOOL\"}").status()).isEqualTo(400);
        assertThat(start("{\"direction\":\"SIDEWAYS\"}").status()).isEqualTo(400);
        assertThat(start("{}").status()).isEqualTo(400);
        assertThat(http.post("/api/admin/backfills", "application/json", "{}").status()).isEqualTo(401);
        assertThat(http.get("/api/admin/backfills/99999", "Authorization", adminAuth()).status()).isEqualTo(404);
    }

    @Test
    void informatToSmartschoolSendsEveryCodeAndAPresenceForEveryEmptyInstructionHalfDayExactly() {
        JsonNode branch = branches().get(3);
        int location = branch.path("locationIdDiscimus").asInt();
        List<JsonNode> students = studentsOf(location);
        JsonNode withCode = null;
        for (JsonNode s : students) {
            if (s.path("startDate").asText().equals("2026-09-01") && s.path("endDate").isNull() && !s.path("level").asText().equals("kleuter")) {
                withCode = s;
                break;
            }
        }
        // registered before the link: not exchanged live (no push, no poll)
        pushes(false);
        informatRegister(withCode.path("personId").asText(), "2026-10-05", "VM", "Z01", "ziekenhuis");
        informatRegister(withCode.path("personId").asText(), "2026-10-06", "VM", "B", null);
        informatRegister(withCode.path("personId").asText(), "2026-10-06", "VM", null, null);
        pushes(true);
        long expected = enrolledHalfDays(location);

        Http.Response started = start("{\"direction\":\"INFORMAT_TO_SMARTSCHOOL\",\"locationIdDiscimus\":" + location + "}");
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        long id = started.json().path("id").asLong();
        // paused after 15 days and resumed from the database while running: a second one is refused meanwhile
        assertThat(start("{\"direction\":\"INFORMAT_TO_SMARTSCHOOL\",\"locationIdDiscimus\":" + location + "}").status()).isEqualTo(409);
        JsonNode status = awaitDone(id);
        assertThat(status.path("total").asInt()).isEqualTo(new FlemishSchoolCalendar(SchoolYear.parse("2026-27"))
                .instructionHalfDays().stream().filter(x -> !x.date().isAfter(TODAY)).map(FlemishSchoolCalendar.HalfDaySlot::date).distinct().count());
        assertThat(status.path("halfDays").asLong()).isEqualTo(expected);
        assertThat(status.path("counts").path("FORWARDED").asLong()).isEqualTo(expected);
        assertThat(status.path("counts").path("PRESENCE").asLong()).as("all but the one code").isEqualTo(expected - 1);

        assertThat(status.path("delivered").asLong()).isEqualTo(expected);
        // DONE means delivered: Smartschool holds every half-day the moment the state says so, without waiting
        java.util.Set<String> internals = new java.util.HashSet<>();
        studentsOf(location).forEach(s -> internals.add(internalNumberOf(s)));
        long held = 0;
        for (FlemishSchoolCalendar.HalfDaySlot slot : new FlemishSchoolCalendar(SchoolYear.parse("2026-27")).instructionHalfDays()) {
            if (!slot.date().isAfter(TODAY) && slot.part() == be.absencebridge.domain.HalfDay.AM) {
                for (JsonNode c : http.get("/sim/smartschool/admin/register?date=" + slot.date()).json()) {
                    held += internals.contains(c.path("internalNumber").asText()) ? 1 : 0;
                }
            }
        }
        assertThat(held).isEqualTo(expected);
        String internal = internalNumberOf(withCode);
        JsonNode code = smartschoolCell(internal, "2026-10-05", "am");
        assertThat(code.path("code").asText()).isEqualTo("Z");
        assertThat(code.path("alias").asText()).isEqualTo("ZM");
        assertThat(code.path("motivation").asText()).isEqualTo("ziekenhuis");
        assertThat(smartschoolCell(internal, "2026-10-06", "am").path("code").asText()).as("cleared in Informat: empty, so present").isEqualTo("|");
        assertThat(smartschoolCell(internal, "2026-10-07", "pm")).as("Wednesday afternoon").isNull();
        assertThat(smartschoolCell(internal, "2026-11-03", "am")).as("autumn holiday").isNull();
        assertThat(http.get("/sim/smartschool/admin/register?date=2026-11-28").json().size()).as("after today").isZero();
        for (JsonNode s : studentsOf(location)) {
            if (!s.path("startDate").asText().equals("2026-09-01")) {
                LocalDate before = LocalDate.parse(s.path("startDate").asText()).minusDays(1);
                assertThat(smartschoolCell(internalNumberOf(s), before.toString(), "am")).as("before enrolment").isNull();
            }
        }

        // a second run changes nothing
        long again = start("{\"direction\":\"INFORMAT_TO_SMARTSCHOOL\",\"locationIdDiscimus\":" + location + "}").json().path("id").asLong();
        JsonNode second = awaitDone(again);
        assertThat(second.path("counts").path("FORWARDED").asLong()).isZero();
        assertThat(second.path("counts").path("DUPLICATE").asLong()).isEqualTo(expected);
    }

    private static boolean enrolledOn(JsonNode s, String date) {
        LocalDate d = LocalDate.parse(date);
        return !d.isBefore(LocalDate.parse(s.path("startDate").asText()))
                && (s.path("endDate").isNull() || !d.isAfter(LocalDate.parse(s.path("endDate").asText())));
    }

    @Test
    void aDryRunReportsWhatItWouldDoAndWritesNothing() {
        JsonNode branch = branches().get(1);
        int location = branch.path("locationIdDiscimus").asInt();
        long expected = enrolledHalfDays(location);
        Integer outboxBefore = jdbc.queryForObject("SELECT count(*) FROM outbox", Integer.class);
        long id = start("{\"direction\":\"INFORMAT_TO_SMARTSCHOOL\",\"locationIdDiscimus\":" + location + ",\"dryRun\":true}")
                .json().path("id").asLong();
        JsonNode status = awaitDone(id);
        assertThat(status.path("dryRun").asBoolean()).isTrue();
        assertThat(status.path("counts").path("FORWARDED").asLong()).isEqualTo(expected);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox", Integer.class)).isEqualTo(outboxBefore);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM decision WHERE backfill_id = ?", Integer.class, id)).isZero();
        assertThat(http.get("/sim/smartschool/admin/register?date=2026-10-05").json().size()).isZero();
    }

    @Test
    void smartschoolToInformatSendsCodesWithTranslationAndTextAndPresencesOnlyForToddlers() {
        JsonNode branch = branches().get(2);
        String institution = branch.path("instituteNo").asText();
        int location = branch.path("locationIdDiscimus").asInt();
        JsonNode pupil = null;
        JsonNode toddler = null;
        for (JsonNode s : studentsOf(location)) {
            boolean fullYear = s.path("startDate").asText().equals("2026-09-01") && s.path("endDate").isNull();
            boolean compulsory = Integer.parseInt(s.path("dateOfBirth").asText().substring(0, 4)) + 5 <= 2026;
            if (fullYear && compulsory && pupil == null && !s.path("level").asText().equals("kleuter")) {
                pupil = s;
            }
            if (fullYear && !compulsory && toddler == null) {
                toddler = s;
            }
        }
        pushes(false);
        smartschoolRegister(internalNumberOf(pupil), "2026-09-14", "am", "Z", "ZM", "attest");
        smartschoolRegister(internalNumberOf(pupil), "2026-09-14", "pm", "B", null, null);
        smartschoolRegister(internalNumberOf(pupil), "2026-09-15", "am", "|", null, null);
        smartschoolRegister(internalNumberOf(toddler), "2026-09-15", "am", "|", null, null);
        pushes(true);
        http.putJson("/sim/smartschool/admin/settings", Map.of("discimusInstitutions", List.of(institution)));

        Http.Response started = start("{\"direction\":\"SMARTSCHOOL_TO_INFORMAT\",\"institutionNumber\":\"" + institution + "\"}");
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        JsonNode status = awaitDone(started.json().path("id").asLong());
        assertThat(status.path("counts").path("FORWARDED").asLong()).isEqualTo(3);
        assertThat(status.path("counts").path("NO_EFFECT").asLong()).isEqualTo(1);
        String personId = pupil.path("personId").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> informatCell(personId, "2026-09-14", "VM") != null
                && informatCell(personId, "2026-09-14", "NM") != null);
        assertThat(informatCell(personId, "2026-09-14", "VM").path("absenceCode").asText()).isEqualTo("Z01");
        // Smartschool's register read carries no motivation: a motivation reaches Informat with a push only
        assertThat(informatCell(personId, "2026-09-14", "VM").path("remark").isNull()).isTrue();
        assertThat(informatCell(personId, "2026-09-14", "NM").path("absenceCode").asText()).isEqualTo("B");
        assertThat(informatCell(personId, "2026-09-15", "VM")).isNull();
        String toddlerId = toddler.path("personId").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> informatCell(toddlerId, "2026-09-15", "VM") != null);
        assertThat(informatCell(toddlerId, "2026-09-15", "VM").path("absenceCode").asText()).isEqualTo("|");
    }


    /**
     * A run that no retry can fix (here: a branch that is no number, as a broken row or a bug would give it) ends FAILED
     * with its reason, and the gauge of AbsenceBridgeBackfillFailed counts it. It was resumed every half minute for ever,
     * and that alert could never fire.
     */
    @Test
    void aRunThatNoRetryCanFixEndsFailedWithItsReasonAndItsAlertsGaugeCountsIt() {
        Long id = jdbc.queryForObject("""
                INSERT INTO backfill (direction, scope, dry_run, state, phase, up_to, total)
                VALUES ('INFORMAT_TO_SMARTSCHOOL', 'no-branch', false, 'RUNNING', 'SNAPSHOT', '2026-11-27', 1) RETURNING id""", Long.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(http.get("/api/admin/backfills/" + id, "Authorization",
                adminAuth()).json().path("state").asText()));
        assertThat(http.get("/api/admin/backfills/" + id, "Authorization", adminAuth()).json().path("error").asText())
                .contains("NumberFormatException");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (String line : new Http("http://127.0.0.1:" + managementPort).get("/actuator/prometheus", "Authorization", adminAuth())
                    .text().split("\n")) {
                if (line.startsWith("bridge_backfill_failed ") && Double.parseDouble(line.substring(line.indexOf(' ') + 1)) >= 1) {
                    return true;
                }
            }
            return false;
        });
    }
}
