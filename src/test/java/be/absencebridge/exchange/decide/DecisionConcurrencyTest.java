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
     * own (no retry): both finish, because the keys are locked and inserted in key order (in the given order the two
     * would deadlock), and each key is won once.
     */
    @Test
    void twoBatchesOfTheSameKeysInOppositeOrdersNeverDeadlock() throws Exception {
        JsonNode s = student("secundair", true, 30);
        String internal = internalNumberOf(s);
        List<FlemishSchoolCalendar.HalfDaySlot> slots = new FlemishSchoolCalendar(SchoolYear.parse("2026-27")).instructionHalfDays()
                .stream().filter(x -> x.date().isBefore(LocalDate.parse("2026-11-20"))).toList();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 2; round++) {
                List<Decisions.Candidate> a = new ArrayList<>();
                List<Decisions.Candidate> b = new ArrayList<>();
                for (int i = round * 45; i < round * 45 + 45; i++) {
                    var slot = slots.get(i);
                    AbsenceRecord r = new AbsenceRecord(SourceSystem.SMARTSCHOOL, "order-" + i, s.path("instituteNo").asText(),
                            s.path("studentNo").asText(), slot.date(), slot.part(), "Z", null, null,
                            OffsetDateTime.parse("2026-11-27T10:00:00+01:00"), "leerkracht", null, internal);
                    a.add(candidate(r, store(r, "order-" + i + "-a")));
                    b.add(0, candidate(r, store(r, "order-" + i + "-b")));
                }
                CyclicBarrier start = new CyclicBarrier(2);
                Future<Decisions.Result> fa = pool.submit(() -> {
                    start.await();
                    return tx.execute(st -> decisions.decideAll(a, true));
                });
                Future<Decisions.Result> fb = pool.submit(() -> {
                    start.await();
                    return tx.execute(st -> decisions.decideAll(b, true));
                });
                List<Decision> first = fa.get(30, TimeUnit.SECONDS).decisions();
                List<Decision> second = fb.get(30, TimeUnit.SECONDS).decisions();
                for (int i = 0; i < a.size(); i++) {
                    assertThat(List.of(first.get(i), second.get(a.size() - 1 - i))).as("round %d, key %d", round, i)
                            .containsExactlyInAnyOrder(Decision.FORWARDED, Decision.DUPLICATE);
                }
            }
        } finally {
            pool.shutdownNow();
        }
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
