package be.absencebridge.exchange.decide;

import be.absencebridge.domain.AbsenceRecord;
import be.absencebridge.domain.Decision;
import be.absencebridge.domain.SourceSystem;
import be.absencebridge.exchange.ExchangeProperties;
import be.absencebridge.exchange.audit.Audit;
import be.absencebridge.exchange.deliver.DeadLetters;
import be.absencebridge.exchange.deliver.Delivery;
import be.absencebridge.exchange.deliver.Outbox;
import be.absencebridge.exchange.receive.Inbox;
import be.absencebridge.exchange.receive.OwnRegistrations;
import be.absencebridge.exchange.receive.RegisterReads;
import be.absencebridge.exchange.translate.Translator.Translation;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Step 5, the one owner of the decision table: per pupil and half-day the newest registration
 * ({@link LastRegistrationWins}), decided in one transaction with the inbox claim, the outbound intents (a
 * transactional outbox) and the audit. The decision rows are locked in key order, so two deciders of one key (two
 * consumers, two instances, a backfill beside live processing) take turns and never both win, and two batches cannot
 * deadlock. Live processing decides one record, a backfill a day of records: the same rule, the same statements.
 */
@Component("decisions")
public class Decisions implements OwnRegistrations {

    /** A record to decide: translated, with its correlation id and where it came from (an inbox row or a backfill). */
    public record Candidate(AbsenceRecord record, Translation translation, String correlationId, Long inboxId, Long backfillId) {
    }

    /** The decisions of a set of candidates, in their order, and the outbox rows they wrote. */
    public record Result(List<Decision> decisions, List<Map<String, Object>> outboxRows) {
    }

    private static final java.util.Comparator<Key> KEY_ORDER = java.util.Comparator.comparing(Key::institution)
            .thenComparing(Key::registration).thenComparing(Key::date).thenComparing(Key::part);

    private record Key(String institution, String registration, LocalDate date, String part) {
        static Key of(AbsenceRecord r) {
            return new Key(r.institutionNumber(), r.registrationNumber(), r.date(), r.part().name());
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Inbox inbox;
    private final Outbox outbox;
    private final DeadLetters deadLetters;
    private final Audit audit;
    private final java.time.Clock clock;
    private final java.time.Duration unknownPupilWait;
    private final java.time.Duration unknownPupilRecheck;
    private final RegisterReads registerReads;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Decisions.class);

    public Decisions(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, Inbox inbox, Outbox outbox,
                     DeadLetters deadLetters, Audit audit, java.time.Clock clock, be.absencebridge.config.BridgeProperties props,
                     RegisterReads registerReads) {
        this.clock = clock;
        this.registerReads = registerReads;
        this.unknownPupilWait = props.exchange().unknownPupilWait();
        this.unknownPupilRecheck = props.exchange().unknownPupilRecheck();
        this.jdbc = jdbc;
        this.tx = tx;
        this.inbox = inbox;
        this.outbox = outbox;
        this.deadLetters = deadLetters;
        this.audit = audit;
    }

    /** The translated record in the body as a candidate for the decision (what the decision batches gather). */
    public Candidate candidate(Exchange exchange) {
        AbsenceRecord r = exchange.getMessage().getBody(AbsenceRecord.class);
        long inboxId = exchange.getProperty(ExchangeProperties.INBOX_ID, Long.class);
        return new Candidate(r, exchange.getProperty(ExchangeProperties.TRANSLATION, Translation.class), Inbox.correlationId(inboxId),
                inboxId, null);
    }

