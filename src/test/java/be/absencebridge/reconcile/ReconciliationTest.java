package be.absencebridge.reconcile;

import be.absencebridge.support.BridgeTest;
import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Both registers compared through their interfaces, end to end: a change made inside Smartschool that the bridge never
 * heard of is found by a dry run and put right by a repair; a repair that would change too much of a branch waits for
 * an admin; a resync of one pupil repairs that pupil only.
 */
class ReconciliationTest extends BridgeTest {

    /**
     * The pupils of the first branch for which the bridge decided nothing on {@code date} (other tests share the
     * database); each test here has a date of its own.
     */
    private List<JsonNode> cleanBranch(String date) {
        Map<Integer, List<JsonNode>> byBranch = new java.util.TreeMap<>();
        Map<Integer, List<JsonNode>> everyone = new java.util.TreeMap<>();
        for (JsonNode s : students()) {
            everyone.computeIfAbsent(s.path("locationIdDiscimus").asInt(), b -> new ArrayList<>()).add(s);
            if (s.path("level").asText().equals("secundair") && s.path("startDate").asText().equals("2026-09-01") && s.path("endDate").isNull()) {
                byBranch.computeIfAbsent(s.path("locationIdDiscimus").asInt(), b -> new ArrayList<>()).add(s);
            }
        }
        for (Map.Entry<Integer, List<JsonNode>> branch : byBranch.entrySet()) {
            List<JsonNode> pupils = branch.getValue();
            boolean clean = pupils.size() >= 3;
            // every pupil of the branch (its whole register is compared), not only the ones the test registers for
            for (JsonNode s : everyone.get(branch.getKey())) {
                clean &= jdbc.queryForObject("SELECT count(*) FROM decision WHERE date = CAST(? AS date) AND institution_number = ? AND registration_number = ?",
                        Integer.class, date, s.path("instituteNo").asText(), s.path("studentNo").asText()) == 0;
            }
            if (clean) {
                return pupils;
            }
        }
        throw new IllegalStateException("no branch without decisions on " + date);
    }

    private void silent(JsonNode pupil, String date, String part, String code) {
        Map<String, Object> body = new HashMap<>();
        body.put("internalNumber", internalNumberOf(pupil));
        body.put("date", date);
        body.put("part", part);
        body.put("code", code);
        body.put("silent", true);
        assertThat(http.postJson("/sim/smartschool/admin/register", body).status()).isEqualTo(200);
    }

    private long start(String path, String body) {
        Http.Response r = http.post(path, "application/json", body, "Authorization", adminAuth());
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        return r.json().path("id").asLong();
    }

    private JsonNode awaitState(long id, String state) {
        await().atMost(Duration.ofSeconds(60)).until(() ->
                state.equals(http.get("/api/admin/reconciliations/" + id, "Authorization", adminAuth()).json().path("state").asText()));
        return http.get("/api/admin/reconciliations/" + id, "Authorization", adminAuth()).json();
    }

    private String smartschoolCode(JsonNode pupil, String date, String part) {
        JsonNode c = smartschoolCell(internalNumberOf(pupil), date, part);
        return c == null ? null : c.path("code").asText();
    }

    private String informatCode(JsonNode pupil, String date, String part) {
        JsonNode c = informatCell(pupil.path("personId").asText(), date, part);
        return c == null ? null : c.path("absenceCode").asText();
    }

