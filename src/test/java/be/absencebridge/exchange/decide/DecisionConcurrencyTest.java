package be.absencebridge.exchange.decide;

import be.absencebridge.domain.Decision;
import be.absencebridge.exchange.ExchangeProperties;
import be.absencebridge.domain.AbsenceRecord;
import be.absencebridge.domain.SourceSystem;
import be.absencebridge.exchange.receive.Inbox;
import be.absencebridge.exchange.translate.Translator;
import be.absencebridge.support.BridgeTest;

import be.absencebridge.domain.FlemishSchoolCalendar;
import be.absencebridge.domain.SchoolYear;
import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The decision on PostgreSQL: two deciders racing on one key never both win. */
class DecisionConcurrencyTest extends BridgeTest {

    @Autowired
    Inbox inbox;
    @Autowired
    Decisions decisions;

    private String decide(AbsenceRecord r, long inboxId) {
        return decisions.decideBatch(List.of(candidate(r, inboxId))).decisions().get(0).name();
    }

    private Decisions.Candidate candidate(AbsenceRecord r, long inboxId) {
        Exchange ex = new DefaultExchange(camel);
        ex.getMessage().setBody(r);
        ex.setProperty(ExchangeProperties.INBOX_ID, inboxId);
        ex.setProperty(ExchangeProperties.TRANSLATION, new Translator.Translation(r.code(), r.code(), r.code(), null));
        return decisions.candidate(ex);
    }

