package be.absencebridge.exchange;

import be.absencebridge.support.BridgeTest;

import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** DOMAIN.md's rules, one by one, end to end through the running product and both simulators. */
class ExchangeRulesTest extends BridgeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private void pushes(boolean on) {
        http.postJson("/sim/smartschool/admin/faults", Map.of("push", on));
        http.postJson("/sim/informat/admin/faults", Map.of("push", on));
    }

    private void awaitDecision(JsonNode pupil, String date, String decision, int times) {
        awaitUntil(pupil, date, times + " x " + decision,
                () -> decisions(pupil, date).stream().filter(decision::equals).count() >= times);
    }

    private void awaitUntil(JsonNode pupil, String date, String what, java.util.concurrent.Callable<Boolean> condition) {
        try {
            await().atMost(WAIT).until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("waited for " + what + "; the audit says "
                    + http.get("/api/admin/audit?registrationNumber=" + pupil.path("studentNo").asText() + "&date=" + date,
                    "Authorization", adminAuth()).text(), e);
        }
    }

    @Test
    void crossingRegistrationsEndWithTheLastOneInBothPackagesWhicheverArrivesFirst() {
        // Smartschool's registration is older and arrives first; then Informat's newer one
        JsonNode a = student("lager", true);
        pushes(false);
        smartschoolRegister(internalNumberOf(a), "2026-11-26", "pm", "Z", null, null);
        clock.advance(Duration.ofMinutes(1));
        informatRegister(a.path("personId").asText(), "2026-11-26", "NM", "B", null);
        pushes(true);
        poll("smartschool");
        awaitDecision(a, "2026-11-26", "TARGET_NEWER", 1);
        poll("informat");
        await().atMost(WAIT).until(() -> "B".equals(smartschoolCell(internalNumberOf(a), "2026-11-26", "pm").path("code").asText()));
        assertThat(informatCell(a.path("personId").asText(), "2026-11-26", "NM").path("absenceCode").asText()).isEqualTo("B");

        // the other order: Informat's newer registration arrives first, Smartschool's older one after it
        JsonNode b = student("secundair", true);
        pushes(false);
        smartschoolRegister(internalNumberOf(b), "2026-11-27", "am", "Z", null, null);
        clock.advance(Duration.ofMinutes(1));
        informatRegister(b.path("personId").asText(), "2026-11-27", "VM", "P", null);
        pushes(true);
        poll("informat");
        await().atMost(WAIT).until(() -> "P".equals(smartschoolCell(internalNumberOf(b), "2026-11-27", "am").path("code").asText()));
        awaitWritesSettled(b, "2026-11-27");
        clock.advance(Duration.ofSeconds(1));
        poll("smartschool");
        awaitDecision(b, "2026-11-27", "ECHO", 1);
        assertThat(decisions(b, "2026-11-27")).doesNotContain("DEAD_LETTERED");
        assertThat(informatCell(b.path("personId").asText(), "2026-11-27", "VM").path("absenceCode").asText()).isEqualTo("P");
        assertThat(smartschoolCell(internalNumberOf(b), "2026-11-27", "am").path("code").asText()).isEqualTo("P");
    }

    /**
     * The bridge's writes of the pupil's day have settled (the vendor's answer taken, not only given): a register read
     * that began while one was on its way leaves its half-day to the next read.
     */
    private void awaitWritesSettled(JsonNode pupil, String date) {
        await().atMost(WAIT).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM outbox WHERE institution_number = ? AND registration_number = ? AND date = ? AND state = 'PENDING'",
                Long.class, pupil.path("instituteNo").asText(), pupil.path("studentNo").asText(), java.time.LocalDate.parse(date)) == 0);
    }

    private boolean smartschoolShows(String internal, String code) {
        JsonNode cell = smartschoolCell(internal, "2026-11-26", "am");
        return cell != null && code.equals(cell.path("code").asText());
    }

    private boolean informatShows(String person, String code) {
        JsonNode cell = informatCell(person, "2026-11-26", "VM");
        return cell != null && code.equals(cell.path("absenceCode").asText());
    }

    @Test
    void aTeachersChangeSeenOnlyByTheRegisterReadWinsOverTheWriteItReplaced() {
        // the register read has no registration time; a change made after the bridge's write of the half-day must not
        // be dated before that write, or it loses to the very registration it replaced
        JsonNode c = student("secundair", true, 3);
        String internal = internalNumberOf(c);
        String person = c.path("personId").asText();
        pushes(false);
        try {
            poll("smartschool");
            clock.advance(Duration.ofMinutes(1));
            informatRegister(person, "2026-11-26", "VM", "B", null);
            poll("informat");
            await().atMost(WAIT).until(() -> smartschoolShows(internal, "B"));
            awaitWritesSettled(c, "2026-11-26");
            clock.advance(Duration.ofMinutes(1));
            smartschoolRegister(internal, "2026-11-26", "am", "Z", null, null);
            poll("smartschool");
            await().atMost(WAIT).until(() -> informatShows(person, "Z"));

            // a teacher who puts back what the bridge's write replaced: the read looks like the previous one
            clock.advance(Duration.ofMinutes(1));
            informatRegister(person, "2026-11-26", "VM", "P", null);
            poll("informat");
            await().atMost(WAIT).until(() -> smartschoolShows(internal, "P"));
            awaitWritesSettled(c, "2026-11-26");
            clock.advance(Duration.ofMinutes(1));
            smartschoolRegister(internal, "2026-11-26", "am", "Z", null, null);
            poll("smartschool");
            await().atMost(WAIT).until(() -> informatShows(person, "Z"));
            assertThat(smartschoolShows(internal, "Z")).isTrue();
        } finally {
            pushes(true);
        }
    }

    @Test
    void aTeachersChangeWhosePushWasLostIsFoundWhenTheRegisterLooksAsAtItsPreviousRead() {
        // read Z; a pushed B decided after that read; Z again, its push lost: the register looks as at the previous
        // read, and differs from what the bridge holds from Smartschool
        JsonNode d = student("secundair", true, 4);
        String internal = internalNumberOf(d);
        String person = d.path("personId").asText();
        pushes(false);
        try {
            smartschoolRegister(internal, "2026-11-26", "am", "Z", null, null);
            poll("smartschool");
            await().atMost(WAIT).until(() -> informatShows(person, "Z"));
            pushes(true);
            clock.advance(Duration.ofMinutes(1));
            smartschoolRegister(internal, "2026-11-26", "am", "B", null, null);
            await().atMost(WAIT).until(() -> informatShows(person, "B"));
            pushes(false);
            clock.advance(Duration.ofMinutes(1));
            smartschoolRegister(internal, "2026-11-26", "am", "Z", null, null);
            poll("smartschool");
            await().atMost(WAIT).until(() -> informatShows(person, "Z"));
            // and read again, the register shows what is decided: nothing more happens
            int decided = decisions(d, "2026-11-26").size();
            poll("smartschool");
            assertThat(decisions(d, "2026-11-26")).hasSize(decided);
        } finally {
            pushes(true);
        }
    }

    @Test
    void aLatePushOfAnOlderRegistrationChangesNothing() {
        JsonNode s = student("lager", true);
        String internal = internalNumberOf(s);
        smartschoolRegister(internal, "2026-11-20", "am", "R", null, null);
        await().atMost(WAIT).until(() -> informatCell(s.path("personId").asText(), "2026-11-20", "VM") != null);
        // a push from ten minutes earlier, delayed somewhere on the way
        String late = "{\"eventId\":\"late-1\",\"internalNumber\":\"" + internal + "\",\"institutionNumber\":\""
                + s.path("instituteNo").asText() + "\",\"registrationNumber\":\"" + s.path("studentNo").asText()
                + "\",\"date\":\"2026-11-20\",\"part\":\"am\",\"code\":\"B\",\"alias\":null,\"motivation\":null,"
                + "\"registeredAt\":\"2026-11-27T11:50:00+01:00\",\"registeredBy\":\"leerkracht\"}";
        byte[] body = late.getBytes(StandardCharsets.UTF_8);
        Http.Response r = http.post(smartschoolWebhook(internal), "application/json", body,
                smartschoolSigner(internal).of(body));
        assertThat(r.status()).isEqualTo(202);
        awaitDecision(s, "2026-11-20", "STALE", 1);
        assertThat(informatCell(s.path("personId").asText(), "2026-11-20", "VM").path("absenceCode").asText()).isEqualTo("R");
        // the same push again is stored once: no second decision
        assertThat(http.post(smartschoolWebhook(internal), "application/json", body,
                smartschoolSigner(internal).of(body)).status()).isEqualTo(202);
        assertThat(decisions(s, "2026-11-20").stream().filter("STALE"::equals).count()).isEqualTo(1);
    }

    @Test
    void aPushThatArrivesAfterTheRegisterReadSawItsRegistrationIsDecidedOnce() {
        // the teacher's push is stored after a register read already showed the code: the read forwarded it dated at
        // the previous read; the push, with its real and later time, is the same registration and is not written again
        JsonNode p = student("secundair", true, 12);
        String internal = internalNumberOf(p);
        String person = p.path("personId").asText();
        pushes(false);
        try {
            poll("smartschool");
            clock.advance(Duration.ofMinutes(1));
            smartschoolRegister(internal, "2026-11-26", "pm", "R", null, null);
            poll("smartschool");
            await().atMost(WAIT).until(() -> {
                JsonNode written = informatCell(person, "2026-11-26", "NM");
                return written != null && "R".equals(written.path("absenceCode").asText());
            });
        } finally {
            pushes(true);
        }
        JsonNode cell = smartschoolCell(internal, "2026-11-26", "pm");
        String push = "{\"eventId\":\"after-read-1\",\"internalNumber\":\"" + internal + "\",\"institutionNumber\":\""
                + p.path("instituteNo").asText() + "\",\"registrationNumber\":\"" + p.path("studentNo").asText()
                + "\",\"date\":\"2026-11-26\",\"part\":\"pm\",\"code\":\"R\",\"alias\":null,\"motivation\":null,"
                + "\"registeredAt\":\"" + cell.path("registeredAt").asText() + "\",\"registeredBy\":\"leerkracht\"}";
        byte[] body = push.getBytes(StandardCharsets.UTF_8);
        assertThat(http.post(smartschoolWebhook(internal), "application/json", body,
                smartschoolSigner(internal).of(body)).status()).isEqualTo(202);
        awaitDecision(p, "2026-11-26", "DUPLICATE", 1);
        assertThat(decisions(p, "2026-11-26")).filteredOn(d -> !d.equals("DELIVERED"))
                .containsExactlyInAnyOrder("FORWARDED", "DUPLICATE");
        // the corrected time is what a later registration is compared with: one a second before it loses
        String earlier = push.replace("after-read-1", "after-read-2").replace("\"code\":\"R\"", "\"code\":\"Z\"")
                .replace(cell.path("registeredAt").asText(),
                        java.time.OffsetDateTime.parse(cell.path("registeredAt").asText()).minusSeconds(1).toString());
        byte[] older = earlier.getBytes(StandardCharsets.UTF_8);
        assertThat(http.post(smartschoolWebhook(internal), "application/json", older,
                smartschoolSigner(internal).of(older)).status()).isEqualTo(202);
        awaitDecision(p, "2026-11-26", "STALE", 1);
        assertThat(informatCell(person, "2026-11-26", "NM").path("absenceCode").asText()).isEqualTo("R");
    }

    private String smartschoolCode(String internal, String date, String part) {
        JsonNode cell = smartschoolCell(internal, date, part);
        return cell == null ? null : cell.path("code").asText();
    }

    private String informatCode(String person, String date, String partOfDay) {
        JsonNode cell = informatCell(person, date, partOfDay);
        return cell == null ? null : cell.path("absenceCode").asText();
    }

    @Test
    void aLateOlderRegistrationIsWrittenOverWithTheWinnerSoThatBothPackagesHoldIt() {
        // Informat's P reaches Smartschool; then a teacher registers Z on a Smartschool whose clock is ten seconds
        // behind: Z is dated before P, loses (rule 5), and Smartschool gets P back instead of keeping Z for good
        JsonNode s = student("secundair", true, 13);
        String internal = internalNumberOf(s);
        String person = s.path("personId").asText();
        vendorsEchoTheLinksWrites();
        informatRegister(person, "2026-11-24", "VM", "P", null);
        await().atMost(WAIT).until(() -> "P".equals(smartschoolCode(internal, "2026-11-24", "am")));
        String informatAt = informatCell(person, "2026-11-24", "VM").path("timestamp").asText();
        smartschoolRegister(internal, "2026-11-24", "am", "Z", null, null,
                java.time.OffsetDateTime.parse(informatAt).minusSeconds(10).toString());
        awaitDecision(s, "2026-11-24", "STALE", 1);
        awaitUntil(s, "2026-11-24", "P back in Smartschool", () -> "P".equals(smartschoolCode(internal, "2026-11-24", "am")));
        assertThat(informatCode(person, "2026-11-24", "VM")).isEqualTo("P");
        // the write-back's own push is recognised: no loop, and nothing dead-lettered
        awaitDecision(s, "2026-11-24", "ECHO", 1);
        assertThat(decisions(s, "2026-11-24")).doesNotContain("DEAD_LETTERED").filteredOn("STALE"::equals).hasSize(1);
    }

    @Test
    void aCrossingPairWhoseClocksDifferByTenSecondsEndsWithOneCodeInBoth() {
        // Smartschool's clock ten seconds behind: its Z, registered after Informat's B, is dated before it
        JsonNode s = student("secundair", true, 14);
        String internal = internalNumberOf(s);
        String person = s.path("personId").asText();
        pushes(false);
        try {
            informatRegister(person, "2026-11-24", "NM", "B", null);
            String informatAt = informatCell(person, "2026-11-24", "NM").path("timestamp").asText();
            smartschoolRegister(internal, "2026-11-24", "pm", "Z", null, null,
                    java.time.OffsetDateTime.parse(informatAt).minusSeconds(5).toString());
        } finally {
            pushes(true);
        }
        // both arrive, in whichever order the pollers give them
        poll("smartschool");
        poll("informat");
        await().atMost(WAIT).until(() -> "B".equals(smartschoolCode(internal, "2026-11-24", "pm"))
                && "B".equals(informatCode(person, "2026-11-24", "NM")));
        assertThat(decisions(s, "2026-11-24")).doesNotContain("DEAD_LETTERED");
    }

    @Test
    void aliasesAndSubcodesGoThroughTheSchoolsTableOrFallBackToTheOfficialCode() {
        JsonNode s = student("secundair", true);
        String internal = internalNumberOf(s);
        String personId = s.path("personId").asText();
        // Informat subcode Z01 -> Smartschool alias ZM (mapped); R03 -> R (no mapping: official main code)
        informatRegister(personId, "2026-11-20", "VM", "Z01", null);
        informatRegister(personId, "2026-11-20", "NM", "R03", null);
        await().atMost(WAIT).until(() -> smartschoolCell(internal, "2026-11-20", "am") != null
                && smartschoolCell(internal, "2026-11-20", "pm") != null);
        assertThat(smartschoolCell(internal, "2026-11-20", "am").path("alias").asText()).isEqualTo("ZM");
        assertThat(smartschoolCell(internal, "2026-11-20", "am").path("code").asText()).isEqualTo("Z");
        assertThat(smartschoolCell(internal, "2026-11-20", "pm").path("code").asText()).isEqualTo("R");
        assertThat(smartschoolCell(internal, "2026-11-20", "pm").path("alias").isNull()).isTrue();
        // Smartschool alias RB -> Informat R (no mapping)
        smartschoolRegister(internal, "2026-11-19", "am", "R", "RB", null);
        await().atMost(WAIT).until(() -> informatCell(personId, "2026-11-19", "VM") != null);
        assertThat(informatCell(personId, "2026-11-19", "VM").path("absenceCode").asText()).isEqualTo("R");
    }

    @Test
    void aCodeBothPackagesKnowIsExchangedAsItself() {
        JsonNode s = student("secundair", true, 3);
        String internal = internalNumberOf(s);
        String personId = s.path("personId").asText();
        vendorsEchoTheLinksWrites();
        // Informat's L (late) has no official code, but Smartschool knows it too
        informatRegister(personId, "2026-11-17", "VM", "L", null);
        await().atMost(WAIT).until(() -> smartschoolCell(internal, "2026-11-17", "am") != null);
        assertThat(smartschoolCell(internal, "2026-11-17", "am").path("code").asText()).isEqualTo("L");
        // Smartschool's D (doctor's certificate, Z for Discimus) stays D in Informat, through the public Student API
        smartschoolRegister(internal, "2026-11-17", "pm", "D", null, null);
        await().atMost(WAIT).until(() -> informatCell(personId, "2026-11-17", "NM") != null);
        assertThat(informatCell(personId, "2026-11-17", "NM").path("absenceCode").asText()).isEqualTo("D");
        // and each comes back as the bridge's own write (pushed by vendors that echo), decided once
        awaitDecision(s, "2026-11-17", "ECHO", 2);
        assertThat(decisions(s, "2026-11-17")).doesNotContain("PARKED_UNMAPPED", "DEAD_LETTERED");
    }

    @Test
    void aCodeThatMapsToNothingIsParkedWithItsReasonAndReplayedOnceTheTableIsFixed() {
        JsonNode s = student("lager", true);
        String internal = internalNumberOf(s);
        int branch = s.path("locationIdDiscimus").asInt();
        // Smartschool's G (spread of the lesson programme) has no official code and Informat does not know it: parked,
        // not guessed
        smartschoolRegister(internal, "2026-11-19", "am", "G", null, null);
        awaitDecision(s, "2026-11-19", "PARKED_UNMAPPED", 1);
        assertThat(informatCell(s.path("personId").asText(), "2026-11-19", "VM")).isNull();

        // the branch stops defining Z01, which the table maps ZM to: a ZM from Smartschool is parked
        http.putJson("/sim/informat/admin/settings", Map.of("locationIdDiscimus", branch,
                "subcodes", List.of(Map.of("subcode", "R03", "mainCode", "R"))));
        assertThat(smartschoolRegister(internal, "2026-11-18", "am", "Z", "ZM", null).status()).isEqualTo(200);
        awaitDecision(s, "2026-11-18", "PARKED_UNMAPPED", 1);
        JsonNode parked = null;
        for (JsonNode d : deadLetters()) {
            if (d.path("registrationNumber").asText().equals(s.path("studentNo").asText()) && d.path("date").asText().equals("2026-11-18")) {
                parked = d;
            }
        }
        assertThat(parked).isNotNull();
        assertThat(parked.path("stage").asText()).isEqualTo("TRANSLATE");
        assertThat(parked.path("reason").asText()).contains("Z01");
        assertThat(informatCell(s.path("personId").asText(), "2026-11-18", "VM")).isNull();

        // the school fixes its Informat subcodes; the operator replays the record: it arrives
        http.putJson("/sim/informat/admin/settings", Map.of("locationIdDiscimus", branch, "subcodes",
                List.of(Map.of("subcode", "Z01", "mainCode", "Z"), Map.of("subcode", "R03", "mainCode", "R"))));
        // the directory caches branches: the table is read again after bridge.directory-refresh
        Http.Response replay = http.post("/api/admin/dead-letters/" + parked.path("id").asText() + "/replay",
                "application/json", "", "Authorization", adminAuth());
        assertThat(replay.status()).isEqualTo(202);
        await().atMost(WAIT).until(() -> informatCell(s.path("personId").asText(), "2026-11-18", "VM") != null);
        assertThat(informatCell(s.path("personId").asText(), "2026-11-18", "VM").path("absenceCode").asText()).isEqualTo("Z01");
        assertThat(http.post("/api/admin/dead-letters/" + parked.path("id").asText() + "/replay", "application/json", "",
                "Authorization", adminAuth()).status()).isEqualTo(409);
        assertThat(http.post("/api/admin/dead-letters/999999/replay", "application/json", "",
                "Authorization", adminAuth()).status()).isEqualTo(404);
    }

    @Test
    void aPermanentRefusalLandsInTheDeadLetterTableWithTheVendorsReason() {
        JsonNode s = student("lager", true);
        // A is for non-compulsory kindergarten pupils only: Informat refuses it for this pupil (DNF010)
        smartschoolRegister(internalNumberOf(s), "2026-11-17", "am", "A", null, null);
        awaitDecision(s, "2026-11-17", "DEAD_LETTERED", 1);
        JsonNode dead = null;
        for (JsonNode d : deadLetters()) {
            if (d.path("registrationNumber").asText().equals(s.path("studentNo").asText()) && d.path("date").asText().equals("2026-11-17")) {
                dead = d;
            }
        }
        assertThat(dead.path("stage").asText()).isEqualTo("DELIVER");
        assertThat(dead.path("reason").asText()).contains("DNF010");
        // a replay tries again; the rule still refuses it, and it is dead-lettered again with the same reason
        assertThat(http.post("/api/admin/dead-letters/" + dead.path("id").asText() + "/replay", "application/json", "",
                "Authorization", adminAuth()).status()).isEqualTo(202);
        awaitDecision(s, "2026-11-17", "DEAD_LETTERED", 2);
        assertThat(decisions(s, "2026-11-17")).contains("REPLAYED");
    }

    @Test
    void codesRegisteredWhileEitherSideIsSwitchedOffAreNotSentLater() {
        JsonNode s = student("lager", true);
        String internal = internalNumberOf(s);
        String personId = s.path("personId").asText();
        int branch = s.path("locationIdDiscimus").asInt();
        try {
            // Informat's branch off: a teacher's code in Smartschool stays there
            http.putJson("/sim/informat/admin/settings", Map.of("locationIdDiscimus", branch, "exchangeAbsences", false));
            clock.advance(Duration.ofMinutes(1));
            smartschoolRegister(internal, "2026-11-27", "am", "Z", null, null);
            awaitDecision(s, "2026-11-27", "NOT_ACTIVE", 1);
            // and one the bridge does not hear of now (the push is lost): its poller finds it later
            http.postJson("/sim/smartschool/admin/faults", Map.of("push", false));
            smartschoolRegister(internal, "2026-11-26", "pm", "Z", null, null);
            http.postJson("/sim/smartschool/admin/faults", Map.of());
            http.putJson("/sim/informat/admin/settings", Map.of("locationIdDiscimus", branch, "exchangeAbsences", true));
            clock.advance(Duration.ofMinutes(1));
            // Smartschool off: the administration's code in Informat stays there
            http.putJson("/sim/smartschool/admin/settings", Map.of("absenceSyncEnabled", false));
            informatRegister(personId, "2026-11-27", "NM", "P", null);
            awaitDecision(s, "2026-11-27", "NOT_ACTIVE", 2);
            http.putJson("/sim/smartschool/admin/settings", Map.of("absenceSyncEnabled", true));
            clock.advance(Duration.ofMinutes(1));
            // both on again: the pollers read both registers, and the two codes are still not sent. Informat's feed item
            // is what was pushed, stored under the same content id: decided once. Smartschool's register read has no
            // registration time: it sees the teacher's code as registered at the start of the day (its first read of
            // that day), before the exchange was switched on (rule 2)
            poll("smartschool");
            poll("informat");
            await().atMost(WAIT).until(() -> jdbc.queryForObject("SELECT count(*) FROM inbox WHERE processed_at IS NULL", Long.class) == 0);
            assertThat(decisions(s, "2026-11-27")).containsExactly("NOT_ACTIVE", "NOT_ACTIVE", "BEFORE_ACTIVATION");
            // the code never pushed is new to the bridge, but registered before the exchange was on (rule 2)
            awaitDecision(s, "2026-11-26", "BEFORE_ACTIVATION", 1);
            assertThat(informatCell(personId, "2026-11-26", "NM")).isNull();
            assertThat(informatCell(personId, "2026-11-27", "VM")).isNull();
            assertThat(smartschoolCell(internal, "2026-11-27", "pm")).isNull();
            // a code registered now flows
            smartschoolRegister(internal, "2026-11-25", "am", "B", null, null);
            await().atMost(WAIT).until(() -> informatCell(personId, "2026-11-25", "VM") != null
                    && "B".equals(informatCell(personId, "2026-11-25", "VM").path("absenceCode").asText()));
        } finally {
            http.putJson("/sim/smartschool/admin/settings", Map.of("absenceSyncEnabled", true));
            http.putJson("/sim/informat/admin/settings", Map.of("locationIdDiscimus", branch, "exchangeAbsences", true));
        }
    }

    @Test
    void registersSettleAndStaySettled() {
        JsonNode s = student("secundair", true);
        String internal = internalNumberOf(s);
        String personId = s.path("personId").asText();
        smartschoolRegister(internal, "2026-11-26", "am", "Z", "ZM", "attest");
        clock.advance(Duration.ofSeconds(30));
        informatRegister(personId, "2026-11-26", "NM", "R03", "rouw");
        await().atMost(WAIT).until(() -> informatCell(personId, "2026-11-26", "VM") != null
                && smartschoolCell(internal, "2026-11-26", "pm") != null);
        // the pollers read everything back, twice: nothing new is decided, nothing is written
        for (int i = 0; i < 2; i++) {
            poll("smartschool");
            poll("informat");
        }
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> true);
        List<String> decisions = decisions(s, "2026-11-26");
        assertThat(decisions.stream().filter("FORWARDED"::equals).count()).as(decisions.toString()).isEqualTo(2);
        assertThat(decisions.stream().filter("DELIVERED"::equals).count()).as(decisions.toString()).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT max(attempts) FROM outbox WHERE registration_number = ? AND date = ?",
                Integer.class, s.path("studentNo").asText(), java.time.LocalDate.parse("2026-11-26")))
                .as("with healthy vendors every delivery succeeds at its first attempt").isEqualTo(1);
        assertThat(smartschoolCell(internal, "2026-11-26", "am").path("registeredBy").asText()).isEqualTo("leerkracht");
        assertThat(smartschoolCell(internal, "2026-11-26", "am").path("alias").asText()).isEqualTo("ZM");
        assertThat(informatCell(personId, "2026-11-26", "NM").path("registeredBy").asText()).isEqualTo("secretariaat");
        assertThat(informatCell(personId, "2026-11-26", "VM").path("remark").asText()).isEqualTo("attest");
        assertThat(smartschoolCell(internal, "2026-11-26", "pm").path("motivation").asText()).isEqualTo("rouw");
    }
}