    @Test
    void aChangeMadeInsideSmartschoolIsFoundByADryRunAndPutRightByARepair() {
        String date = "2026-10-13";
        List<JsonNode> branch = cleanBranch(date);
        JsonNode p = branch.get(0);
        int location = p.path("locationIdDiscimus").asInt();
        smartschoolRegister(internalNumberOf(p), date, "am", "Z", null, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> "Z".equals(informatCode(p, date, "VM")));
        // a data fix inside Smartschool: no push, only its register shows it
        silent(p, date, "am", "B");

        String scope = "{\"locationIdDiscimus\":" + location + ",\"from\":\"" + date + "\",\"to\":\"" + date + "\"";
        JsonNode dry = awaitState(start("/api/admin/reconciliations", scope + "}"), "DONE");
        assertThat(dry.path("repair").asBoolean()).isFalse();
        assertThat(dry.path("differences")).hasSize(1);
        JsonNode d = dry.path("differences").get(0);
        assertThat(d.path("registrationNumber").asText()).isEqualTo(p.path("studentNo").asText());
        assertThat(d.path("part").asText()).isEqualTo("AM");
        assertThat(d.path("smartschool").asText()).isEqualTo("B");
        assertThat(d.path("informat").asText()).isEqualTo("Z");
        assertThat(d.path("decided").asText()).isEqualTo("Z");
        assertThat(d.path("action").asText()).isEqualTo("WRITE_SMARTSCHOOL");
        assertThat(dry.path("halfDaysChecked").asLong()).isEqualTo(dry.path("counts").path("AGREE").asLong() + 1);
        assertThat(smartschoolCode(p, date, "am")).as("a dry run writes nothing").isEqualTo("B");

        JsonNode repaired = awaitState(start("/api/admin/reconciliations", scope + ",\"repair\":true}"), "DONE");
        assertThat(repaired.path("counts").path("repaired").path("WRITE_SMARTSCHOOL").asLong()).isEqualTo(1);
        // DONE once the repair is delivered: Smartschool holds the winner the moment the state says so
        assertThat(repaired.path("delivered").asLong()).isEqualTo(1);
        assertThat(repaired.path("pending").asLong()).isZero();
        assertThat(smartschoolCode(p, date, "am")).isEqualTo("Z");
        assertThat(informatCode(p, date, "VM")).isEqualTo("Z");

        JsonNode again = awaitState(start("/api/admin/reconciliations", scope + "}"), "DONE");
        assertThat(again.path("differences")).as("the registers agree").isEmpty();
        assertThat(http.get("/api/admin/reconciliations", "Authorization", adminAuth()).json().size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aRepairThatWouldChangeTooMuchOfABranchWaitsForAnAdmin() {
        // a Wednesday: one half-day per pupil; three codes Informat never got, nothing decided: over the 5% guard
        String date = "2026-10-14";
        List<JsonNode> branch = cleanBranch(date);
        List<JsonNode> changed = branch.subList(0, 3);
        for (JsonNode p : changed) {
            silent(p, date, "am", "Z");
        }
        int location = branch.get(0).path("locationIdDiscimus").asInt();
        long id = start("/api/admin/reconciliations", "{\"locationIdDiscimus\":" + location + ",\"from\":\"" + date + "\",\"to\":\""
                + date + "\",\"repair\":true}");
        JsonNode held = awaitState(id, "WAITING_APPROVAL");
        assertThat(held.path("error").asText()).contains("guard");
        assertThat(held.path("differences")).hasSize(3).allSatisfy(d -> assertThat(d.path("action").asText()).isEqualTo("COPY_TO_INFORMAT"));
        assertThat(changed).allSatisfy(p -> assertThat(informatCode(p, date, "VM")).isNull());
        assertThat(http.post("/api/admin/reconciliations/" + id + "/approve", "application/json", "", "Authorization",
                "Basic " + java.util.Base64.getEncoder().encodeToString(("viewer:" + VIEWER_PASSWORD).getBytes()))
                .status()).as("a viewer cannot approve").isEqualTo(403);

        assertThat(http.post("/api/admin/reconciliations/" + id + "/approve", "application/json", "", "Authorization", adminAuth())
                .status()).isEqualTo(202);
        JsonNode done = awaitState(id, "DONE");
        assertThat(done.path("approvedBy").asText()).isEqualTo("admin");
        assertThat(changed).allSatisfy(p -> assertThat(informatCode(p, date, "VM")).isEqualTo("Z"));
    }

    @Test
    void aResyncOfOnePupilRepairsThatPupilOnly() {
        String date = "2026-10-15";
        List<JsonNode> branch = cleanBranch(date);
        JsonNode mine = branch.get(0);
        JsonNode other = branch.get(1);
        silent(mine, date, "pm", "R");
        silent(other, date, "pm", "R");
        long id = start("/api/admin/resyncs", "{\"institutionNumber\":\"" + mine.path("instituteNo").asText()
                + "\",\"registrationNumber\":\"" + mine.path("studentNo").asText() + "\",\"from\":\"" + date + "\",\"to\":\"" + date + "\"}");
        JsonNode done = awaitState(id, "DONE");
        assertThat(done.path("kind").asText()).isEqualTo("RESYNC");
        assertThat(done.path("halfDaysChecked").asLong()).isEqualTo(2);
        assertThat(informatCode(mine, date, "NM")).isEqualTo("R");
        assertThat(informatCode(other, date, "NM")).isNull();
        assertThat(http.post("/api/admin/resyncs", "application/json", "{\"institutionNumber\":\"1\",\"registrationNumber\":\"2\","
                + "\"from\":\"" + date + "\",\"to\":\"" + date + "\"}", "Authorization", adminAuth()).status()).isEqualTo(404);
        assertThat(http.post("/api/admin/reconciliations", "application/json", "{\"from\":\"" + date + "\"}", "Authorization", adminAuth())
                .status()).isEqualTo(400);
    }

    /** A correction made inside Informat (a restore from a backup, a data fix): no push, no change-feed item. */
    private void silentInInformat(JsonNode pupil, String date, String partOfDay, String code) {
        Map<String, Object> body = new HashMap<>();
        body.put("personId", pupil.path("personId").asText());
        body.put("date", date);
        body.put("partOfDay", partOfDay);
        body.put("absenceCode", code);
        body.put("silent", true);
        assertThat(http.postJson("/sim/informat/admin/register", body).status()).isLessThan(300);
    }

    /**
     * A change made inside Informat without a feed item is found: the reconciliation compares Informat's register of the
     * day, not its change feed's history (tried three times on the feed: a reconciliation, a repair and a resync each
     * found nothing and left the registers apart). A repair puts it right, and so does a resync of that pupil.
     */
    @Test
    void aSilentChangeInsideInformatIsFoundAndPutRightByARepairAndByAResync() {
        String date = "2026-10-23";
        List<JsonNode> branch = cleanBranch(date);
        JsonNode p = branch.get(0);
        JsonNode q = branch.get(1);
        int location = p.path("locationIdDiscimus").asInt();
        smartschoolRegister(internalNumberOf(p), date, "am", "Z", null, null);
        smartschoolRegister(internalNumberOf(q), date, "am", "Z", null, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> "Z".equals(informatCode(p, date, "VM")) && "Z".equals(informatCode(q, date, "VM")));
        silentInInformat(p, date, "VM", "B");
        silentInInformat(q, date, "VM", "B");

        String scope = "{\"locationIdDiscimus\":" + location + ",\"from\":\"" + date + "\",\"to\":\"" + date + "\"";
        JsonNode dry = awaitState(start("/api/admin/reconciliations", scope + "}"), "DONE");
        assertThat(dry.path("differences")).hasSize(2);
        JsonNode d = dry.path("differences").get(0);
        assertThat(d.path("smartschool").asText()).isEqualTo("Z");
        assertThat(d.path("informat").asText()).isEqualTo("B");

        // a resync of one pupil puts that pupil right, and only that pupil
        JsonNode resync = awaitState(start("/api/admin/resyncs", "{\"institutionNumber\":\"" + p.path("instituteNo").asText()
                + "\",\"registrationNumber\":\"" + p.path("studentNo").asText() + "\",\"from\":\"" + date + "\",\"to\":\"" + date + "\"}"),
                "DONE");
        assertThat(resync.path("differences")).hasSize(1);
        assertThat(informatCode(p, date, "VM")).isEqualTo(smartschoolCode(p, date, "am"));
        assertThat(informatCode(q, date, "VM")).as("the other pupil is left to the repair").isEqualTo("B");

        // a repair of the branch puts the other one right
        awaitState(start("/api/admin/reconciliations", scope + ",\"repair\":true}"), "DONE");
        assertThat(informatCode(q, date, "VM")).isEqualTo(smartschoolCode(q, date, "am"));
        assertThat(awaitState(start("/api/admin/reconciliations", scope + "}"), "DONE").path("differences"))
                .as("the registers agree").isEmpty();
    }

    /**
     * A run that no retry can fix ends FAILED with its reason, through the same run mechanism as a backfill, and is not
     * run again: here a repair, approved by an admin, meets a difference whose action this bridge does not know (a row
     * written by another version, or a bug). Before, such a run was resumed every half minute for ever. The gauge of
     * AbsenceBridgeReconciliationFailed counts it.
     */
    @Test
    void aRepairThatNoRetryCanFixEndsFailedWithItsReasonAndItsAlertsGaugeCountsIt() {
        double failedBefore = metric("bridge_reconciliation_failed");
        // an institution no platform holds: the run compares nobody, and goes straight to the repair once approved
        Long id = jdbc.queryForObject("""
                INSERT INTO reconciliation (kind, scope_kind, scope, date_from, date_to, repair, started_by, state, phase, error)
                VALUES ('RECONCILIATION', 'INSTITUTION', '990077', DATE '2026-10-20', DATE '2026-10-20', true, 'test',
                        'WAITING_APPROVAL', 'END', 'the guard') RETURNING id""", Long.class);
        jdbc.update("""
                INSERT INTO reconciliation_difference (reconciliation_id, institution_number, registration_number, date, part, branch,
                                                       smartschool, informat, action)
                VALUES (?, '990077', 'R1', DATE '2026-10-20', 'AM', 1, 'Z', NULL, 'SIDEWAYS')""", id);

        assertThat(http.post("/api/admin/reconciliations/" + id + "/approve", "application/json", "", "Authorization", adminAuth())
                .status()).isEqualTo(202);
        JsonNode failed = awaitState(id, "FAILED");
        assertThat(failed.path("error").asText()).contains("IllegalArgumentException", "SIDEWAYS");
        assertThat(failed.path("differences").get(0).path("repaired").asBoolean()).as("nothing of the repair was kept").isFalse();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE reconciliation_id = ?", Integer.class, id)).isZero();
        assertThat(jdbc.queryForObject("SELECT locked_until IS NULL FROM reconciliation WHERE id = ?", Boolean.class, id))
                .as("its lease given up").isTrue();
        // the gauges are a snapshot of at most five seconds
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("bridge_reconciliation_failed") == failedBefore + 1);
    }
}