    private long store(AbsenceRecord r, String eventId) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("eventId", eventId);
        payload.put("internalNumber", r.internalNumber());
        payload.put("institutionNumber", r.institutionNumber());
        payload.put("registrationNumber", r.registrationNumber());
        payload.put("date", r.date().toString());
        payload.put("part", r.part().smartschool());
        payload.put("code", r.code());
        payload.put("registeredAt", r.registeredAt().toString());
        return inbox.store(SourceSystem.SMARTSCHOOL, eventId, "WEBHOOK", Http.JSON.valueToTree(payload));
    }

    @Test
    void twoConcurrentDecidersOnOneKeyNeverBothWin() throws Exception {
        JsonNode s = student("lager", true);
        String internal = internalNumberOf(s);
        List<FlemishSchoolCalendar.HalfDaySlot> slots = new FlemishSchoolCalendar(SchoolYear.parse("2026-27")).instructionHalfDays()
                .stream().filter(x -> x.date().getMonthValue() == 10).limit(30).toList();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < slots.size(); i++) {
                var slot = slots.get(i);
                AbsenceRecord r = new AbsenceRecord(SourceSystem.SMARTSCHOOL, "race-" + i, s.path("instituteNo").asText(),
                        s.path("studentNo").asText(), slot.date(), slot.part(), "Z", null, null,
                        OffsetDateTime.parse("2026-11-27T10:00:00+01:00"), "leerkracht", null, internal);
                long a = store(r, "race-" + i + "-a");
                long b = store(r, "race-" + i + "-b");
                CyclicBarrier start = new CyclicBarrier(2);
                Future<String> fa = pool.submit(() -> {
                    start.await();
                    return decide(r, a);
                });
                Future<String> fb = pool.submit(() -> {
                    start.await();
                    return decide(r, b);
                });
                List<String> outcomes = new ArrayList<>(List.of(fa.get(20, TimeUnit.SECONDS), fb.get(20, TimeUnit.SECONDS)));
                assertThat(outcomes).as("round %d on %s %s", i, slot.date(), slot.part()).containsExactlyInAnyOrder("FORWARDED", "DUPLICATE");
                Integer intents = jdbc.queryForObject("""
                        SELECT count(*) FROM outbox WHERE registration_number = ? AND institution_number = ? AND date = ? AND part = ?""",
                        Integer.class, s.path("studentNo").asText(), s.path("instituteNo").asText(), slot.date(), slot.part().name());
                assertThat(intents).as("one outbound intent").isEqualTo(1);
                // and the same event decided again later, on either row, changes nothing
                assertThat(decide(r, a)).isEqualTo("ALREADY_PROCESSED");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Autowired
    org.springframework.transaction.support.TransactionTemplate tx;

    /**
     * Two batches of the same new keys, given in opposite orders, decided at the same moment in transactions of their
     * own (no retry): both finish, because new keys are inserted in key order (in the given order the two deadlock:
     * PostgreSQL aborts one). Both transactions are rolled back and their candidates have no inbox row, so nothing of
     * this test stays in the shared database (other tests need days without decisions).
     */
    @Test
    void twoBatchesOfTheSameKeysInOppositeOrdersNeverDeadlock() throws Exception {
        JsonNode s = student("secundair", true, 30);
        String internal = internalNumberOf(s);
        List<FlemishSchoolCalendar.HalfDaySlot> slots = new FlemishSchoolCalendar(SchoolYear.parse("2026-27")).instructionHalfDays()
                .stream().filter(x -> x.date().isBefore(LocalDate.parse("2026-11-20"))).toList();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // nothing stays, so every round takes the same 90 keys: each round is a chance for the two to meet
            for (int round = 0; round < 5; round++) {
                List<Decisions.Candidate> a = new ArrayList<>();
                List<Decisions.Candidate> b = new ArrayList<>();
                for (int i = 0; i < 90; i++) {
                    var slot = slots.get(i);
                    AbsenceRecord r = new AbsenceRecord(SourceSystem.SMARTSCHOOL, "order-" + i, s.path("instituteNo").asText(),
                            s.path("studentNo").asText(), slot.date(), slot.part(), "Z", null, null,
                            OffsetDateTime.parse("2026-11-27T10:00:00+01:00"), "leerkracht", null, internal);
                    Translator.Translation t = new Translator.Translation(r.code(), r.code(), r.code(), null);
                    a.add(new Decisions.Candidate(r, t, "order-test", null, null));
                    b.add(0, new Decisions.Candidate(r, t, "order-test", null, null));
                }
                CyclicBarrier start = new CyclicBarrier(2);
                Future<List<Decision>> fa = pool.submit(() -> decideAndRollBack(a, start));
                Future<List<Decision>> fb = pool.submit(() -> decideAndRollBack(b, start));
                assertThat(fa.get(30, TimeUnit.SECONDS)).as("round %d, first batch", round).hasSize(a.size()).doesNotContainNull();
                assertThat(fb.get(30, TimeUnit.SECONDS)).as("round %d, second batch", round).hasSize(b.size()).doesNotContainNull();
            }
            assertThat(jdbc.queryForObject("SELECT count(*) FROM decision WHERE institution_number = ? AND registration_number = ?",
                    Integer.class, s.path("instituteNo").asText(), s.path("studentNo").asText())).as("nothing left behind").isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    private List<Decision> decideAndRollBack(List<Decisions.Candidate> batch, CyclicBarrier start) throws Exception {
        start.await();
        return tx.execute(st -> {
            st.setRollbackOnly();
            return decisions.decideAll(batch, true).decisions();
        });
    }

    /** A batch with the same event twice and one decided before: the event is decided once, the old one left. */
    @Test
    void aBatchDecidesEachEventOnce() {
        JsonNode s = student("secundair", true, 31);
        String internal = internalNumberOf(s);
        var slot = new FlemishSchoolCalendar(SchoolYear.parse("2026-27")).instructionHalfDays().stream()
                .filter(x -> x.date().getMonthValue() == 10).skip(5).findFirst().orElseThrow();
        AbsenceRecord r = new AbsenceRecord(SourceSystem.SMARTSCHOOL, "twice-1", s.path("instituteNo").asText(),
                s.path("studentNo").asText(), slot.date(), slot.part(), "Z", null, null,
                OffsetDateTime.parse("2026-11-27T10:00:00+01:00"), "leerkracht", null, internal);
        long old = store(r, "twice-old");
        assertThat(decide(r, old)).isEqualTo("FORWARDED");
        AbsenceRecord newer = r.registeredAt(OffsetDateTime.parse("2026-11-27T10:05:00+01:00"));
        long id = store(newer, "twice-new");
        Decisions.Result result = decisions.decideBatch(List.of(candidate(newer, id), candidate(newer, id), candidate(r, old)));
        assertThat(result.decisions()).containsExactly(Decision.FORWARDED, Decision.ALREADY_PROCESSED);
        assertThat(result.outboxRows()).hasSize(1);
    }

    @Test
    void anEventStoredButNeverProcessedIsRecoveredFromTheInbox() {
        JsonNode s = student("secundair", true);
        String internal = internalNumberOf(s);
        // as if the process died right after the 202: the event is in the inbox and nowhere else
        AbsenceRecord r = new AbsenceRecord(SourceSystem.SMARTSCHOOL, "orphan-1", s.path("instituteNo").asText(),
                s.path("studentNo").asText(), LocalDate.parse("2026-11-12"), be.absencebridge.domain.HalfDay.AM, "B", null, null,
                OffsetDateTime.parse("2026-11-27T11:30:00+01:00"), "leerkracht", null, internal);
        store(r, "orphan-1");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> informatCell(s.path("personId").asText(), "2026-11-12", "VM") != null);
        assertThat(informatCell(s.path("personId").asText(), "2026-11-12", "VM").path("absenceCode").asText()).isEqualTo("B");
    }
}
