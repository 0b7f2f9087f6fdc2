package be.absencebridge.bridge;

import be.absencebridge.bridge.AbsenceRecord.SourceSystem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Step 5, last registration wins, as one database transaction per record: the inbox row is marked
 * processed, the stored decision for the pupil, date and half-day is compared and replaced when the record
 * is newer, and the outbound intents are written to the outbox (a transactional outbox), with the audit.
 * The row lock on the decision makes two concurrent deciders on one key take turns: never both win.
 *
 * <p>Order: registration time, then the tie rule (Informat before Smartschool), then the code. A record
 * equal to the stored one is a duplicate (same package) or the bridge's own write coming back (the other
 * package). A tie won against the other package is written to both packages, since the loser may already
 * have been written over the winner's own cell.
 */
@Component("decisions")
public class Decisions {

    public static final String OUTCOME = "bridgeDecision";
    public static final String OUTBOX_IDS = "bridgeOutboxIds";

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Audit audit;
    private final ObjectMapper json;

    public Decisions(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, Audit audit, ObjectMapper json) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.audit = audit;
        this.json = json;
    }

    private record Stored(String officialCode, OffsetDateTime registeredAt, SourceSystem source) {
    }

    /** Decides a translated record; sets {@code bridgeDecision} and {@code bridgeOutboxIds}. */
    public void decide(Exchange exchange) {
        AbsenceRecord r = exchange.getMessage().getBody(AbsenceRecord.class);
        Translator.Translation t = exchange.getProperty(Translator.TRANSLATION, Translator.Translation.class);
        long inboxId = exchange.getProperty(Inbox.INBOX_ID, Long.class);
        List<Map<String, Object>> outboxIds = new ArrayList<>();
        String outcome = tx.execute(status -> claimInbox(inboxId)
                ? decideWithin(r, t, cid(inboxId), inboxId, null, outboxIds, true)
                : "ALREADY_PROCESSED");
        exchange.setProperty(OUTCOME, outcome);
        exchange.setProperty(OUTBOX_IDS, outboxIds);
    }

    /**
     * The decision for one record, inside the caller's transaction: FORWARDED (with its outbox rows added to
     * {@code outboxIds}), STALE, DUPLICATE or ECHO. Used by live processing and by backfills.
     */
    String decideWithin(AbsenceRecord r, Translator.Translation t, String cid, Long inboxId, Long backfillId,
                        List<Map<String, Object>> outboxIds, boolean auditIt) {
        Stored stored = lockStored(r);
        if (stored == null && insertDecision(r, t, inboxId, backfillId)) {
            outboxIds.add(enqueue(r, t, r.source().other(), cid));
            if (auditIt) {
                audit.record(cid, r.direction(), r.institutionNumber(), r.registrationNumber(), r.date(),
                        r.part().name(), "FORWARDED", t.officialCode(), r.registeredAt(), null);
            }
            return "FORWARDED";
        }
        if (stored == null) {
            // another instance inserted the key between our read and our insert: its row is locked now
            stored = lockStored(r);
        }
        int cmp = compare(r, t.officialCode(), stored);
        if (cmp > 0) {
            updateDecision(r, t, inboxId, backfillId);
            outboxIds.add(enqueue(r, t, r.source().other(), cid));
            boolean tie = stored.registeredAt().toInstant().equals(r.registeredAt().toInstant()) && stored.source() != r.source();
            if (tie) {
                outboxIds.add(enqueue(r, t, r.source(), cid));
            }
            if (auditIt) {
                audit.record(cid, r.direction(), r.institutionNumber(), r.registrationNumber(), r.date(),
                        r.part().name(), "FORWARDED", t.officialCode(), r.registeredAt(),
                        tie ? "won a tie at the same registration time: written to both packages" : null);
            }
            return "FORWARDED";
        }
        boolean equal = stored.registeredAt().toInstant().equals(r.registeredAt().toInstant())
                && Objects.equals(stored.officialCode(), t.officialCode());
        String decision = !equal ? "STALE" : stored.source() == r.source() ? "DUPLICATE" : "ECHO";
        if (auditIt) {
            String detail = switch (decision) {
                case "STALE" -> "a newer registration is stored (" + stored.source().name().toLowerCase() + ", " + stored.registeredAt() + ")";
                case "ECHO" -> "equal to what the bridge wrote from " + stored.source().name().toLowerCase();
                default -> "already decided";
            };
            audit.record(cid, r.direction(), r.institutionNumber(), r.registrationNumber(), r.date(),
                    r.part().name(), decision, t.officialCode(), r.registeredAt(), detail);
        }
        return decision;
    }

    /**
     * The decisions for many records of one institution and one day (a backfill's day), set-based: one
     * locking read, then batched writes, inside the caller's transaction. Same rules and outcomes as
     * {@link #decideWithin}; a key inserted concurrently by live processing is decided one by one.
     */
    List<String> decideDay(List<AbsenceRecord> records, List<Translator.Translation> translations, String cid,
                           long backfillId, List<Map<String, Object>> outboxIds, boolean auditIt) {
        List<String> outcomes = new ArrayList<>(java.util.Collections.nCopies(records.size(), (String) null));
        if (records.isEmpty()) {
            return outcomes;
        }
        AbsenceRecord first = records.get(0);
        java.util.Set<String> regs = new java.util.HashSet<>();
        records.forEach(r -> regs.add(r.registrationNumber()));
        Map<String, Stored> stored = new java.util.HashMap<>();
        jdbc.query("""
                SELECT registration_number, part, official_code, registered_at, source FROM decision
                WHERE institution_number = :inst AND date = :date AND registration_number IN (:regs)
                FOR UPDATE""", new MapSqlParameterSource().addValue("inst", first.institutionNumber())
                .addValue("date", first.date()).addValue("regs", regs), rs -> {
                    stored.put(rs.getString(1) + "|" + rs.getString(2), new Stored(rs.getString(3),
                            rs.getTimestamp(4).toInstant().atOffset(java.time.ZoneOffset.UTC), SourceSystem.valueOf(rs.getString(5))));
                });
        List<Integer> inserts = new ArrayList<>();
        List<Integer> updates = new ArrayList<>();
        List<Object[]> intents = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            AbsenceRecord r = records.get(i);
            Translator.Translation t = translations.get(i);
            Stored s = stored.get(r.registrationNumber() + "|" + r.part().name());
            if (s == null) {
                inserts.add(i);
                outcomes.set(i, "FORWARDED");
                intents.add(new Object[] {r, t, r.source().other()});
            } else if (compare(r, t.officialCode(), s) > 0) {
                updates.add(i);
                outcomes.set(i, "FORWARDED");
                intents.add(new Object[] {r, t, r.source().other()});
                if (s.registeredAt().toInstant().equals(r.registeredAt().toInstant()) && s.source() != r.source()) {
                    intents.add(new Object[] {r, t, r.source()});
                }
            } else {
                boolean equal = s.registeredAt().toInstant().equals(r.registeredAt().toInstant())
                        && Objects.equals(s.officialCode(), t.officialCode());
                outcomes.set(i, !equal ? "STALE" : s.source() == r.source() ? "DUPLICATE" : "ECHO");
            }
        }
        int[] inserted = jdbc.batchUpdate("""
                INSERT INTO decision (institution_number, registration_number, date, part, official_code, registered_at,
                                      source, source_rank, inbox_id, backfill_id)
                VALUES (:inst, :reg, :date, :part, :code, :at, :source, :rank, :inbox, :backfill)
                ON CONFLICT DO NOTHING""", inserts.stream().map(i -> values(records.get(i), translations.get(i), null, backfillId))
                .toArray(MapSqlParameterSource[]::new));
        jdbc.batchUpdate("""
                UPDATE decision SET official_code = :code, registered_at = :at, source = :source, source_rank = :rank,
                                    inbox_id = :inbox, backfill_id = :backfill, decided_at = now()
                WHERE institution_number = :inst AND registration_number = :reg AND date = :date AND part = :part""",
                updates.stream().map(i -> values(records.get(i), translations.get(i), null, backfillId))
                        .toArray(MapSqlParameterSource[]::new));
        java.util.Set<AbsenceRecord> raced = new java.util.HashSet<>();
        for (int k = 0; k < inserted.length; k++) {
            if (inserted[k] == 0) {
                raced.add(records.get(inserts.get(k)));
            }
        }
        intents.removeIf(x -> raced.contains((AbsenceRecord) x[0]));
        enqueueAll(intents, cid, outboxIds);
        for (int i = 0; i < records.size(); i++) {
            if (raced.contains(records.get(i))) {
                outcomes.set(i, decideWithin(records.get(i), translations.get(i), cid, null, backfillId, outboxIds, auditIt));
            }
        }
        if (auditIt) {
            List<MapSqlParameterSource> rows = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                if (raced.contains(records.get(i))) {
                    continue;
                }
                AbsenceRecord r = records.get(i);
                rows.add(Audit.row(cid, r.direction(), r.institutionNumber(), r.registrationNumber(), r.date(), r.part().name(),
                        outcomes.get(i), translations.get(i).officialCode(), r.registeredAt(), "backfill"));
                audit.count(outcomes.get(i), r.direction());
            }
            audit.recordAll(rows);
        }
        return outcomes;
    }

    /** Outbound intents of a batch: older waiting intents of the same keys superseded, new rows in multi-row inserts. */
    private void enqueueAll(List<Object[]> intents, String cid, List<Map<String, Object>> outboxIds) {
        if (intents.isEmpty()) {
            return;
        }
        for (SourceSystem target : SourceSystem.values()) {
            List<AbsenceRecord> keys = intents.stream().filter(x -> x[2] == target).map(x -> (AbsenceRecord) x[0]).toList();
            if (keys.isEmpty()) {
                continue;
            }
            java.util.Set<String> regs = new java.util.HashSet<>();
            keys.forEach(r -> regs.add(r.registrationNumber()));
            jdbc.update("""
                    UPDATE outbox SET state = 'SUPERSEDED', done_at = now()
                    WHERE target = :target AND institution_number = :inst AND date = :date AND registration_number IN (:regs)
                      AND state = 'PENDING' AND (locked_until IS NULL OR locked_until < now())""",
                    new MapSqlParameterSource().addValue("target", target.name()).addValue("inst", keys.get(0).institutionNumber())
                            .addValue("date", keys.get(0).date()).addValue("regs", regs));
        }
        for (int from = 0; from < intents.size(); from += 1000) {
            List<Object[]> chunk = intents.subList(from, Math.min(intents.size(), from + 1000));
            StringBuilder sql = new StringBuilder(
                    "INSERT INTO outbox (target, institution_number, registration_number, date, part, record) VALUES ");
            MapSqlParameterSource p = new MapSqlParameterSource();
            for (int i = 0; i < chunk.size(); i++) {
                AbsenceRecord r = (AbsenceRecord) chunk.get(i)[0];
                Translator.Translation t = (Translator.Translation) chunk.get(i)[1];
                SourceSystem target = (SourceSystem) chunk.get(i)[2];
                Delivery d = new Delivery(target, cid, r.institutionNumber(), r.registrationNumber(), r.date(), r.part(),
                        t.officialCode(), t.informatCode(), t.smartschoolAlias(), r.text(), r.registeredAt());
                sql.append(i == 0 ? "" : ", ").append("(:t").append(i).append(", :i").append(i).append(", :r").append(i)
                        .append(", :d").append(i).append(", :p").append(i).append(", CAST(:j").append(i).append(" AS jsonb))");
                try {
                    p.addValue("t" + i, target.name()).addValue("i" + i, r.institutionNumber()).addValue("r" + i, r.registrationNumber())
                            .addValue("d" + i, r.date()).addValue("p" + i, r.part().name()).addValue("j" + i, json.writeValueAsString(d));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
            sql.append(" RETURNING id, lower(target) AS target");
            outboxIds.addAll(jdbc.queryForList(sql.toString(), p));
        }
    }

    /** Records a record the gate or translation stopped; parks it in the dead-letter table when a person must act. */
    public void stop(Exchange exchange) {
        AbsenceRecord r = exchange.getMessage().getBody(AbsenceRecord.class);
        long inboxId = exchange.getProperty(Inbox.INBOX_ID, Long.class);
        String verdict = exchange.getProperty(Gate.VERDICT, String.class);
        String reason = exchange.getProperty(Gate.REASON, String.class);
        boolean park = "UNKNOWN_PUPIL".equals(verdict) || "UNMAPPED".equals(verdict);
        String decision = park ? "PARKED" : verdict;
        exchange.setProperty(OUTCOME, decision);
        tx.executeWithoutResult(status -> {
            if (!claimInbox(inboxId)) {
                return;
            }
            String recorded = park ? "PARKED_" + verdict : verdict;
            if (park) {
                // the same registration read again (a push, then a poll) waits once
                int parked = jdbc.update("""
                        INSERT INTO dead_letter (stage, direction, institution_number, registration_number, date, part,
                                                 reason, code, registered_at, inbox_id)
                        SELECT :stage, :direction, :inst, :reg, :date, :part, :reason, :code, :at, :inbox
                        WHERE NOT EXISTS (SELECT 1 FROM dead_letter
                                          WHERE replayed_at IS NULL AND direction = :direction AND institution_number = :inst
                                            AND registration_number = :reg AND date = :date AND part = :part
                                            AND registered_at = :at AND code IS NOT DISTINCT FROM :code)""",
                        new MapSqlParameterSource()
                        .addValue("stage", "UNMAPPED".equals(verdict) ? "TRANSLATE" : "GATE")
                        .addValue("direction", r.direction()).addValue("inst", r.institutionNumber())
                        .addValue("reg", r.registrationNumber()).addValue("date", r.date()).addValue("part", r.part().name())
                        .addValue("reason", reason).addValue("code", r.code())
                        .addValue("at", Timestamp.from(r.registeredAt().toInstant())).addValue("inbox", inboxId));
                if (parked == 0) {
                    recorded = "DUPLICATE";
                    exchange.setProperty(OUTCOME, recorded);
                }
            }
            audit.record(cid(inboxId), r.direction(), r.institutionNumber(), r.registrationNumber(), r.date(),
                    r.part().name(), recorded, r.code(), r.registeredAt(), reason);
        });
    }

    static String cid(long inboxId) {
        return "in-" + inboxId;
    }

    private boolean claimInbox(long inboxId) {
        return jdbc.update("UPDATE inbox SET processed_at = now() WHERE id = :id AND processed_at IS NULL",
                new MapSqlParameterSource("id", inboxId)) == 1;
    }

    private static int compare(AbsenceRecord r, String officialCode, Stored s) {
        int c = r.registeredAt().toInstant().compareTo(s.registeredAt().toInstant());
        if (c != 0) {
            return c;
        }
        c = Integer.compare(r.source().rank(), s.source().rank());
        if (c != 0) {
            return c;
        }
        return Objects.toString(officialCode, "").compareTo(Objects.toString(s.officialCode(), ""));
    }

    private MapSqlParameterSource key(AbsenceRecord r) {
        return new MapSqlParameterSource()
                .addValue("inst", r.institutionNumber()).addValue("reg", r.registrationNumber())
                .addValue("date", r.date()).addValue("part", r.part().name());
    }

    private Stored lockStored(AbsenceRecord r) {
        List<Stored> rows = jdbc.query("""
                SELECT official_code, registered_at, source FROM decision
                WHERE institution_number = :inst AND registration_number = :reg AND date = :date AND part = :part
                FOR UPDATE""", key(r), (rs, i) -> new Stored(rs.getString(1),
                rs.getTimestamp(2).toInstant().atOffset(java.time.ZoneOffset.UTC), SourceSystem.valueOf(rs.getString(3))));
        return rows.isEmpty() ? null : rows.get(0);
    }

    private boolean insertDecision(AbsenceRecord r, Translator.Translation t, Long inboxId, Long backfillId) {
        return jdbc.update("""
                INSERT INTO decision (institution_number, registration_number, date, part, official_code, registered_at,
                                      source, source_rank, inbox_id, backfill_id)
                VALUES (:inst, :reg, :date, :part, :code, :at, :source, :rank, :inbox, :backfill)
                ON CONFLICT DO NOTHING""", values(r, t, inboxId, backfillId)) == 1;
    }

    private void updateDecision(AbsenceRecord r, Translator.Translation t, Long inboxId, Long backfillId) {
        jdbc.update("""
                UPDATE decision SET official_code = :code, registered_at = :at, source = :source, source_rank = :rank,
                                    inbox_id = :inbox, backfill_id = :backfill, decided_at = now()
                WHERE institution_number = :inst AND registration_number = :reg AND date = :date AND part = :part""",
                values(r, t, inboxId, backfillId));
    }

    private MapSqlParameterSource values(AbsenceRecord r, Translator.Translation t, Long inboxId, Long backfillId) {
        return key(r).addValue("code", t.officialCode())
                .addValue("at", Timestamp.from(r.registeredAt().toInstant()))
                .addValue("source", r.source().name()).addValue("rank", r.source().rank())
                .addValue("inbox", inboxId).addValue("backfill", backfillId);
    }

    /** Writes an outbound intent; older intents for the same key and target that are still waiting are superseded. */
    private Map<String, Object> enqueue(AbsenceRecord r, Translator.Translation t, SourceSystem target, String cid) {
        MapSqlParameterSource p = key(r).addValue("target", target.name());
        jdbc.update("""
                UPDATE outbox SET state = 'SUPERSEDED', done_at = now()
                WHERE target = :target AND institution_number = :inst AND registration_number = :reg
                  AND date = :date AND part = :part AND state = 'PENDING'
                  AND (locked_until IS NULL OR locked_until < now())""", p);
        Delivery d = new Delivery(target, cid, r.institutionNumber(), r.registrationNumber(), r.date(), r.part(),
                t.officialCode(), t.informatCode(), t.smartschoolAlias(), r.text(), r.registeredAt());
        try {
            p.addValue("record", json.writeValueAsString(d));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        long id = jdbc.queryForObject("""
                INSERT INTO outbox (target, institution_number, registration_number, date, part, record)
                VALUES (:target, :inst, :reg, :date, :part, CAST(:record AS jsonb)) RETURNING id""", p, Long.class);
        return Map.of("id", id, "target", target.name().toLowerCase());
    }
}
