package be.absencebridge.exchange.deliver;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.domain.Decision;
import be.absencebridge.domain.SourceSystem;
import be.absencebridge.exchange.ExchangeProperties;
import be.absencebridge.exchange.audit.Audit;
import be.absencebridge.exchange.audit.BridgeMetrics;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Step 6, the one owner of the outbox table. The decision writes its intents here (in its own transaction: a
 * transactional outbox); the delivery routes claim due rows with a lease before the vendor call (so two instances never
 * deliver a row both), then settle them: done, rescheduled with exponential backoff (or the vendor's
 * {@code Retry-After}), or dead-lettered when the vendor refused for good. Waiting happens in the database, never in
 * memory: a restart loses no retry.
 * <p>
 * A statement that picks rows by key or id says "not settled" ({@code state NOT IN ('DONE', 'SUPERSEDED', 'DEAD')}, the
 * same rows as {@code state = 'PENDING'} under the table's check) rather than {@code state = 'PENDING'}: the latter
 * matches the partial index {@code outbox_due}, which the planner takes to be nearly empty while the table's statistics
 * still show the quiet hours (autovacuum analyzes it some time after a backfill has queued hundreds of thousands of rows),
 * and then it scans every waiting row for every key (measured: 2.4 s for one day's keys in a backfill of 400 pupils,
 * 224 s for 3,600 keys against 248,000 waiting rows; 0.13 s with the key index). Only the outbox poller and the counts
 * ask for {@code state = 'PENDING'}, and want that index.
 */
@Component("outbox")
public class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final int ROWS_PER_INSERT = 1000;

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Audit audit;
    private final DeadLetters deadLetters;
    private final ObjectMapper json;
    private final BridgeMetrics metrics;
    private final BridgeProperties.Delivery settings;
    private final java.time.Clock clock;

    public Outbox(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, Audit audit, DeadLetters deadLetters,
                  ObjectMapper json, BridgeMetrics metrics, BridgeProperties props, java.time.Clock clock) {
        this.clock = clock;

        this.jdbc = jdbc;
        this.tx = tx;
        this.audit = audit;
        this.deadLetters = deadLetters;
        this.json = json;
        this.metrics = metrics;
        this.settings = props.delivery();
    }

    /** The bridge's last writes of a half-day that a target took: when the last finished, the newest registration time. */
    public record LastWrite(java.time.Instant doneAt, java.time.Instant registeredAt) {
    }

    /**
     * The writes to {@code target} of each half-day of {@code date} that the target took (saved, held already, or
     * refused as older than what it holds) and that were done before {@code before}, keyed
     * {@code institution|registration|AM/PM}: from {@code doneAt} on, the target's cell showed the registration of
     * {@code registeredAt} or a newer one. A write the target's interface could not carry is not one.
     */
    public Map<String, LastWrite> lastWrites(SourceSystem target, java.time.LocalDate date, java.time.Instant before) {
        Map<String, LastWrite> out = new java.util.HashMap<>();
        jdbc.query("""
                SELECT institution_number, registration_number, part, max(done_at), max((record->>'registeredAt')::timestamptz)
                FROM outbox
                WHERE target = :target AND date = :date AND state = 'DONE' AND done_at < :before
                  AND (result IS NULL OR result IN ('DELIVERED', 'TARGET_NEWER'))
                GROUP BY 1, 2, 3""",
                new MapSqlParameterSource("target", target.name()).addValue("date", java.sql.Date.valueOf(date))
                        .addValue("before", java.sql.Timestamp.from(before)),
                rs -> {
                    out.put(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3),
                            new LastWrite(rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant()));
                });
        return out;
    }

    /**
     * The half-days of {@code date} whose write to {@code target} was not settled before {@code readAt}, keyed
     * {@code institution|registration|AM/PM}: a register read that began then may show the cell before that write. See
     * {@link #onItsWay(SourceSystem, List)}.
     */
    public java.util.Set<String> onItsWay(SourceSystem target, java.time.LocalDate date, java.time.Instant readAt) {
        java.util.Set<String> out = new java.util.HashSet<>();
        // by the indexes each kind of row has: waiting rows (outbox_due), done rows of a day (outbox_done_day), open
        // dead letters (dead_letter_open)
        jdbc.query("""
                SELECT institution_number, registration_number, part FROM outbox
                WHERE state = 'PENDING' AND target = :target AND date = :date
                UNION
                SELECT institution_number, registration_number, part FROM outbox
                WHERE state = 'DONE' AND target = :target AND date = :date AND done_at >= :readAt
                UNION
                SELECT o.institution_number, o.registration_number, o.part
                FROM dead_letter dl JOIN outbox o ON o.id = dl.outbox_id
                WHERE dl.replayed_at IS NULL AND o.state = 'DEAD' AND o.target = :target AND o.date = :date
                  AND NOT EXISTS (""" + NEWER + ")",
                new MapSqlParameterSource("target", target.name()).addValue("date", java.sql.Date.valueOf(date))
                        .addValue("readAt", java.sql.Timestamp.from(readAt)),
                rs -> {
                    out.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
                });
        return out;
    }

    /** A half-day and the moment a register read of it began. */
    public record ReadOf(String institutionNumber, String registrationNumber, java.time.LocalDate date, String part,
                         java.time.Instant readAt) {
    }

    /**
     * Of these half-days, those whose write to {@code target} was not settled before their read began, keyed
     * {@code institution|registration|date|AM/PM}: a write waiting or in flight (retries included), one settled at or
     * after the read began (the read may not show it), or one in the dead letters for a person (the last write of its
     * half-day: a replay or a repair settles it). The read may show the register before that write.
     */
    public java.util.Set<String> onItsWay(SourceSystem target, List<ReadOf> reads) {
        java.util.Set<String> out = new java.util.HashSet<>();
        if (reads.isEmpty()) {
            return out;
        }
        jdbc.query("""
                SELECT DISTINCT o.institution_number, o.registration_number, o.date, o.part
                FROM unnest(CAST(:insts AS text[]), CAST(:regs AS text[]), CAST(:dates AS date[]), CAST(:parts AS text[]),
                            CAST(:reads AS timestamptz[])) AS k(inst, reg, date, part, read_at)
                JOIN outbox o ON o.target = :target AND o.institution_number = k.inst AND o.registration_number = k.reg
                             AND o.date = k.date AND o.part = k.part
                WHERE o.state NOT IN ('DONE', 'SUPERSEDED', 'DEAD')
                   OR (o.state = 'DONE' AND o.done_at >= k.read_at)
                   OR (o.state = 'DEAD' AND EXISTS (SELECT 1 FROM dead_letter dl WHERE dl.outbox_id = o.id AND dl.replayed_at IS NULL)
                       AND NOT EXISTS (""" + NEWER + "))",
                new MapSqlParameterSource("target", target.name())
                        .addValue("insts", reads.stream().map(ReadOf::institutionNumber).toArray(String[]::new))
                        .addValue("regs", reads.stream().map(ReadOf::registrationNumber).toArray(String[]::new))
                        .addValue("dates", reads.stream().map(r -> r.date().toString()).toArray(String[]::new))
                        .addValue("parts", reads.stream().map(ReadOf::part).toArray(String[]::new))
                        .addValue("reads", reads.stream().map(r -> r.readAt().toString()).toArray(String[]::new)),
                rs -> {
                    out.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getDate(3).toLocalDate() + "|" + rs.getString(4));
                });
        return out;
    }

    /** A later row of the same half-day and target as the outbox row {@code o}. */
    private static final String NEWER = """
            SELECT 1 FROM outbox n WHERE n.target = o.target AND n.institution_number = o.institution_number
              AND n.registration_number = o.registration_number AND n.date = o.date AND n.part = o.part AND n.id > o.id""";

    // ---- intents, in the decision's transaction ----

    /**
     * Writes outbound intents in the caller's transaction: older intents for the same keys and targets that still wait
     * (not claimed by a delivery) are superseded, the new rows go in multi-row inserts. The rows written come back as
     * the outbox poller reads due rows ({@code id}, {@code target}: smartschool or informat), for the same hand-off.
     */
    public List<Map<String, Object>> enqueue(List<Delivery> intents) {
        return enqueue(intents, intents);
    }

    /**
     * The same, where only the half-days of {@code replacing} can have older intents: a half-day decided for the first
     * time in the caller's transaction has none (an outbox row is only ever written for a decided half-day, and decisions
     * are never deleted), so a backfill's or a new registration's rows skip the look-up.
     */
    public List<Map<String, Object>> enqueue(List<Delivery> intents, List<Delivery> replacing) {
        List<Map<String, Object>> rows = new ArrayList<>(intents.size());
        if (intents.isEmpty()) {
            return rows;
        }
        for (SourceSystem target : SourceSystem.values()) {
            List<Delivery> keys = replacing.stream().filter(d -> d.target() == target).toList();
            if (!keys.isEmpty()) {
                jdbc.update("""
                        UPDATE outbox o SET state = 'SUPERSEDED', done_at = now()
                        FROM unnest(CAST(:insts AS text[]), CAST(:regs AS text[]), CAST(:dates AS date[]), CAST(:parts AS text[]))
                             AS k(inst, reg, date, part)
                        WHERE o.target = :target AND o.institution_number = k.inst AND o.registration_number = k.reg
                          AND o.date = k.date AND o.part = k.part
                          AND o.state NOT IN ('DONE', 'SUPERSEDED', 'DEAD') AND (o.locked_until IS NULL OR o.locked_until < now())""",
                        new MapSqlParameterSource("target", target.name())
                                .addValue("insts", keys.stream().map(Delivery::institutionNumber).toArray(String[]::new))
                                .addValue("regs", keys.stream().map(Delivery::registrationNumber).toArray(String[]::new))
                                .addValue("dates", keys.stream().map(d -> d.date().toString()).toArray(String[]::new))
                                .addValue("parts", keys.stream().map(d -> d.part().name()).toArray(String[]::new)));
            }
        }
        for (int from = 0; from < intents.size(); from += ROWS_PER_INSERT) {
            List<Delivery> chunk = intents.subList(from, Math.min(intents.size(), from + ROWS_PER_INSERT));
            StringBuilder sql = new StringBuilder(
                    "INSERT INTO outbox (target, institution_number, registration_number, date, part, record, backfill_id) VALUES ");
            MapSqlParameterSource p = new MapSqlParameterSource();
            for (int i = 0; i < chunk.size(); i++) {
                Delivery d = chunk.get(i);
                sql.append(i == 0 ? "" : ", ").append("(:t").append(i).append(", :i").append(i).append(", :r").append(i)
                        .append(", :d").append(i).append(", :p").append(i).append(", CAST(:j").append(i).append(" AS jsonb), :b")
                        .append(i).append(")");
                p.addValue("t" + i, d.target().name()).addValue("i" + i, d.institutionNumber())
                        .addValue("r" + i, d.registrationNumber()).addValue("d" + i, d.date())
                        .addValue("p" + i, d.part().name()).addValue("j" + i, write(d))
                        .addValue("b" + i, d.backfillId(), java.sql.Types.BIGINT);
            }
            sql.append(" RETURNING id, lower(target) AS target, institution_number AS institution");
            rows.addAll(jdbc.queryForList(sql.toString(), p));
        }
        return rows;
    }

    /**
     * A winner to write back to the package a losing record came from, if that package took the bridge's write of it
     * before it showed the loser ({@code seenAt}): then it holds the loser now.
     */
    public record WriteBack(SourceSystem target, String institutionNumber, String registrationNumber, java.time.LocalDate date,
                            String part, java.time.Instant seenAt, String correlationId, Long backfillId) {
    }

    /**
     * Writes winners back (rule 5: both packages hold the winner), in the caller's transaction: for each half-day the
     * last write to the target is repeated as a new row under the loser's correlation id when it was delivered before
     * the loser was seen. A write still waiting or in flight, held newer by the target, not carried or dead-lettered is
     * not repeated: it is on its way, or the target's own answer stands. The rows written come back as from
     * {@link #enqueue}.
     */
    public List<Map<String, Object>> writeBack(List<WriteBack> winners) {
        if (winners.isEmpty()) {
            return List.of();
        }
        return jdbc.queryForList("""
                WITH k AS (
                    SELECT * FROM unnest(CAST(:targets AS text[]), CAST(:insts AS text[]), CAST(:regs AS text[]),
                                         CAST(:dates AS date[]), CAST(:parts AS text[]), CAST(:seen AS timestamptz[]),
                                         CAST(:cids AS text[]), CAST(:bfs AS bigint[]))
                         AS k(target, inst, reg, date, part, seen, cid, bf)),
                last AS (
                    SELECT DISTINCT ON (k.target, k.inst, k.reg, k.date, k.part)
                           o.target, o.institution_number, o.registration_number, o.date, o.part, o.record, o.state, o.result,
                           o.done_at, k.seen, k.cid, k.bf
                    FROM k JOIN outbox o ON o.target = k.target AND o.institution_number = k.inst
                                        AND o.registration_number = k.reg AND o.date = k.date AND o.part = k.part
                    ORDER BY k.target, k.inst, k.reg, k.date, k.part, o.id DESC)
                INSERT INTO outbox (target, institution_number, registration_number, date, part, record, backfill_id)
                SELECT l.target, l.institution_number, l.registration_number, l.date, l.part,
                       -- the decided time: a push may have corrected it since that write (a register read's registration)
                       jsonb_set(jsonb_set(jsonb_set(l.record, '{correlationId}', to_jsonb(l.cid)), '{backfillId}',
                                           COALESCE(to_jsonb(l.bf), 'null')), '{registeredAt}', to_jsonb(d.registered_at)), l.bf
                FROM last l JOIN decision d ON d.institution_number = l.institution_number
                                           AND d.registration_number = l.registration_number AND d.date = l.date AND d.part = l.part
                WHERE l.state = 'DONE' AND l.result = 'DELIVERED' AND l.done_at <= l.seen
                  AND d.official_code IS NOT DISTINCT FROM l.record->>'officialCode'
                RETURNING id, lower(target) AS target, institution_number AS institution""", new MapSqlParameterSource()
                .addValue("targets", winners.stream().map(w -> w.target().name()).toArray(String[]::new))
                .addValue("insts", winners.stream().map(WriteBack::institutionNumber).toArray(String[]::new))
                .addValue("regs", winners.stream().map(WriteBack::registrationNumber).toArray(String[]::new))
                .addValue("dates", winners.stream().map(w -> w.date().toString()).toArray(String[]::new))
                .addValue("parts", winners.stream().map(WriteBack::part).toArray(String[]::new))
                .addValue("seen", winners.stream().map(w -> w.seenAt().toString()).toArray(String[]::new))
                .addValue("cids", winners.stream().map(WriteBack::correlationId).toArray(String[]::new))
                .addValue("bfs", winners.stream().map(WriteBack::backfillId).toArray(Long[]::new)));
    }

    /** A half-day whose decided registration had its time corrected (a push of what a register read saw first). */
    public record Restamped(SourceSystem target, String institutionNumber, String registrationNumber, java.time.LocalDate date,
                            String part, String correlationId, Long backfillId) {
    }

    /**
     * The write of a registration whose time a push corrected, made again with the corrected time, in the caller's
     * transaction (after the decision row is updated): when the target refused the last write of it as older than what
     * it holds, the corrected time may be newer; when that write is still waiting or in flight, it carries the older
     * time and may be refused so. A write the target took is not repeated. The rows written come back as from
     * {@link #enqueue}.
     */
    public List<Map<String, Object>> writeCorrected(List<Restamped> restamped) {
        if (restamped.isEmpty()) {
            return List.of();
        }
        return jdbc.queryForList("""
                WITH k AS (
                    SELECT * FROM unnest(CAST(:targets AS text[]), CAST(:insts AS text[]), CAST(:regs AS text[]),
                                         CAST(:dates AS date[]), CAST(:parts AS text[]), CAST(:cids AS text[]), CAST(:bfs AS bigint[]))
                         AS k(target, inst, reg, date, part, cid, bf)),
                last AS (
                    SELECT DISTINCT ON (k.target, k.inst, k.reg, k.date, k.part)
                           o.target, o.institution_number, o.registration_number, o.date, o.part, o.record, o.state, o.result,
                           k.cid, k.bf
                    FROM k JOIN outbox o ON o.target = k.target AND o.institution_number = k.inst
                                        AND o.registration_number = k.reg AND o.date = k.date AND o.part = k.part
                    ORDER BY k.target, k.inst, k.reg, k.date, k.part, o.id DESC)
                INSERT INTO outbox (target, institution_number, registration_number, date, part, record, backfill_id)
                SELECT l.target, l.institution_number, l.registration_number, l.date, l.part,
                       jsonb_set(jsonb_set(jsonb_set(l.record, '{correlationId}', to_jsonb(l.cid)), '{backfillId}',
                                           COALESCE(to_jsonb(l.bf), 'null')), '{registeredAt}', to_jsonb(d.registered_at)), l.bf
                FROM last l JOIN decision d ON d.institution_number = l.institution_number
                                           AND d.registration_number = l.registration_number AND d.date = l.date AND d.part = l.part
                WHERE (l.state NOT IN ('DONE', 'SUPERSEDED', 'DEAD') OR (l.state = 'DONE' AND l.result = 'TARGET_NEWER'))
                  AND d.official_code IS NOT DISTINCT FROM l.record->>'officialCode'
                  AND (l.record->>'registeredAt')::timestamptz < d.registered_at
                RETURNING id, lower(target) AS target, institution_number AS institution""", new MapSqlParameterSource()
                .addValue("targets", restamped.stream().map(w -> w.target().name()).toArray(String[]::new))
                .addValue("insts", restamped.stream().map(Restamped::institutionNumber).toArray(String[]::new))
                .addValue("regs", restamped.stream().map(Restamped::registrationNumber).toArray(String[]::new))
                .addValue("dates", restamped.stream().map(w -> w.date().toString()).toArray(String[]::new))
                .addValue("parts", restamped.stream().map(Restamped::part).toArray(String[]::new))
                .addValue("cids", restamped.stream().map(Restamped::correlationId).toArray(String[]::new))
                .addValue("bfs", restamped.stream().map(Restamped::backfillId).toArray(Long[]::new)));
    }

    /**
     * The write of a decided registration to {@code target} for a repair: the bridge's own last write of its code there
     * (its alias or subcode, its text) with the decided time under a new correlation id, or, when the bridge never wrote
     * it there (it came from that package, or from a backfill's read), its official code.
     */
    public Delivery winner(SourceSystem target, String institution, String registration, java.time.LocalDate date,
                           be.absencebridge.domain.HalfDay part, String officialCode, java.time.OffsetDateTime registeredAt,
                           String correlationId) {
        List<String> last = jdbc.queryForList("""
                SELECT record::text FROM outbox
                WHERE target = :target AND institution_number = :inst AND registration_number = :reg AND date = :date
                  AND part = :part AND record->>'officialCode' IS NOT DISTINCT FROM :code
                ORDER BY id DESC LIMIT 1""", new MapSqlParameterSource("target", target.name()).addValue("inst", institution)
                .addValue("reg", registration).addValue("date", date).addValue("part", part.name())
                .addValue("code", officialCode, java.sql.Types.VARCHAR), String.class);
        if (!last.isEmpty()) {
            try {
                Delivery d = json.readValue(last.get(0), Delivery.class);
                // its alias or subcode and text, with the decided time (a push may have corrected it since)
                return new Delivery(d.target(), correlationId, d.institutionNumber(), d.registrationNumber(), d.date(), d.part(),
                        d.officialCode(), d.informatCode(), d.smartschoolAlias(), d.text(), registeredAt, d.smartschoolCode(), null);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return new Delivery(target, correlationId, institution, registration, date, part, officialCode, officialCode, null, null,
                registeredAt, officialCode, null);
    }

    private String write(Delivery d) {
        try {
            return json.writeValueAsString(d);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The rows a reconciliation's repair wrote (as {@link #enqueue} and the decision answer them), marked as that run's, in
     * the caller's transaction: the run is DONE only once they have reached their end.
     */
    public void markRepair(long reconciliationId, List<Map<String, Object>> rows) {
        if (!rows.isEmpty()) {
            jdbc.update("UPDATE outbox SET reconciliation_id = :run WHERE id IN (:ids)", new MapSqlParameterSource("run", reconciliationId)
                    .addValue("ids", rows.stream().map(r -> ((Number) r.get("id")).longValue()).toList()));
        }
    }

    /** A dead-lettered row made due again (a replay), in the caller's transaction; its target's route name. */
    public String reopen(long id) {
        return jdbc.queryForObject("""
                UPDATE outbox SET state = 'PENDING', attempts = 0, next_attempt_at = now(), locked_until = NULL, done_at = NULL
                WHERE id = :id RETURNING lower(target)""", new MapSqlParameterSource("id", id), String.class);
    }

    // ---- batches: a vendor's due rows claimed, called and settled together (one claim, one settling transaction) ----

    /**
     * Claims the due rows among the ids in the body (the aggregator's list) with a lease, in one statement; the
     * body becomes the {@link DeliveryBatch}, or null when none was due (delivered, claimed by another consumer or
     * instance). A row for whose key and target a newer row exists is superseded instead, older rows of its key and
     * target still waiting are superseded with it, and a row waits while an older row of its key and target is in
     * flight: an older intent is never delivered after a newer one, nor beside it (the vendors' writes do not all refuse older data: Informat's Student API leaves
     * ordering its client's writes to the client, and two calls in flight at once may land in either order). A claimed
     * row falls due again when its lease ends: the lease moves its next attempt there, out of the outbox poller's range.
     */
    public DeliveryBatch claimBatch(Exchange exchange) throws Exception {
        List<?> body = exchange.getMessage().getBody(List.class);
        List<Long> ids = body.stream().map(o -> ((Number) o).longValue()).distinct().toList();
        long now = System.nanoTime();
        List<Object[]> rows = ids.isEmpty() ? List.of() : jdbc.query("""
                WITH due AS (
                    SELECT id, target, institution_number, registration_number, date, part FROM outbox
                    -- (state not in the settled ones: state = 'PENDING' would let the planner read the due rows' partial
                    -- index, outbox_due, every row due, for the ids)
                    WHERE id = ANY(CAST(:ids AS bigint[])) AND state NOT IN ('DONE', 'SUPERSEDED', 'DEAD') AND next_attempt_at <= now()
                      AND (locked_until IS NULL OR locked_until < now())
                    ORDER BY id FOR UPDATE SKIP LOCKED),
                kin AS (
                    -- one look-up of each row's half-day and target for the rows that decide it: newer rows (in any
                    -- state) and older rows still waiting or in flight
                    SELECT due.id AS due_id, k.id, k.locked_until FROM due JOIN outbox k ON k.target = due.target
                      AND k.institution_number = due.institution_number AND k.registration_number = due.registration_number
                      AND k.date = due.date AND k.part = due.part
                    WHERE k.id > due.id OR (k.id < due.id AND k.state NOT IN ('DONE', 'SUPERSEDED', 'DEAD'))),
                older AS (
                    UPDATE outbox o SET state = 'SUPERSEDED', done_at = now()
                    WHERE o.id IN (SELECT due_id FROM kin WHERE id > due_id)
                    RETURNING o.id),
                waiting AS (
                    -- older rows of the same half-days still waiting (not in flight): superseded now; a row another
                    -- consumer holds is skipped, and blocks below
                    SELECT p.id FROM outbox p
                    WHERE p.id IN (SELECT id FROM kin WHERE id < due_id AND (locked_until IS NULL OR locked_until < now()))
                      AND p.id NOT IN (SELECT id FROM due) AND p.state NOT IN ('DONE', 'SUPERSEDED', 'DEAD')
                      AND (p.locked_until IS NULL OR p.locked_until < now())
                    FOR UPDATE SKIP LOCKED),
                passed AS (
                    UPDATE outbox SET state = 'SUPERSEDED', done_at = now() WHERE id IN (SELECT id FROM waiting) RETURNING id),
                blocked AS (
                    -- one write of a half-day at a time: a row waits while an older row of its half-day is in flight
                    SELECT due_id FROM kin WHERE id < due_id AND id NOT IN (SELECT id FROM older) AND id NOT IN (SELECT id FROM passed))
                -- the lease also moves the row's next attempt to its end: the outbox poller's range of rows to try again
                -- holds no row in flight
                UPDATE outbox o SET locked_until = now() + make_interval(secs => :lease),
                                    next_attempt_at = now() + make_interval(secs => :lease), attempts = attempts + 1
                FROM due
                WHERE o.id = due.id AND o.id NOT IN (SELECT id FROM older) AND o.id NOT IN (SELECT due_id FROM blocked)
                RETURNING o.id, o.attempts, o.record::text""", new MapSqlParameterSource("ids", ids.toArray(Long[]::new))
                        .addValue("lease", settings.leaseSeconds()),
                (rs, i) -> new Object[] {rs.getLong(1), rs.getInt(2), rs.getString(3)});
        if (rows.isEmpty()) {
            return null;
        }
        List<DeliveryBatch.Item> items = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            items.add(new DeliveryBatch.Item((Long) r[0], (Integer) r[1], json.readValue((String) r[2], Delivery.class), now));
        }
        DeliveryBatch batch = new DeliveryBatch(items);
        exchange.setProperty(ExchangeProperties.BATCH, batch);
        return batch;
    }

    /** A batch of the one item in the body (a split of a batch): it is sent alone. */
    public void alone(Exchange exchange) {
        exchange.setProperty(ExchangeProperties.BATCH, new DeliveryBatch(List.of(exchange.getMessage().getBody(DeliveryBatch.Item.class))));
    }

    /** The item in the body (a split of a batch) becomes the exchange's row, for a writer of one row per call. */
    public void item(Exchange exchange) {
        DeliveryBatch.Item item = exchange.getMessage().getBody(DeliveryBatch.Item.class);
        exchange.setProperty(ExchangeProperties.ITEM, item);
        exchange.setProperty(ExchangeProperties.KEY, item.getDelivery().key());
        exchange.setProperty(ExchangeProperties.DIRECTION, item.getDelivery().direction().label());
    }

    /**
     * A vendor call failed in a way another try may fix (the delivery-call error handler calls this): the exchange's
     * row when it carries one (a call per row), otherwise every row of its batch still without an answer.
     */
    public void failed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (e == null) {
            e = exchange.getException();
        }
        if (e == null) {
            // the breaker's fallback for a call it did not let through
            e = new VendorUnavailableException(Boolean.TRUE.equals(exchange.getProperty(org.apache.camel.ExchangePropertyKey.CIRCUIT_BREAKER_RESPONSE_SHORT_CIRCUITED.getName(),
                    Boolean.class)) ? VendorUnavailableException.CIRCUIT_OPEN : "the call failed without an answer");
        }
        DeliveryBatch.Item item = exchange.getProperty(ExchangeProperties.ITEM, DeliveryBatch.Item.class);
        if (item != null) {
            item.failed(e);
            return;
        }
        for (DeliveryBatch.Item i : exchange.getProperty(ExchangeProperties.BATCH, DeliveryBatch.class).getItems()) {
            if (i.open()) {
                i.failed(e);
            }
        }
    }

    /**
     * Settles a batch in one transaction: delivered rows (saved, unchanged, or the target holds something newer)
     * done with their audit, refused rows in the dead-letter table, the others rescheduled with exponential backoff
     * or the vendor's {@code Retry-After} (or dead-lettered when out of attempts).
     */
    public void settle(Exchange exchange) {
        DeliveryBatch batch = exchange.getProperty(ExchangeProperties.BATCH, DeliveryBatch.class);
        // the lane's Smartschool platform ("" for Informat): the delivery timers' platform label
        String platform = exchange.getProperty(ExchangeProperties.PLATFORM, "", String.class);
        List<DeliveryBatch.Item> done = new ArrayList<>();
        List<DeliveryBatch.Item> refused = new ArrayList<>();
        List<DeliveryBatch.Item> retry = new ArrayList<>();
        for (DeliveryBatch.Item item : batch.getItems()) {
            DeliveryOutcome outcome = item.result().getOutcome();
            (outcome == null ? retry : outcome == DeliveryOutcome.REFUSED ? refused : done).add(item);
        }
        // a lease shorter than the batch's calls lets another consumer claim the rows again and write them twice
        long oldest = batch.getItems().stream().mapToLong(DeliveryBatch.Item::claimedAt).min().orElse(System.nanoTime());
        double heldSeconds = (System.nanoTime() - oldest) / 1e9;
        if (heldSeconds > settings.leaseSeconds()) {
            LOG.warn("{}: a batch of {} rows settled {} s after its claim, beyond its {} s lease: another consumer may have "
                    + "written its rows again (raise bridge.delivery.lease-seconds, or lower batch-size)",
                    batch.getItems().get(0).getDelivery().direction(), batch.getItems().size(), Math.round(heldSeconds),
                    settings.leaseSeconds());
        }
        List<DeliveryBatch.Item> exhausted = retry.stream().filter(i -> i.attempts() >= settings.maxAttempts()).toList();
        retry.removeAll(exhausted);
        tx.executeWithoutResult(s -> {
            if (!done.isEmpty()) {
                // done_at on the bridge's clock: the Smartschool poller compares it with its reads' moments (lastWrites)
                java.sql.Timestamp doneAt = java.sql.Timestamp.from(clock.instant());
                // one statement for the batch's rows (a statement per row was a tenth of the database's time in a backfill)
                jdbc.update("""
                        UPDATE outbox o SET state = 'DONE', result = d.result, outcome = d.outcome, done_at = :doneAt, locked_until = NULL
                        FROM unnest(CAST(:ids AS bigint[]), CAST(:results AS text[]), CAST(:outcomes AS text[])) AS d(id, result, outcome)
                        WHERE o.id = d.id""", new MapSqlParameterSource("doneAt", doneAt)
                        .addValue("ids", done.stream().map(DeliveryBatch.Item::id).toArray(Long[]::new))
                        .addValue("results", done.stream().map(i -> i.result().getOutcome().name()).toArray(String[]::new))
                        .addValue("outcomes", done.stream().map(i -> i.result().getDetail()).toArray(String[]::new)));
                audit.recordAll(done.stream().map(i -> row(i.getDelivery(), i.result().getOutcome().decision(),
                        i.result().getDetail())).toList());
            }
            if (!retry.isEmpty()) {
                // a row to try again whose key has a newer row since is superseded now: the newer one waits for it
                jdbc.update("""
                        UPDATE outbox o SET state = 'SUPERSEDED', done_at = now(), locked_until = NULL, outcome = 'superseded after a failed attempt'
                        WHERE o.id IN (:ids) AND EXISTS (
                            SELECT 1 FROM outbox n WHERE n.target = o.target AND n.institution_number = o.institution_number
                              AND n.registration_number = o.registration_number AND n.date = o.date AND n.part = o.part
                              AND n.id > o.id)""",
                        new MapSqlParameterSource("ids", retry.stream().map(DeliveryBatch.Item::id).toList()));
                jdbc.batchUpdate("""
                        UPDATE outbox SET next_attempt_at = now() + make_interval(secs => :delay), locked_until = NULL, outcome = :reason,
                                          attempts = :attempts
                        WHERE id = :id AND state NOT IN ('DONE', 'SUPERSEDED', 'DEAD')""", retry.stream().map(i -> new MapSqlParameterSource("id", i.id())
                        .addValue("delay", delay(i.failure(), i.attempts())).addValue("reason", reason(i.failure()))
                        .addValue("attempts", i.attempts()))
                        .toArray(MapSqlParameterSource[]::new));
            }
            for (DeliveryBatch.Item i : refused) {
                deadLetter(i, i.result().getDetail(), i.result().getOwnReason(), platform);
            }
            for (DeliveryBatch.Item i : exhausted) {
                String gaveUp = "gave up after " + i.attempts() + " attempts: ";
                deadLetter(i, gaveUp + reason(i.failure()), gaveUp + ownReason(i.failure()), platform);
            }
        });
        int newer = 0;
        for (DeliveryBatch.Item i : done) {
            DeliveryOutcome outcome = i.result().getOutcome();
            newer += outcome == DeliveryOutcome.TARGET_NEWER ? 1 : 0;
            metrics.delivery(i.claimedAt(), i.getDelivery().target(), platform, outcome.metricTag());
            LOG.debug("{} {} {}: {}", i.getDelivery().direction(), i.getDelivery().key(), i.getDelivery().action(), i.result().getDetail());
        }
        for (DeliveryBatch.Item i : refused) {
            metrics.delivery(i.claimedAt(), i.getDelivery().target(), platform, DeliveryOutcome.REFUSED.metricTag());
        }
        for (DeliveryBatch.Item i : retry) {
            metrics.delivery(i.claimedAt(), i.getDelivery().target(), platform, VendorUnavailableException.kindOf(i.failure()));
            audit.count(Decision.RETRY_SCHEDULED, i.getDelivery().direction(), i.getDelivery().institutionNumber(), i.getDelivery().part());
            LOG.debug("{} {} attempt {} failed ({})", i.getDelivery().direction(), i.getDelivery().key(), i.attempts(), reason(i.failure()));
        }
        for (DeliveryBatch.Item i : exhausted) {
            metrics.delivery(i.claimedAt(), i.getDelivery().target(), platform, VendorUnavailableException.kindOf(i.failure()));
        }
        LOG.info("{}: {} delivered, {} held newer by the target, {} refused, {} to retry", batch.getItems().get(0).getDelivery().direction(),
                done.size() - newer, newer, refused.size() + exhausted.size(), retry.size());
    }

    private void deadLetter(DeliveryBatch.Item item, String reason, String ownReason, String platform) {
        Delivery d = item.getDelivery();
        jdbc.update("UPDATE outbox SET state = 'DEAD', outcome = :reason, done_at = now(), locked_until = NULL WHERE id = :id",
                new MapSqlParameterSource("id", item.id()).addValue("reason", reason));
        deadLetters.refused(item.id(), d, reason, ownReason, platform);
        audit.record(row(d, Decision.DEAD_LETTERED, reason));
        // no pupil beside the reason (it can name the code): the dead letter's own row has both, for an admin
        LOG.warn("{}: outbox row {} dead-lettered: {}", d.direction(), item.id(), reason);
    }

    private static Audit.Row row(Delivery d, Decision decision, String detail) {
        return new Audit.Row(d.correlationId(), d.direction(), d.institutionNumber(), d.registrationNumber(), d.date(), d.part(),
                decision, d.officialCode(), d.registeredAt(), detail);
    }

    /**
     * When a row goes again: a call the breaker did not let through when the breaker may let calls through again (spread
     * over its open time, so that the rows do not all meet its first half-open calls); a throttle when the vendor's
     * {@code Retry-After} says; any other failure after an exponential backoff on the attempts that reached the vendor.
     */
    private double delay(Exception e, int attempts) {
        if (!VendorUnavailableException.attempted(e) && "circuit-open".equals(VendorUnavailableException.kindOf(e))) {
            double open = Math.max(1, settings.breaker().waitDurationInOpenState());
            return 1 + java.util.concurrent.ThreadLocalRandom.current().nextDouble() * (open - 1);
        }
        long retryAfter = e instanceof VendorUnavailableException v ? v.retryAfterSeconds() : -1;
        return retryAfter >= 0 ? retryAfter : Math.min(settings.retryMaxDelaySeconds(),
                settings.retryBaseDelayMs() / 1000.0 * Math.pow(2, Math.min(Math.max(attempts, 1) - 1, 20)));
    }

    /**
     * A failure in the bridge's own words, for what leaves the product (the dead letter's event): the message of a
     * {@link VendorUnavailableException} (the bridge writes those), else only the exception's kind, never a message a
     * library or a vendor wrote.
     */
    private static String ownReason(Exception e) {
        if (e == null) {
            return "unknown";
        }
        return e instanceof VendorUnavailableException ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String reason(Exception e) {
        if (e == null) {
            return "unknown";
        }
        if (e instanceof VendorUnavailableException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse(""));
    }
}