    /**
     * Decides translated records together (step 5 for the live flow): one transaction claims their inbox rows, locks
     * their decision rows in key order, writes the decisions, the outbox rows of the winners and the audit. An event
     * handed over twice (a push and a recovery) is decided once; one already processed is left. When the database
     * refuses the batch for one record's data, each record is decided again in a transaction of its own, so that one
     * bad record stops only itself (it waits in the inbox for recovery); a deadlock or lock timeout is tried again. The
     * decisions come back in the order of the distinct events given, with the outbox rows written.
     */
    public Result decideBatch(List<Candidate> batch) {
        Map<Long, Candidate> byEvent = new java.util.LinkedHashMap<>();
        for (Candidate c : batch) {
            byEvent.putIfAbsent(c.inboxId(), c);
        }
        List<Candidate> events = new ArrayList<>(byEvent.values());
        Result result;
        try {
            result = decideTogether(events);
        } catch (org.springframework.dao.NonTransientDataAccessResourceException down) {
            // the database itself is not there: the records wait in the inbox for recovery
            throw down;
        } catch (org.springframework.dao.DataAccessException refused) {
            if (events.size() == 1) {
                throw refused;
            }
            LOG.warn("a batch of {} records was refused as a whole ({}): each is decided alone", events.size(),
                    refused.getClass().getSimpleName());
            List<Decision> decisions = new ArrayList<>(events.size());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Candidate c : events) {
                try {
                    Result one = decideTogether(List.of(c));
                    decisions.add(one.decisions().get(0));
                    rows.addAll(one.outboxRows());
                } catch (RuntimeException e) {
                    // the inbox row, not the pupil: the message can carry the record's values
                    LOG.warn("{} inbox row {}: processing postponed ({}: {})", c.record().direction().label(), c.inboxId(),
                            e.getClass().getSimpleName(), e.getMessage());
                    decisions.add(null);
                }
            }
            result = new Result(decisions, rows);
        }
        if (LOG.isDebugEnabled()) {
            for (int i = 0; i < events.size(); i++) {
                LOG.debug("{} {}: {}", events.get(i).record().direction().label(), events.get(i).record().key(), result.decisions().get(i));
            }
        }
        return result;
    }

