package be.absencebridge.retention;

import be.absencebridge.support.BridgeTest;
import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the bridge keeps and for how long (docs/data-protection.md): the retention removes what its settings say and
 * nothing the exchange still needs, clears free text after its grace, runs beside traffic without losing or doubling a
 * record; the storage report counts what is there; one pupil's erasure leaves nothing of that pupil and everything of
 * the others. A context (and so a database) of its own: a purge with the clock a year ahead removes every other test's
 * events, and a simulated population of its own (its pupils are numbered apart from nobody's). Its runs go in chunks of
 * 5 rows, so that a small backlog takes many chunks.
 */
@org.springframework.test.context.TestPropertySource(properties = {
        "bridge.retention.cron=0+0+0+1+1+?+2099",
        "bridge.retention.chunk-size=5",
        "bridge.retention.chunk-pause=0ms",
        "bridge.retention.database-share=1",
        "camel.servlet.mapping.servlet-name=CamelServletRetention", "camel.component.servlet.servlet-name=CamelServletRetention"})
// a context of its own, closed after the class: its pollers and timers do not run on beside the later tests
@org.springframework.test.annotation.DirtiesContext
class RetentionTest extends BridgeTest {

    private static final String FAR = "2099-01-01T00:00:00Z";

    @Autowired
    private Storage storage;

    /** Starts a retention run through the API and waits until it is DONE; its counts. */
    private JsonNode retention() {
        Http.Response started = http.postJson("/api/admin/retention", Map.of(), "Authorization", adminAuth());
        assertThat(started.status()).isEqualTo(202);
        long id = started.json().path("id").asLong();
        JsonNode[] status = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            status[0] = http.get("/api/admin/retention/" + id, "Authorization", adminAuth()).json();
            return !"RUNNING".equals(status[0].path("state").asText());
        });
        assertThat(status[0].path("state").asText()).as(status[0].toString()).isEqualTo("DONE");
        return status[0].path("counts");
    }

    private long count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Long.class, args);
    }

    private static Timestamp at(Instant i) {
        return Timestamp.from(i);
    }

    private long inbox(String source, String payload, Instant received, Instant processed, Instant waiting) {
        return jdbc.queryForObject("""
                INSERT INTO inbox (source, source_event_id, received_via, payload, received_at, retry_at, processed_at, waiting_since)
                VALUES (?, ?, 'WEBHOOK', CAST(? AS jsonb), ?, ?, ?, ?) RETURNING id""", Long.class, source, "retention-" + System.nanoTime(),
                payload, at(received), at(Instant.parse(FAR)), processed == null ? null : at(processed),
                waiting == null ? null : at(waiting));
    }

    private long outbox(String target, String registration, String date, String state, Instant created, Instant done, String text) {
        return jdbc.queryForObject("""
                INSERT INTO outbox (target, institution_number, registration_number, date, part, record, state, next_attempt_at,
                                    locked_until, created_at, done_at)
                VALUES (?, '990001', ?, CAST(? AS date), 'AM', CAST(? AS jsonb), ?, ?, ?, ?, ?) RETURNING id""", Long.class, target,
                registration, date, "{\"text\":" + (text == null ? "null" : "\"" + text + "\"") + "}", state, at(Instant.parse(FAR)),
                at(Instant.parse(FAR)), at(created), done == null ? null : at(done));
    }

    private long deadLetter(String registration, Instant created, Instant replayed, Long inboxId, Long outboxId) {
        return jdbc.queryForObject("""
                INSERT INTO dead_letter (stage, direction, institution_number, registration_number, date, part, reason, inbox_id,
                                         outbox_id, created_at, replayed_at)
                VALUES ('DELIVER', 'smartschool-to-informat', '990001', ?, DATE '2027-09-15', 'AM', 'test', ?, ?, ?, ?) RETURNING id""",
                Long.class, registration, inboxId, outboxId, at(created), replayed == null ? null : at(replayed));
    }

    private static String event(String registration, String date, String text) {
        return "{\"institutionNumber\":\"990001\",\"registrationNumber\":\"" + registration + "\",\"date\":\"" + date
                + "\",\"part\":\"am\",\"code\":\"Z\",\"motivation\":" + (text == null ? "null" : "\"" + text + "\"") + "}";
    }

    private boolean exists(String table, long id) {
        return count("SELECT count(*) FROM " + table + " WHERE id = ?", id) == 1;
    }

    @Test
    void thePurgeRemovesExactlyWhatItsSettingsSayAndNothingTheExchangeStillNeeds() {
        // 20 September 2027, 12:00 in Brussels: school year 2027-28, the previous one's June still read by the poller
        Instant t = Instant.parse("2027-09-20T10:00:00Z");
        clock.set(t);
        Duration day = Duration.ofDays(1);

        long oldEvent = inbox("SMARTSCHOOL", event("P1", "2027-08-10", null), t.minus(day.multipliedBy(36)), t.minus(day.multipliedBy(36)), null);
        long recentEvent = inbox("SMARTSCHOOL", event("P1", "2027-08-12", null), t.minus(day.multipliedBy(34)), t.minus(day.multipliedBy(34)), null);
        long unprocessed = inbox("SMARTSCHOOL", event("P2", "2027-06-10", null), t.minus(day.multipliedBy(100)), null, null);
        long waiting = inbox("SMARTSCHOOL", event("P3", "2027-06-10", null), t.minus(day.multipliedBy(100)), null, t.minus(day.multipliedBy(99)));
        long ofOpenDeadLetter = inbox("SMARTSCHOOL", event("P4", "2027-06-10", null), t.minus(day.multipliedBy(100)), t.minus(day.multipliedBy(100)), null);
        // 29 June 2027 is one of the previous year's last days, which the Smartschool poller reads until November
        long readDayEvent = inbox("SMARTSCHOOL", event("P5", "2027-06-29", null), Instant.parse("2027-06-29T08:00:00Z"),
                Instant.parse("2027-06-29T08:00:01Z"), null);
        long readDayInformat = inbox("INFORMAT", "{\"instituteNo\":\"990001\",\"studentNo\":\"P5\",\"date\":\"2027-06-29\"}",
                Instant.parse("2027-06-29T08:00:00Z"), Instant.parse("2027-06-29T08:00:01Z"), null);

        long doneOld = outbox("INFORMAT", "P1", "2027-08-10", "DONE", t.minus(day.multipliedBy(37)), t.minus(day.multipliedBy(36)), null);
        long doneRecent = outbox("INFORMAT", "P1", "2027-08-12", "DONE", t.minus(day.multipliedBy(35)), t.minus(day.multipliedBy(34)), null);
        long pending = outbox("INFORMAT", "P2", "2027-06-10", "PENDING", t.minus(day.multipliedBy(100)), null, null);
        long deadOpen = outbox("INFORMAT", "P4", "2027-06-10", "DEAD", t.minus(day.multipliedBy(100)), t.minus(day.multipliedBy(100)), null);
        long deadResolved = outbox("INFORMAT", "P6", "2027-06-10", "DEAD", t.minus(day.multipliedBy(100)), t.minus(day.multipliedBy(100)), null);
        long readDayWrite = outbox("SMARTSCHOOL", "P5", "2027-06-29", "DONE", Instant.parse("2027-06-29T09:00:00Z"),
                Instant.parse("2027-06-29T09:00:01Z"), null);

        long open = deadLetter("P4", t.minus(day.multipliedBy(400)), null, ofOpenDeadLetter, deadOpen);
        long resolvedLongAgo = deadLetter("P6", t.minus(day.multipliedBy(100)), t.minus(day.multipliedBy(91)), null, deadResolved);
        long resolvedLately = deadLetter("P7", t.minus(day.multipliedBy(100)), t.minus(day.multipliedBy(89)), null, null);

        // decisions: the previous school year (2026-27) stays, the one before goes
        for (String date : new String[] {"2026-06-30", "2026-09-01"}) {
            jdbc.update("""
                    INSERT INTO decision (institution_number, registration_number, date, part, official_code, registered_at, source, source_rank)
                    VALUES ('990001', 'P8', CAST(? AS date), 'AM', 'Z', ?, 'SMARTSCHOOL', 1)""", date, at(Instant.parse(date + "T08:00:00Z")));
        }
        // the audit: written in 2025-26 goes (23:00 on 31 August in Brussels), in 2026-27 stays (00:30 on 1 September)
        long auditOld = jdbc.queryForObject("""
                INSERT INTO audit (at, correlation_id, direction, institution_number, registration_number, date, part, decision)
                VALUES (?, 'c', 'smartschool-to-informat', '990001', 'P8', DATE '2026-06-30', 'AM', 'FORWARDED') RETURNING id""",
                Long.class, at(Instant.parse("2026-08-31T21:00:00Z")));
        long auditKept = jdbc.queryForObject("""
                INSERT INTO audit (at, correlation_id, direction, institution_number, registration_number, date, part, decision)
                VALUES (?, 'c', 'smartschool-to-informat', '990001', 'P8', DATE '2026-09-01', 'AM', 'FORWARDED') RETURNING id""",
                Long.class, at(Instant.parse("2026-08-31T22:30:00Z")));
        // register reads: the days the poller reads stay
        for (String date : new String[] {"2027-06-25", "2027-06-29", "2027-09-20"}) {
            jdbc.update("INSERT INTO smartschool_read (platform, date, username, part, code) VALUES ('school1', CAST(? AS date), 'u990001', 'am', 'Z')", date);
            jdbc.update("INSERT INTO smartschool_read_day (platform, date, read_at) VALUES ('school1', CAST(? AS date), now())", date);
        }
        long actionOld = jdbc.queryForObject("INSERT INTO admin_action (at, person, login, action, status) VALUES (?, 'p', 'local', 'POST /x', 202) RETURNING id",
                Long.class, at(t.minus(day.multipliedBy(366))));
        long actionKept = jdbc.queryForObject("INSERT INTO admin_action (at, person, login, action, status) VALUES (?, 'p', 'local', 'POST /x', 202) RETURNING id",
                Long.class, at(t.minus(day.multipliedBy(364))));
        long backfill = jdbc.queryForObject("""
                INSERT INTO backfill (direction, scope, dry_run, state, up_to, total) VALUES ('INFORMAT_TO_SMARTSCHOOL', '1', false, 'DONE',
                DATE '2027-06-30', 0) RETURNING id""", Long.class);
        jdbc.update("""
                INSERT INTO backfill_source (backfill_id, student_no, date, part, payload, deleted, registered_at)
                VALUES (?, 'P9', DATE '2027-06-10', 'VM', '{"remark":"ziekenhuis"}', false, now())""", backfill);

        JsonNode counts = retention();

        assertThat(exists("inbox", oldEvent)).as("a processed event older than events-after").isFalse();
        assertThat(exists("inbox", recentEvent)).as("a processed event younger than events-after").isTrue();
        assertThat(exists("inbox", unprocessed)).as("an event not processed yet").isTrue();
        assertThat(exists("inbox", waiting)).as("an event waiting for its pupil").isTrue();
        assertThat(exists("inbox", ofOpenDeadLetter)).as("the event of an open dead letter").isTrue();
        assertThat(exists("inbox", readDayEvent)).as("a Smartschool event of a day the poller still reads").isTrue();
        assertThat(exists("inbox", readDayInformat)).as("an Informat event of such a day: the poller does not need it").isFalse();
        assertThat(exists("outbox", doneOld)).as("a write settled before events-after").isFalse();
        assertThat(exists("outbox", doneRecent)).as("a write settled within events-after").isTrue();
        assertThat(exists("outbox", pending)).as("a write not settled").isTrue();
        assertThat(exists("outbox", deadOpen)).as("the write of an open dead letter").isTrue();
        assertThat(exists("outbox", deadResolved)).as("the write of a dead letter resolved long ago").isFalse();
        assertThat(exists("outbox", readDayWrite)).as("a write to Smartschool of a day the poller still reads").isTrue();
        assertThat(exists("dead_letter", open)).as("an open dead letter, however old").isTrue();
        assertThat(exists("dead_letter", resolvedLongAgo)).as("a dead letter resolved 91 days ago").isFalse();
        assertThat(exists("dead_letter", resolvedLately)).as("a dead letter resolved 89 days ago").isTrue();
        assertThat(jdbc.queryForList("SELECT date::text FROM decision WHERE institution_number = '990001'", String.class))
                .containsExactly("2026-09-01");
        assertThat(exists("audit", auditOld)).as("audit of 2025-26").isFalse();
        assertThat(exists("audit", auditKept)).as("audit of 2026-27").isTrue();
        assertThat(jdbc.queryForList("SELECT date::text FROM smartschool_read WHERE username = 'u990001' ORDER BY date", String.class))
                .containsExactly("2027-06-29", "2027-09-20");
        assertThat(jdbc.queryForList("SELECT date::text FROM smartschool_read_day WHERE platform = 'school1' ORDER BY date", String.class))
                .containsExactly("2027-06-29", "2027-09-20");
        assertThat(exists("admin_action", actionOld)).isFalse();
        assertThat(exists("admin_action", actionKept)).isTrue();
        assertThat(count("SELECT count(*) FROM backfill_source WHERE backfill_id = ?", backfill)).as("a finished backfill's copy").isZero();
        assertThat(counts.path("inboxRemoved").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(counts.path("outboxRemoved").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(counts.path("decisionsRemoved").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(counts.path("deadLettersRemoved").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(counts.path("registerReadsRemoved").asLong()).isGreaterThanOrEqualTo(2);
    }

    /** A signed push of the pupil's Smartschool platform, as the platform sends it, registered at {@code registeredAt}. */
    private Http.Response push(JsonNode pupil, String date, String code, String registeredAt) {
        String internal = internalNumberOf(pupil);
        String username = null;
        for (JsonNode p : smartschoolPupils()) {
            if (p.path("internalNumber").asText().equals(internal)) {
                username = p.path("username").asText();
            }
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", "retention-" + System.nanoTime());
        e.put("username", username);
        e.put("internalNumber", internal);
        e.put("institutionNumber", pupil.path("instituteNo").asText());
        e.put("registrationNumber", pupil.path("studentNo").asText());
        e.put("date", date);
        e.put("part", "am");
        e.put("code", code);
        e.put("alias", null);
        e.put("motivation", null);
        e.put("registeredAt", registeredAt);
        e.put("registeredBy", "leerkracht");
        byte[] body = Http.write(e).getBytes(StandardCharsets.UTF_8);
        return http.post(smartschoolWebhook(internal), "application/json", body, smartschoolSigner(internal).of(body));
    }

    @Test
    void aSeptemberCorrectionOfAJuneHalfDayIsStillDecidedRightAfterAPurge() {
        JsonNode pupil = student("secundair", true, 20);
        String internal = internalNumberOf(pupil);
        // 15 June 2027: a teacher registers Z, which Informat gets
        clock.set(Instant.parse("2027-06-15T08:00:00Z"));
        assertThat(smartschoolRegister(internal, "2027-06-15", "am", "Z", null, null).status()).isLessThan(300);
        await().atMost(Duration.ofSeconds(30)).until(() -> informatCell(pupil.path("personId").asText(), "2027-06-15", "VM") != null
                && count("SELECT count(*) FROM outbox WHERE registration_number = ? AND state = 'PENDING'",
                pupil.path("studentNo").asText()) == 0);

        // 15 September: the nightly purge has removed June's events and writes, not its decisions
        clock.set(Instant.parse("2027-09-15T08:00:00Z"));
        retention();
        String key = "institution_number = '" + pupil.path("instituteNo").asText() + "' AND registration_number = '"
                + pupil.path("studentNo").asText() + "'";
        assertThat(count("SELECT count(*) FROM outbox WHERE " + key + " AND date = DATE '2027-06-15'")).as("June's writes").isZero();
        assertThat(count("SELECT count(*) FROM inbox WHERE payload->>'registrationNumber' = ? AND payload->>'date' = '2027-06-15'",
                pupil.path("studentNo").asText())).as("June's events").isZero();
        assertThat(count("SELECT count(*) FROM decision WHERE " + key + " AND date = DATE '2027-06-15'")).as("June's decision").isOne();

        // a registration of 14 June that arrives only now is older than the decided one: stale, nothing written
        assertThat(push(pupil, "2027-06-15", "B", "2027-06-14T09:00:00+02:00").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> decisions(pupil, "2027-06-15").contains("STALE"));
        assertThat(informatCell(pupil.path("personId").asText(), "2027-06-15", "VM").path("absenceCode").asText()).isEqualTo("Z");
        // the administration's correction of today wins and reaches Smartschool
        assertThat(informatRegister(pupil.path("personId").asText(), "2027-06-15", "VM", "R", null).status()).isLessThan(300);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode cell = smartschoolCell(internal, "2027-06-15", "am");
            return cell != null && "R".equals(cell.path("code").asText());
        });
    }

    @Test
    void freeTextIsGoneOnceItsGraceHasPassedAndNotBefore() {
        JsonNode pupil = student("secundair", true, 21);
        String internal = internalNumberOf(pupil);
        String registration = pupil.path("studentNo").asText();
        // the bridge's clock is the database's here: the record's end is dated by both (processed, delivered)
        clock.set(Instant.now());
        assertThat(smartschoolRegister(internal, "2026-11-26", "am", "Z", null, "ziekenhuis").status()).isLessThan(300);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode cell = informatCell(pupil.path("personId").asText(), "2026-11-26", "VM");
            return cell != null && "ziekenhuis".equals(cell.path("remark").asText());
        });
        String inInbox = "SELECT count(*) FROM inbox WHERE payload->>'registrationNumber' = ? AND payload::text LIKE '%ziekenhuis%'";
        String inOutbox = "SELECT count(*) FROM outbox WHERE registration_number = ? AND record::text LIKE '%ziekenhuis%'";
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM outbox WHERE registration_number = ? AND state = 'PENDING'",
                registration) == 0);
        assertThat(count(inInbox, registration)).isOne();
        assertThat(count(inOutbox, registration)).isOne();
        // a finished reconciliation's cell with a remark
        long run = jdbc.queryForObject("""
                INSERT INTO reconciliation (kind, scope_kind, scope, date_from, date_to, repair, started_by, state, phase, updated_at)
                VALUES ('RECONCILIATION', 'PLATFORM', 'school1', DATE '2026-11-26', DATE '2026-11-26', true, 'test', 'DONE', 'END', now())
                RETURNING id""", Long.class);
        jdbc.update("""
                INSERT INTO reconciliation_difference (reconciliation_id, institution_number, registration_number, date, part, branch,
                                                       action, cell)
                VALUES (?, ?, ?, DATE '2026-11-26', 'AM', 1, 'COPY_TO_SMARTSCHOOL', '{"remark":"ziekenhuis","absenceCode":"Z"}')""",
                run, pupil.path("instituteNo").asText(), registration);
        Instant ended = jdbc.queryForObject("""
                SELECT greatest((SELECT max(processed_at) FROM inbox WHERE payload->>'registrationNumber' = ?),
                                (SELECT max(done_at) FROM outbox WHERE registration_number = ?))""",
                Timestamp.class, registration, registration).toInstant();

        // six days after the record reached its end: the text stays (free-text-after is seven)
        clock.set(ended.plus(Duration.ofDays(6)));
        retention();
        assertThat(count(inInbox, registration)).isOne();
        assertThat(count(inOutbox, registration)).isOne();
        assertThat(count("SELECT count(*) FROM reconciliation_difference WHERE reconciliation_id = ? AND cell->>'remark' = 'ziekenhuis'", run)).isOne();

        // eight days after: gone from every JSON column, while the event, the write and the decision stay
        clock.set(ended.plus(Duration.ofDays(8)));
        JsonNode counts = retention();
        assertThat(count(inInbox, registration)).isZero();
        assertThat(count(inOutbox, registration)).isZero();
        assertThat(count("SELECT count(*) FROM reconciliation_difference WHERE reconciliation_id = ? AND cell::text LIKE '%ziekenhuis%'", run)).isZero();
        assertThat(count("SELECT count(*) FROM inbox WHERE payload->>'registrationNumber' = ? AND payload->>'code' = 'Z'", registration)).isOne();
        assertThat(count("SELECT count(*) FROM outbox WHERE registration_number = ? AND record->>'officialCode' = 'Z'", registration)).isOne();
        assertThat(count("SELECT count(*) FROM decision WHERE registration_number = ? AND date = DATE '2026-11-26'", registration)).isOne();
        assertThat(counts.path("inboxFreeTextCleared").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(counts.path("outboxFreeTextCleared").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(counts.path("reconciliationFreeTextCleared").asLong()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theStorageReportCountsWhatIsThere() {
        for (int i = 0; i < 3; i++) {
            deadLetter("S" + i, Instant.now(), null, null, null);
        }
        inbox("INFORMAT", "{\"instituteNo\":\"990001\",\"studentNo\":\"S1\",\"remark\":\"logopedie\"}", Instant.now(), Instant.now(), null);
        inbox("SMARTSCHOOL", event("S2", "2026-11-20", "tandarts"), Instant.now(), Instant.now(), null);
        inbox("SMARTSCHOOL", event("S3", "2026-11-20", ""), Instant.now(), Instant.now(), null);

        Http.Response answer = http.get("/api/admin/storage", "Authorization", "Basic "
                + java.util.Base64.getEncoder().encodeToString(("viewer:" + VIEWER_PASSWORD).getBytes()));
        assertThat(answer.status()).as("a viewer reads it").isEqualTo(200);
        JsonNode report = answer.json();
        Map<String, JsonNode> tables = new LinkedHashMap<>();
        report.path("tables").forEach(t -> tables.put(t.path("table").asText(), t));
        assertThat(tables).containsKeys("inbox", "outbox", "decision", "audit", "dead_letter", "smartschool_read", "admin_action");
        for (String table : List.of("dead_letter", "inbox", "decision", "audit")) {
            assertThat(tables.get(table).path("rows").asLong()).as(table + " rows").isEqualTo(count("SELECT count(*) FROM " + table));
            assertThat(tables.get(table).path("bytes").asLong()).as(table + " bytes").isPositive();
        }
        assertThat(tables.get("inbox").path("freeTextRows").asLong()).isEqualTo(count(
                "SELECT count(*) FROM inbox WHERE coalesce(payload->>'motivation', '') <> '' OR coalesce(payload->>'remark', '') <> ''"))
                .isGreaterThanOrEqualTo(2);
        assertThat(tables.get("dead_letter").path("oldest").asText()).isNotEmpty();
        assertThat(report.path("databaseBytes").asLong()).isGreaterThan(tables.get("inbox").path("bytes").asLong());

        // the gauges show the scheduled report
        storage.refresh();
        String scrape = http.get("/actuator/prometheus", "Authorization", adminAuth()).text();
        long deadLetters = count("SELECT count(*) FROM dead_letter");
        assertThat(scrape).contains("bridge_storage_rows{table=\"dead_letter\"} " + (double) deadLetters)
                .contains("bridge_storage_free_text_rows{table=\"inbox\"}").contains("bridge_database_bytes ")
                .contains("bridge_database_bytes_limit " + (double) (20L * 1024 * 1024 * 1024));
    }

    /**
     * The gauge of AbsenceBridgeRetentionNotRunning is the time since the last run that ended DONE, on any instance: three
     * days after the last one, then a few seconds once a run has ended.
     */
    @Test
    void theRetentionAlertsGaugeCountsFromTheLastRunThatEnded() {
        retention();
        jdbc.update("UPDATE retention_run SET updated_at = now() - interval '3 days'");
        // the gauges are a snapshot of at most five seconds
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("bridge_retention_last_done_age_seconds") >= 3 * 86_400);
        retention();
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("bridge_retention_last_done_age_seconds") < 60);
    }

    /** Per registration of the traffic test's half-day: sent to delivered (the audit's DELIVERED), in ms, sorted. */
    private List<Double> latencies(String part, Map<String, Long> sent) {
        List<Double> out = new ArrayList<>();
        jdbc.query("""
                SELECT registration_number || '|' || date || '|' || part, min(at) FROM audit
                WHERE decision = 'DELIVERED' AND part = ? AND registration_number || '|' || date || '|' || part = ANY(?)
                GROUP BY 1""", rs -> {
            out.add((double) (rs.getTimestamp(2).getTime() - sent.get(rs.getString(1))));
        }, part, sent.keySet().toArray(String[]::new));
        out.sort(null);
        return out;
    }

    /** Every row the bridge holds of a pupil, per table. */
    private Map<String, Long> rowsOf(JsonNode pupil, String username) {
        String inst = pupil.path("instituteNo").asText();
        String reg = pupil.path("studentNo").asText();
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("inbox", count("""
                SELECT count(*) FROM inbox WHERE (payload->>'institutionNumber' = ? AND payload->>'registrationNumber' = ?)
                                              OR (payload->>'instituteNo' = ? AND payload->>'studentNo' = ?)""", inst, reg, inst, reg));
        for (String table : List.of("outbox", "decision", "audit", "dead_letter", "reconciliation_difference")) {
            out.put(table, count("SELECT count(*) FROM " + table + " WHERE institution_number = ? AND registration_number = ?", inst, reg));
        }
        out.put("smartschool_read", count("SELECT count(*) FROM smartschool_read WHERE username = ?", username));
        out.put("resyncs", count("SELECT count(*) FROM reconciliation WHERE pupils::text LIKE ?", "%\"" + reg + "\"%"));
        return out;
    }

    @Test
    void anErasureLeavesNothingOfThePupilAndEverythingOfTheOthers() throws Exception {
        JsonNode erased = student("secundair", true, 22);
        JsonNode other = student("secundair", true, 23);
        Map<JsonNode, String> usernames = new LinkedHashMap<>();
        for (JsonNode pupil : List.of(erased, other)) {
            String internal = internalNumberOf(pupil);
            for (JsonNode p : smartschoolPupils()) {
                if (p.path("internalNumber").asText().equals(internal)) {
                    usernames.put(pupil, p.path("username").asText());
                }
            }
            assertThat(smartschoolRegister(internal, "2026-11-24", "am", "Z", null, "griep").status()).isLessThan(300);
            assertThat(informatRegister(pupil.path("personId").asText(), "2026-11-25", "VM", "R", "begrafenis").status()).isLessThan(300);
            await().atMost(Duration.ofSeconds(30)).until(() -> informatCell(pupil.path("personId").asText(), "2026-11-24", "VM") != null);
            await().atMost(Duration.ofSeconds(30)).until(() -> smartschoolCell(internal, "2026-11-25", "am") != null);
            // both writes settled and audited: nothing of the pupil is still on its way when the rows are counted
            await().atMost(Duration.ofSeconds(30)).until(() -> decisions(pupil, "2026-11-24").contains("DELIVERED")
                    && decisions(pupil, "2026-11-25").contains("DELIVERED") && count("SELECT count(*) FROM outbox WHERE "
                    + "registration_number = ? AND state = 'PENDING'", pupil.path("studentNo").asText()) == 0);
            String inst = pupil.path("instituteNo").asText();
            String reg = pupil.path("studentNo").asText();
            jdbc.update("""
                    INSERT INTO dead_letter (stage, direction, institution_number, registration_number, date, part, reason)
                    VALUES ('DELIVER', 'smartschool-to-informat', ?, ?, DATE '2026-11-23', 'AM', 'test')""", inst, reg);
            long run = jdbc.queryForObject("""
                    INSERT INTO reconciliation (kind, scope_kind, scope, pupils, date_from, date_to, repair, started_by, state, phase)
                    VALUES ('RESYNC', 'INSTITUTION', ?, CAST(? AS jsonb), DATE '2026-11-23', DATE '2026-11-23', true, 'test', 'DONE', 'END')
                    RETURNING id""", Long.class, inst, "[{\"institutionNumber\":\"" + inst + "\",\"registrationNumber\":\"" + reg + "\"}]");
            jdbc.update("""
                    INSERT INTO reconciliation_difference (reconciliation_id, institution_number, registration_number, date, part, branch, action)
                    VALUES (?, ?, ?, DATE '2026-11-23', 'AM', 1, 'REVIEW')""", run, inst, reg);
            jdbc.update("INSERT INTO smartschool_read (platform, date, username, part, code) VALUES (?, DATE '2026-11-26', ?, 'am', 'Z')",
                    platformOf(internal), usernames.get(pupil));
        }
        Map<String, Long> before = rowsOf(erased, usernames.get(erased));
        Map<String, Long> othersBefore = rowsOf(other, usernames.get(other));
        assertThat(before.values()).as("the pupil has rows in every table: %s", before).allMatch(n -> n > 0);
        String path = "/api/admin/pupils/" + erased.path("instituteNo").asText() + "/" + erased.path("studentNo").asText();

        assertThat(http.delete(path, "Authorization", "Basic "
                + java.util.Base64.getEncoder().encodeToString(("viewer:" + VIEWER_PASSWORD).getBytes())).status())
                .as("a viewer cannot erase").isEqualTo(403);
        Http.Response answer = http.delete(path, "Authorization", adminAuth());
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("rows").asLong()).isEqualTo(before.values().stream().mapToLong(Long::longValue).sum());

        assertThat(rowsOf(erased, usernames.get(erased)).values()).as("nothing of the pupil is left").allMatch(n -> n == 0);
        assertThat(rowsOf(other, usernames.get(other))).as("everything of the other pupil stays").isEqualTo(othersBefore);
        // the audit records the erasure as a count, without the person
        List<Map<String, Object>> erasures = jdbc.queryForList(
                "SELECT institution_number, registration_number, date, part, direction, detail FROM audit WHERE decision = 'ERASED'");
        assertThat(erasures).hasSize(1);
        assertThat(erasures.get(0)).containsEntry("institution_number", erased.path("instituteNo").asText())
                .containsEntry("registration_number", null).containsEntry("date", null).containsEntry("part", null);
        assertThat((String) erasures.get(0).get("detail")).startsWith(answer.json().path("rows").asLong() + " rows")
                .doesNotContain(erased.path("studentNo").asText());
        // and who did it, without the path's values
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM admin_action WHERE status = 200 AND action = ?",
                "DELETE /api/admin/pupils/{institutionNumber}/{registrationNumber}") == 1);
    }

    @Test
    void aPurgeDuringTrafficLosesNoRecordAndDoublesNone() {
        // a backlog of old rows of another institution: 30,000 each in inbox, outbox and audit, 6,000 chunks each
        jdbc.update("""
                INSERT INTO inbox (source, source_event_id, received_via, payload, received_at, processed_at)
                SELECT 'SMARTSCHOOL', 'backlog-' || g, 'WEBHOOK', jsonb_build_object('institutionNumber', '990002', 'registrationNumber',
                       'B' || g, 'date', '2025-10-01', 'motivation', 'oud'), TIMESTAMPTZ '2025-10-01 10:00+02', TIMESTAMPTZ '2025-10-01 10:00+02'
                FROM generate_series(1, 30000) g""");
        jdbc.update("""
                INSERT INTO outbox (target, institution_number, registration_number, date, part, record, state, created_at, done_at)
                SELECT 'INFORMAT', '990002', 'B' || g, DATE '2025-10-01', 'AM', '{}', 'DONE', TIMESTAMPTZ '2025-10-01 10:00+02',
                       TIMESTAMPTZ '2025-10-01 10:01+02' FROM generate_series(1, 30000) g""");
        jdbc.update("""
                INSERT INTO audit (at, correlation_id, direction, institution_number, registration_number, date, part, decision)
                SELECT TIMESTAMPTZ '2025-08-01 10:00+02', 'backlog', 'smartschool-to-informat', '990002', 'B' || g, DATE '2025-06-01',
                       'AM', 'FORWARDED' FROM generate_series(1, 30000) g""");

        List<JsonNode> pupils = new ArrayList<>();
        Map<JsonNode, String> internals = new LinkedHashMap<>();
        for (int n = 24; n < 28; n++) {
            pupils.add(student("secundair", true, n));
            internals.put(pupils.get(pupils.size() - 1), internalNumberOf(pupils.get(pupils.size() - 1)));
        }
        String[] dates = {"2026-11-16", "2026-11-17", "2026-11-19", "2026-11-20", "2026-11-23", "2026-11-24"};
        Http.Response started = http.postJson("/api/admin/retention", Map.of(), "Authorization", adminAuth());
        long id = started.json().path("id").asLong();
        int whileRunning = 0;
        Map<String, Long> sent = new LinkedHashMap<>();
        for (String date : dates) {
            for (JsonNode pupil : pupils) {
                if ("RUNNING".equals(http.get("/api/admin/retention/" + id, "Authorization", adminAuth()).json().path("state").asText())) {
                    whileRunning++;
                }
                sent.put(pupil.path("studentNo").asText() + "|" + date + "|PM", System.currentTimeMillis());
                assertThat(smartschoolRegister(internals.get(pupil), date, "pm", "Z", null, "traffic").status()).isLessThan(300);
            }
        }
        assertThat(whileRunning).as("registrations made while the purge ran").isGreaterThan(dates.length * pupils.size() / 2);
        await().atMost(Duration.ofSeconds(120)).until(() -> !"RUNNING".equals(
                http.get("/api/admin/retention/" + id, "Authorization", adminAuth()).json().path("state").asText()));
        assertThat(http.get("/api/admin/retention/" + id, "Authorization", adminAuth()).json().path("state").asText()).isEqualTo("DONE");

        // every registration decided once and delivered once
        for (JsonNode pupil : pupils) {
            for (String date : dates) {
                await().atMost(Duration.ofSeconds(30)).until(() -> decisions(pupil, date).contains("DELIVERED"));
                List<String> decided = decisions(pupil, date);
                assertThat(decided.stream().filter("FORWARDED"::equals).count()).as(pupil.path("studentNo") + " " + date + " " + decided).isOne();
                assertThat(decided.stream().filter("DELIVERED"::equals).count()).as(pupil.path("studentNo") + " " + date + " " + decided).isOne();
                assertThat(informatCell(pupil.path("personId").asText(), date, "NM").path("absenceCode").asText()).isEqualTo("Z");
            }
        }
        // and the backlog is gone
        assertThat(count("SELECT count(*) FROM inbox WHERE payload->>'institutionNumber' = '990002'")).isZero();
        assertThat(count("SELECT count(*) FROM outbox WHERE institution_number = '990002'")).isZero();
        assertThat(count("SELECT count(*) FROM audit WHERE institution_number = '990002'")).isZero();

        // the exchange's latency (the simulator's push sent to the delivery audited, both by this machine's clock) beside
        // the purge, and after it for the same pupils (their mornings), written down in the README
        List<Double> during = latencies("PM", sent);
        for (String date : dates) {
            for (JsonNode pupil : pupils) {
                sent.put(pupil.path("studentNo").asText() + "|" + date + "|AM", System.currentTimeMillis());
                assertThat(smartschoolRegister(internals.get(pupil), date, "am", "Z", null, "traffic").status()).isLessThan(300);
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> latencies("AM", sent).size() == dates.length * pupils.size());
        List<Double> after = latencies("AM", sent);
        System.out.printf("retention beside traffic: %d registrations during the purge, sent to delivered p50 %.0f ms, max %.0f ms;"
                        + " after it p50 %.0f ms, max %.0f ms%n", during.size(), during.get(during.size() / 2), during.get(during.size() - 1),
                after.get(after.size() / 2), after.get(after.size() - 1));
    }
}