    /** The candidates claimed and decided in one transaction; a deadlock or lock timeout is tried again twice. */
    private Result decideTogether(List<Candidate> events) {
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.execute(status -> {
                    java.util.Set<Long> claimed = inbox.claimAll(events.stream().map(Candidate::inboxId).toList());
                    List<Candidate> mine = events.stream().filter(c -> claimed.contains(c.inboxId())).toList();
                    Result decided = mine.isEmpty() ? new Result(List.of(), List.of()) : decideAll(mine, true);
                    List<Decision> aligned = new ArrayList<>(events.size());
                    int k = 0;
                    for (Candidate c : events) {
                        aligned.add(claimed.contains(c.inboxId()) ? decided.decisions().get(k++) : Decision.ALREADY_PROCESSED);
                    }
                    return new Result(aligned, decided.outboxRows());
                });
            } catch (org.springframework.dao.PessimisticLockingFailureException contended) {
                if (attempt == 3) {
                    throw contended;
                }
                LOG.info("decision batch of {} tried again after {}", events.size(), contended.getClass().getSimpleName());
            }
        }
    }

    /**
     * Records a record the gate or translation stopped ({@code bridgeStop}); parks it in the dead-letter table when a
     * person must act. A record whose pupil a package does not know yet waits instead (unprocessed in the inbox,
     * {@code WAITING_FOR_PUPIL} in the audit once) and is parked only when it has waited
     * {@code bridge.exchange.unknown-pupil-wait}. Sets {@code bridgeDecision} to what the audit recorded.
     */
    public void stop(Exchange exchange) {
        AbsenceRecord r = exchange.getMessage().getBody(AbsenceRecord.class);
        long inboxId = exchange.getProperty(ExchangeProperties.INBOX_ID, Long.class);
        Decision stop = exchange.getProperty(ExchangeProperties.STOP, Decision.class);
        String reason = exchange.getProperty(ExchangeProperties.REASON, String.class);
        if (stop.waits()) {
            exchange.setProperty(ExchangeProperties.DECISION, tx.execute(status -> waitForPupil(r, inboxId, reason)));
            return;
        }
        Decision recorded = tx.execute(status -> {
            if (!inbox.claim(inboxId)) {
                return Decision.ALREADY_PROCESSED;
            }
            // the same registration read again (a push, then a poll) waits once
            Decision d = stop.parks() && !deadLetters.park(r, stop, reason, inboxId) ? Decision.DUPLICATE : stop.recorded();
            audit.record(Audit.Row.of(r, Inbox.correlationId(inboxId), d, r.code(), reason));
            return d;
        });
        exchange.setProperty(ExchangeProperties.DECISION, recorded);
    }

    /**
     * A record whose pupil a package does not know yet: it waits, and is audited the first time; once it has waited its
     * time it is parked for a person, with the reason and how long it waited.
     */
    private Decision waitForPupil(AbsenceRecord r, long inboxId, String reason) {
        Inbox.Wait w = inbox.waitForPupil(inboxId, reason, unknownPupilRecheck, unknownPupilWait);
        if (w == null) {
            return Decision.ALREADY_PROCESSED;
        }
        if (w.expired()) {
            inbox.claim(inboxId);
            String parked = reason + " since " + w.since() + ", longer than bridge.exchange.unknown-pupil-wait (" + unknownPupilWait + ")";
            Decision d = deadLetters.park(r, Decision.UNKNOWN_PUPIL, parked, inboxId) ? Decision.PARKED_UNKNOWN_PUPIL : Decision.DUPLICATE;
            audit.record(Audit.Row.of(r, Inbox.correlationId(inboxId), d, r.code(), parked));
            return d;
        }
        if (w.first()) {
            audit.record(Audit.Row.of(r, Inbox.correlationId(inboxId), Decision.WAITING_FOR_PUPIL, r.code(),
                    reason + ": waits for a directory read that knows the pupil (at most " + unknownPupilWait + ")"));
        }
        return Decision.WAITING_FOR_PUPIL;
    }

    /**
     * Decides candidates inside the caller's transaction: one locking read of their keys, the decision rows inserted
     * and updated in batches, the intents of the winners written to the outbox, and (with {@code auditIt}) the audit.
     * A key another transaction inserted meanwhile is decided again against that row; a key given twice is decided
     * in turn.
     */
    public Result decideAll(List<Candidate> given, boolean auditIt) {
        // a winner may be dated by its verdict (a register read's change): stored, written and audited so
        List<Candidate> candidates = new ArrayList<>(given);
        Decision[] decisions = new Decision[candidates.size()];
        List<Delivery> intents = new ArrayList<>();
        // the intents of half-days decided before: only these can have older intents waiting in the outbox
        List<Delivery> replacing = new ArrayList<>();
        List<Candidate> restoring = new ArrayList<>();
        List<Audit.Row> audits = new ArrayList<>();
        // half-days given a write to Smartschool by this call (its outbox rows are written at the end)
        Set<Key> writing = new HashSet<>();
        List<AbsenceRecord> deferred = new ArrayList<>();
        List<Outbox.Restamped> restamped = new ArrayList<>();
        List<Integer> pending = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            pending.add(i);
        }
        while (!pending.isEmpty()) {
            List<Integer> round = new ArrayList<>();
            List<Integer> later = new ArrayList<>();
            Set<Key> keys = new HashSet<>();
            for (int i : pending) {
                (keys.add(Key.of(candidates.get(i).record())) ? round : later).add(i);
            }
            Map<Key, LastRegistrationWins.Stored> stored = lock(keys);
            // after the lock: a decider of the same key that wrote an outbox row before has committed it
            Set<Key> onItsWay = writesOnTheirWay(round, candidates);
            onItsWay.addAll(writing);
            LastRegistrationWins.Verdict[] verdicts = new LastRegistrationWins.Verdict[candidates.size()];
            List<Integer> inserts = new ArrayList<>();
            List<Integer> updates = new ArrayList<>();
            for (int i : round) {
                Candidate c = candidates.get(i);
                LastRegistrationWins.Stored s = stored.get(Key.of(c.record()));
                verdicts[i] = LastRegistrationWins.classify(c.record(), c.translation().officialCode(), s,
                        c.record().source() == SourceSystem.SMARTSCHOOL && onItsWay.contains(Key.of(c.record())));
                if (verdicts[i].stores()) {
                    if (!verdicts[i].registeredAt().equals(c.record().registeredAt())) {
                        candidates.set(i, new Candidate(c.record().registeredAt(verdicts[i].registeredAt()), c.translation(),
                                c.correlationId(), c.inboxId(), c.backfillId()));
                    }
                    (s == null ? inserts : updates).add(i);
                }
            }
            // new keys inserted in key order too: two batches inserting the same new keys wait for each other instead of
            // deadlocking
            inserts.sort(java.util.Comparator.comparing((Integer i) -> Key.of(candidates.get(i).record()), KEY_ORDER));
            Set<Key> inserted = insert(inserts, candidates);
            update(updates, candidates);
            // new keys: no older intent of theirs can wait in the outbox (one that raced is decided again below)
            Set<Integer> newKeys = new HashSet<>(inserts);
            Set<Integer> raced = new HashSet<>();
            for (int i : inserts) {
                if (!inserted.contains(Key.of(candidates.get(i).record()))) {
                    // another transaction inserted the key between our read and our insert: decided again, against it
                    raced.add(i);
                }
            }
            for (int i : round) {
                if (raced.contains(i)) {
                    continue;
                }
                Candidate c = candidates.get(i);
                LastRegistrationWins.Verdict v = verdicts[i];
                decisions[i] = v.decision();
                List<Delivery> mine = new ArrayList<>(2);
                if (v.forward()) {
                    mine.add(delivery(c, c.record().source().other()));
                }
                if (v.writeBack()) {
                    mine.add(delivery(c, c.record().source()));
                }
                intents.addAll(mine);
                if (!newKeys.contains(i)) {
                    replacing.addAll(mine);
                }
                if (v.restore()) {
                    restoring.add(c);
                }
                if ((v.forward() && c.record().source() == SourceSystem.INFORMAT)
                        || ((v.writeBack() || v.restore()) && c.record().source() == SourceSystem.SMARTSCHOOL)) {
                    writing.add(Key.of(c.record()));
                }
                if (v.decision() == Decision.DEFERRED) {
                    deferred.add(c.record());
                }
                if (v.restamp()) {
                    AbsenceRecord r = c.record();
                    restamped.add(new Outbox.Restamped(r.source().other(), r.institutionNumber(), r.registrationNumber(), r.date(),
                            r.part().name(), c.correlationId(), c.backfillId()));
                }
                audits.add(Audit.Row.of(c.record(), c.correlationId(), v.decision(), c.translation().officialCode(), v.detail()));
            }
            pending = new ArrayList<>(raced);
            pending.addAll(later);
        }
        List<Map<String, Object>> rows = new ArrayList<>(outbox.enqueue(intents, replacing));
        rows.addAll(outbox.writeBack(writeBacks(restoring)));
        // a registration a read saw first, whose push dated it later: the other package may have refused it as older
        rows.addAll(outbox.writeCorrected(restamped));
        forget(deferred);
        if (auditIt) {
            audit.recordAll(audits);
        }
        return new Result(Arrays.asList(decisions), rows);
    }

    /**
     * The half-days of the round's register-read records from Smartschool whose write to Smartschool had not settled
     * when their read began ({@link Outbox#onItsWay(SourceSystem, List)}).
     */
    private Set<Key> writesOnTheirWay(List<Integer> round, List<Candidate> candidates) {
        List<Outbox.ReadOf> reads = new ArrayList<>();
        for (int i : round) {
            AbsenceRecord r = candidates.get(i).record();
            if (r.source() == SourceSystem.SMARTSCHOOL && r.observed() && r.observation().readAt() != null) {
                reads.add(new Outbox.ReadOf(r.institutionNumber(), r.registrationNumber(), r.date(), r.part().name(),
                        r.observation().readAt()));
            }
        }
        Set<Key> out = new HashSet<>();
        for (String k : outbox.onItsWay(SourceSystem.SMARTSCHOOL, reads)) {
            String[] p = k.split("\\|", 4);
            out.add(new Key(p[0], p[1], LocalDate.parse(p[2]), p[3]));
        }
        return out;
    }

    /**
     * The poller forgets what the reads of deferred records showed of their cells, in this transaction: the next read
     * emits each again, and is decided (in a fixed order: two deciders lock the days' rows without deadlocking).
     */
    private void forget(List<AbsenceRecord> deferred) {
        deferred.stream().filter(r -> r.platform() != null && r.observation().username() != null)
                .map(r -> List.of(r.platform(), r.date().toString(), r.observation().username(), r.part().smartschool()))
                .distinct().sorted(java.util.Comparator.comparing((List<String> k) -> k.get(0)).thenComparing(k -> k.get(1))
                        .thenComparing(k -> k.get(2)).thenComparing(k -> k.get(3)))
                .forEach(k -> registerReads.forget(k.get(0), LocalDate.parse(k.get(1)), k.get(2), k.get(3)));
    }

    /**
     * The winners to write back for losers, each with the moment its package was seen holding the loser: a register
     * read's start, a push's arrival (its inbox row), a backfill's read now. A write of the winner that the package took
     * before that moment was written over; one after it is what the package holds, and is not repeated. A loser its
     * package's feed showed replaced by a later change in the same read is not written over at all.
     */
    private List<Outbox.WriteBack> writeBacks(List<Candidate> losers) {
        if (losers.isEmpty()) {
            return List.of();
        }
        Map<Long, java.time.Instant> received = new HashMap<>();
        Set<Long> replacedWhenRead = new HashSet<>();
        List<Long> inboxIds = losers.stream().map(Candidate::inboxId).filter(java.util.Objects::nonNull).toList();
        if (!inboxIds.isEmpty()) {
            jdbc.query("SELECT id, received_at, replaced_when_read FROM inbox WHERE id IN (:ids)",
                    new MapSqlParameterSource("ids", inboxIds), rs -> {
                        received.put(rs.getLong(1), rs.getTimestamp(2).toInstant());
                        if (rs.getBoolean(3)) {
                            replacedWhenRead.add(rs.getLong(1));
                        }
                    });
        }
        List<Outbox.WriteBack> out = new ArrayList<>(losers.size());
        for (Candidate c : losers) {
            if (c.inboxId() != null && replacedWhenRead.contains(c.inboxId())) {
                // the feed showed a later change of the half-day after it (the bridge's write of the winner, say): the
                // package no longer held it, and what it holds is decided from that change
                continue;
            }
            AbsenceRecord r = c.record();
            java.time.Instant seen = r.observed() && r.observation().readAt() != null ? r.observation().readAt()
                    : c.inboxId() != null && received.containsKey(c.inboxId()) ? received.get(c.inboxId()) : clock.instant();
            out.add(new Outbox.WriteBack(r.source(), r.institutionNumber(), r.registrationNumber(), r.date(), r.part().name(), seen,
                    c.correlationId(), c.backfillId()));
        }
        return out;
    }

    /** The decisions of a day from Smartschool, with the code and alias of the event each was decided from. */
    @Override
    public Map<String, OwnRegistrations.Cell> smartschool(LocalDate date) {
        Map<String, OwnRegistrations.Cell> out = new HashMap<>();
        jdbc.query("""
                SELECT d.institution_number, d.registration_number, d.part, i.payload->>'code', i.payload->>'alias'
                FROM decision d JOIN inbox i ON i.id = d.inbox_id
                WHERE d.date = :date AND d.source = 'SMARTSCHOOL'""",
                new MapSqlParameterSource("date", java.sql.Date.valueOf(date)), rs -> {
                    out.put(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3),
                            new OwnRegistrations.Cell(rs.getString(4), rs.getString(5)));
                });
        return out;
    }

    /** New keys, in the order given (key order: two deciders of the same new keys wait instead of deadlocking). */
    private static final String INSERT = """
            INSERT INTO decision (institution_number, registration_number, date, part, official_code, registered_at,
                                  source, source_rank, inbox_id, backfill_id, source_code)
            SELECT inst, reg, date, part, code, at, source, rank, inbox, backfill, source_code
            FROM unnest(CAST(:insts AS text[]), CAST(:regs AS text[]), CAST(:dates AS date[]), CAST(:parts AS text[]),
                        CAST(:codes AS text[]), CAST(:ats AS timestamptz[]), CAST(:sources AS text[]), CAST(:ranks AS smallint[]),
                        CAST(:inboxes AS bigint[]), CAST(:backfills AS bigint[]), CAST(:sourceCodes AS text[]))
                 WITH ORDINALITY AS v(inst, reg, date, part, code, at, source, rank, inbox, backfill, source_code, n)
            ORDER BY n
            ON CONFLICT DO NOTHING
            RETURNING institution_number, registration_number, date, part""";

    /** Keys decided before, locked by {@link #lock}: their new winners. */
    private static final String UPDATE = """
            UPDATE decision d SET official_code = v.code, registered_at = v.at, source = v.source, source_rank = v.rank,
                                  inbox_id = v.inbox, backfill_id = v.backfill, source_code = v.source_code, decided_at = now()
            FROM unnest(CAST(:insts AS text[]), CAST(:regs AS text[]), CAST(:dates AS date[]), CAST(:parts AS text[]),
                        CAST(:codes AS text[]), CAST(:ats AS timestamptz[]), CAST(:sources AS text[]), CAST(:ranks AS smallint[]),
                        CAST(:inboxes AS bigint[]), CAST(:backfills AS bigint[]), CAST(:sourceCodes AS text[]))
                 AS v(inst, reg, date, part, code, at, source, rank, inbox, backfill, source_code)
            WHERE d.institution_number = v.inst AND d.registration_number = v.reg AND d.date = v.date AND d.part = v.part""";

    /**
     * The stored registrations of these keys, locked in key order (so that deciders never deadlock), with what the
     * Smartschool event each was decided from showed (a register read's, or a push's alias and motivation). The events
     * are read after the lock, by a statement of their own: a row that another decider changed while this one waited
     * for its lock comes back as that decider left it, and so must the event it points to.
     */
    private Map<Key, LastRegistrationWins.Stored> lock(Set<Key> keys) {
        record Row(Key key, String code, OffsetDateTime at, SourceSystem source, Long inboxId) {
        }
        List<Row> rows = new ArrayList<>();
        jdbc.query("""
                SELECT d.institution_number, d.registration_number, d.date, d.part, d.official_code, d.registered_at, d.source,
                       d.inbox_id
                FROM unnest(CAST(:insts AS text[]), CAST(:regs AS text[]), CAST(:dates AS date[]), CAST(:parts AS text[]))
                     AS k(inst, reg, date, part)
                JOIN decision d ON d.institution_number = k.inst AND d.registration_number = k.reg AND d.date = k.date
                                AND d.part = k.part
                ORDER BY d.institution_number, d.registration_number, d.date, d.part
                FOR UPDATE OF d""", keyArrays(keys), rs -> {
            long inbox = rs.getLong(8);
            rows.add(new Row(new Key(rs.getString(1), rs.getString(2), rs.getDate(3).toLocalDate(), rs.getString(4)), rs.getString(5),
                    rs.getTimestamp(6).toInstant().atOffset(ZoneOffset.UTC), SourceSystem.valueOf(rs.getString(7)),
                    rs.wasNull() ? null : inbox));
        });
        List<Long> smartschoolEvents = rows.stream().filter(r -> r.source() == SourceSystem.SMARTSCHOOL && r.inboxId() != null)
                .map(Row::inboxId).toList();
        Map<Long, String[]> events = new HashMap<>();
        if (!smartschoolEvents.isEmpty()) {
            jdbc.query("""
                    SELECT id, payload->'observed' IS NOT NULL, payload->>'alias', payload->>'motivation' FROM inbox
                    WHERE id IN (:ids)""", new MapSqlParameterSource("ids", smartschoolEvents), rs -> {
                events.put(rs.getLong(1), new String[] {String.valueOf(rs.getBoolean(2)), rs.getString(3), rs.getString(4)});
            });
        }
        Map<Key, LastRegistrationWins.Stored> stored = new HashMap<>();
        for (Row r : rows) {
            String[] e = r.inboxId() == null ? null : events.get(r.inboxId());
            stored.put(r.key(), e == null ? new LastRegistrationWins.Stored(r.code(), r.at(), r.source())
                    : new LastRegistrationWins.Stored(r.code(), r.at(), r.source(), Boolean.parseBoolean(e[0]), e[1], e[2]));
        }
        return stored;
    }

    /** Keys as four parallel arrays, for a join with {@code unnest} (one statement, however many keys). */
    private static MapSqlParameterSource keyArrays(Set<Key> keys) {
        int n = keys.size();
        String[] insts = new String[n];
        String[] regs = new String[n];
        String[] dates = new String[n];
        String[] parts = new String[n];
        int i = 0;
        for (Key k : keys) {
            insts[i] = k.institution();
            regs[i] = k.registration();
            dates[i] = k.date().toString();
            parts[i++] = k.part();
        }
        return new MapSqlParameterSource("insts", insts).addValue("regs", regs).addValue("dates", dates).addValue("parts", parts);
    }

    /** Inserts the winners of new keys, in one statement; the keys inserted (not those another decider inserted first). */
    private Set<Key> insert(List<Integer> which, List<Candidate> candidates) {
        Set<Key> inserted = new HashSet<>();
        if (!which.isEmpty()) {
            jdbc.query(INSERT, values(which, candidates), rs -> {
                inserted.add(new Key(rs.getString(1), rs.getString(2), rs.getDate(3).toLocalDate(), rs.getString(4)));
            });
        }
        return inserted;
    }

    /** Writes the new winners of keys decided before, in one statement (it was one a row). */
    private void update(List<Integer> which, List<Candidate> candidates) {
        if (!which.isEmpty()) {
            jdbc.update(UPDATE, values(which, candidates));
        }
    }

    /** The decisions to write, as parallel arrays for {@code unnest}. */
    private static MapSqlParameterSource values(List<Integer> which, List<Candidate> candidates) {
        int n = which.size();
        String[] insts = new String[n];
        String[] regs = new String[n];
        String[] dates = new String[n];
        String[] parts = new String[n];
        String[] codes = new String[n];
        String[] ats = new String[n];
        String[] sources = new String[n];
        Integer[] ranks = new Integer[n];
        Long[] inboxes = new Long[n];
        Long[] backfills = new Long[n];
        String[] sourceCodes = new String[n];
        for (int k = 0; k < n; k++) {
            Candidate c = candidates.get(which.get(k));
            AbsenceRecord r = c.record();
            insts[k] = r.institutionNumber();
            regs[k] = r.registrationNumber();
            dates[k] = r.date().toString();
            parts[k] = r.part().name();
            codes[k] = c.translation().officialCode();
            ats[k] = r.registeredAt().toString();
            sources[k] = r.source().name();
            ranks[k] = r.source().rank();
            inboxes[k] = c.inboxId();
            backfills[k] = c.backfillId();
            // the alias a teacher chose, or the code itself; Informat's subcode or main code
            sourceCodes[k] = r.alias() != null ? r.alias() : r.code();
        }
        return new MapSqlParameterSource("insts", insts).addValue("regs", regs).addValue("dates", dates).addValue("parts", parts)
                .addValue("codes", codes).addValue("ats", ats).addValue("sources", sources).addValue("ranks", ranks)
                .addValue("inboxes", inboxes).addValue("backfills", backfills).addValue("sourceCodes", sourceCodes);
    }

    private static Delivery delivery(Candidate c, SourceSystem target) {
        AbsenceRecord r = c.record();
        Translation t = c.translation();
        return new Delivery(target, c.correlationId(), r.institutionNumber(), r.registrationNumber(), r.date(), r.part(),
                t.officialCode(), t.informatCode(), t.smartschoolAlias(), r.text(), r.registeredAt(), t.smartschoolCode(),
                c.backfillId());
    }
}
