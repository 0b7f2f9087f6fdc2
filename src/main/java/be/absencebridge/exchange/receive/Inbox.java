package be.absencebridge.exchange.receive;

import be.absencebridge.domain.AbsenceRecord;
import be.absencebridge.domain.Decision;
import be.absencebridge.domain.SourceSystem;
import be.absencebridge.exchange.ExchangeProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The durable inbox, the one owner of the inbox table: every event is stored, keyed by source and event id, before
 * its sender hears 202. Processing reads it back from here and claims it in its decision's transaction, so a crash
 * between receipt and decision loses nothing and an event handed over twice is decided once.
 */
@Component("inbox")
public class Inbox {

    private final NamedParameterJdbcTemplate jdbc;
    private final InboundEvents events;
    private final ObjectMapper json;
    private final InboxWriter writer;
    private final be.absencebridge.exchange.deliver.DeadLetters deadLetters;

    public Inbox(NamedParameterJdbcTemplate jdbc, InboundEvents events, ObjectMapper json, InboxWriter writer,
                 be.absencebridge.exchange.deliver.DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
        this.jdbc = jdbc;
        this.events = events;
        this.json = json;
        this.writer = writer;
    }

    /**
     * Stores a read push ({@link InboundEvents#read}); {@code bridgeInboxId} is null when the event was stored before,
     * or when the gate found it the bridge's own write coming back (an echo: stored as processed with its ECHO decision
     * in the audit, since processing would stop it anyway: half of all pushes, not worth a processing round each). Both
     * are written by {@link InboxWriter}, together with the pushes that arrive at the same moment.
     */
    public void storePush(Exchange exchange) {
        InboundEvents.Inbound in = exchange.getMessage().getBody(InboundEvents.Inbound.class);
        AbsenceRecord r = in.record();
        if (exchange.getProperty(ExchangeProperties.STOP, Decision.class) == Decision.ECHO) {
            exchange.setProperty(ExchangeProperties.INBOX_ID, null);
            writer.storeEcho(r, in.eventId(), in.payload(), exchange.getProperty(ExchangeProperties.REASON, String.class));
            return;
        }
        Long id = writer.store(r.source(), in.eventId(), in.payload());
        exchange.setProperty(ExchangeProperties.INBOX_ID, id);
        exchange.setProperty(ExchangeProperties.STORED, id == null ? null : new Stored(id, r));
    }

    /** A stored event handed to processing with the record already read (the webhook parsed and checked it). */
    public record Stored(long id, AbsenceRecord record) {
    }

    /** Stores one event; returns its new id, or null when the same event is stored already. */
    public Long store(SourceSystem source, String sourceEventId, String via, JsonNode payload) {
        // (a payload the database cannot store, a NUL character, is refused by the vendor's own read first)
        List<Long> ids = storeAll(source, via, List.of(sourceEventId), List.of(payload));
        return ids.isEmpty() ? null : ids.get(0);
    }

    /**
     * Stores the events a poller read, in one statement (the webhooks' group commit's); returns the ids of those not
     * stored before, in the order read. (A poller reads mostly what was pushed already.)
     */
    public List<Long> storeAll(SourceSystem source, String via, List<String> eventIds, List<JsonNode> payloads) {
        return eventIds.isEmpty() ? List.of()
                : writer.storeNow(source, via, eventIds, payloads.stream().map(JsonNode::toString).toList());
    }

    /**
     * Marks stored events a poller read as replaced in that read by a later change of their half-day (a feed in commit
     * order), in the caller's transaction: their package no longer held them when read, so no winner is written back
     * to it for them (see {@code Decisions}' write-backs).
     */
    public void markReplacedWhenRead(SourceSystem source, java.util.Collection<String> eventIds) {
        if (!eventIds.isEmpty()) {
            jdbc.update("""
                    UPDATE inbox SET replaced_when_read = true
                    WHERE source = :source AND source_event_id = ANY(CAST(:ids AS text[])) AND NOT replaced_when_read""",
                    new MapSqlParameterSource("source", source.name()).addValue("ids", eventIds.toArray(String[]::new)));
        }
    }

    /**
     * Stores the echoes a poller read, in the caller's transaction: as processed, each with its ECHO decision in the audit
     * (the webhooks' way: an echo needs no processing round, and a feed that has the link's own writes has one per write).
     */
    public void storeEchoes(String via, List<AbsenceRecord> echoes, List<String> eventIds, List<JsonNode> payloads) {
        if (!echoes.isEmpty()) {
            writer.storeEchoesNow(via, echoes, eventIds, payloads.stream().map(JsonNode::toString).toList(), BridgeAccounts.ECHO_REASON);
        }
    }

    /**
     * The stored event of the body as the canonical record: as the webhook read it, or read back from the inbox by
     * its id (a poll, a recovery, a replay); null when it was processed already.
     */
    public AbsenceRecord load(Exchange exchange) throws Exception {
        if (exchange.getMessage().getBody() instanceof Stored stored) {
            exchange.setProperty(ExchangeProperties.INBOX_ID, stored.id());
            mark(exchange, stored.record());
            return stored.record();
        }
        long id = exchange.getMessage().getBody(Long.class);
        // by the key alone, whether it was processed read with it: see KEY_ONLY
        List<Object[]> rows = jdbc.query("SELECT source, payload::text, processed_at IS NULL FROM inbox WHERE id = :id",
                new MapSqlParameterSource("id", id), (rs, i) -> new Object[] {rs.getString(1), rs.getString(2), rs.getBoolean(3)});
        exchange.setProperty(ExchangeProperties.INBOX_ID, id);
        if (rows.isEmpty() || !(Boolean) rows.get(0)[2]) {
            return null;
        }
        SourceSystem source = SourceSystem.valueOf((String) rows.get(0)[0]);
        JsonNode payload = json.readTree(((String) rows.get(0)[1]).getBytes(StandardCharsets.UTF_8));
        AbsenceRecord r;
        try {
            r = events.read(source, payload);
        } catch (MalformedEventException e) {
            // a stored item that cannot be read (replayed from the dead letters, and still unreadable): it waits there
            // again, not in a recovery loop
            refuse(source, payload, id, "unreadable: " + e.getMessage());
            return null;
        }
        mark(exchange, r);
        return r;
    }

    /**
     * Stores a vendor's item a poller could not take (unreadable, or implausible where a push would be refused) as
     * processed, waiting in the dead letters with its reason (stage RECEIVE), in the caller's transaction; the cursor
     * then moves past it without losing it. What of the pupil and half-day can be read goes with it.
     */
    public void storeRefused(SourceSystem source, String eventId, JsonNode item, String reason) {
        Long id = store(source, eventId, "POLL", item);
        if (id != null) {
            refuse(source, item, id, reason);
        }
    }

    private void refuse(SourceSystem source, JsonNode item, long id, String reason) {
        claim(id);
        boolean informat = source == SourceSystem.INFORMAT;
        String part = text(item, informat ? "partOfDay" : "part");
        deadLetters.received(source.outbound().label(), text(item, informat ? "instituteNo" : "institutionNumber"),
                text(item, informat ? "studentNo" : "registrationNumber"), day(text(item, "date")),
                part == null ? null : "VM".equalsIgnoreCase(part) || "am".equalsIgnoreCase(part) ? "AM"
                        : "NM".equalsIgnoreCase(part) || "pm".equalsIgnoreCase(part) ? "PM" : null, reason, id);
        LOG.warn("{}: an item left for a person in the dead letters: {}", source.label(), reason);
    }

    private static String text(JsonNode item, String field) {
        JsonNode n = item.get(field);
        return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
    }

    private static java.time.LocalDate day(String text) {
        try {
            return text == null ? null : java.time.LocalDate.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Inbox.class);

    /**
     * Claims a stored event for its decision, in the caller's transaction: true once, false when it was processed
     * already (handed over twice, or by another instance).
     */
    public boolean claim(long id) {
        return jdbc.update("""
                WITH c AS (SELECT id, processed_at FROM inbox WHERE id = :id FOR UPDATE)
                UPDATE inbox i SET processed_at = now() FROM c WHERE i.id = c.id AND c.processed_at IS NULL""",
                new MapSqlParameterSource("id", id)) == 1;
    }

    /*
     * KEY_ONLY: the statements that find an event by its key find it by the key alone and look at processed_at in the row
     * they locked (a CTE with FOR UPDATE is not folded into the statement, and FOR UPDATE gives the row as last committed).
     * With "WHERE id = :id AND processed_at IS NULL" the planner may go through the partial index of waiting events
     * (inbox_unprocessed) instead of the key: its statistics taken while nothing waited make it look empty, and every
     * look-up then read every waiting event's entry, dead ones too (InboxPlanTest; the benchmark's year phase: 0.69 ms a
     * look-up with a year of history, 0.017 ms without).
     */

    /**
     * Claims stored events for their decisions, in the caller's transaction, their rows locked in id order (two batches
     * claiming the same events wait for each other instead of deadlocking); returns those claimed here, not processed
     * before.
     */
    public java.util.Set<Long> claimAll(java.util.Collection<Long> ids) {
        java.util.Set<Long> claimed = new java.util.HashSet<>();
        if (ids.isEmpty()) {
            return claimed;
        }
        jdbc.query("""
                WITH c AS (SELECT id, processed_at FROM inbox WHERE id = ANY(CAST(:ids AS bigint[])) ORDER BY id FOR UPDATE)
                UPDATE inbox i SET processed_at = now() FROM c WHERE i.id = c.id AND c.processed_at IS NULL RETURNING i.id""",
                new MapSqlParameterSource("ids", ids.toArray(Long[]::new)), rs -> {
                    claimed.add(rs.getLong(1));
                });
        return claimed;
    }

    /**
     * A processed event made unprocessed again (a replay of a parked record), in the caller's transaction; inbox-recovery
     * picks it up should the hand-off that follows be lost.
     */
    public void reopen(long id) {
        jdbc.update("""
                UPDATE inbox SET processed_at = NULL, waiting_since = NULL, waiting_reason = NULL,
                                 retry_at = now() + make_interval(secs => :retry) WHERE id = :id""",
                new MapSqlParameterSource("id", id).addValue("retry", writer.retrySeconds()));
    }

    /**
     * How a stored event waits for its pupil: since when (the database's clock), whether it began waiting now, and
     * whether it has waited its time out. Null when it was processed meanwhile.
     */
    public record Wait(java.time.Instant since, boolean first, boolean expired) {
    }

    /**
     * Keeps a stored event waiting for its pupil, in the caller's transaction: unprocessed, with its reason, handed out
     * again after {@code recheck} (or sooner, {@link #releaseWaiting}); {@link Wait#expired} once it has waited
     * {@code wait}. Null when it was processed already.
     */
    public Wait waitForPupil(long id, String reason, java.time.Duration recheck, java.time.Duration wait) {
        List<Wait> w = jdbc.query("""
                WITH c AS (SELECT id, processed_at FROM inbox WHERE id = :id FOR UPDATE)
                UPDATE inbox i SET waiting_since = coalesce(i.waiting_since, now()), waiting_reason = :reason,
                                   retry_at = now() + make_interval(secs => :recheck)
                FROM c WHERE i.id = c.id AND c.processed_at IS NULL
                RETURNING i.waiting_since, i.waiting_since = now(), i.waiting_since + make_interval(secs => :wait) <= now()""",
                new MapSqlParameterSource("id", id).addValue("reason", reason).addValue("recheck", (double) recheck.toSeconds())
                        .addValue("wait", (double) wait.toSeconds()),
                (rs, i) -> new Wait(rs.getTimestamp(1).toInstant(), rs.getBoolean(2), rs.getBoolean(3)));
        return w.isEmpty() ? null : w.get(0);
    }

    /**
     * Everything waiting for a pupil is handed out again now (a directory read may know the pupil); returns how many.
     * inbox-recovery takes them on its next scan.
     */
    public int releaseWaiting() {
        return jdbc.update("""
                UPDATE inbox SET retry_at = now() WHERE processed_at IS NULL AND waiting_since IS NOT NULL AND retry_at > now()""",
                new MapSqlParameterSource());
    }

    /** What waits for a pupil: per direction and reason, how many records and since when (no pupils named). */
    public record Waiting(String source, String reason, long records, java.time.Instant oldest) {
    }

    public List<Waiting> waiting() {
        return jdbc.query("""
                SELECT source, waiting_reason, count(*), min(waiting_since) FROM inbox
                WHERE processed_at IS NULL AND waiting_since IS NOT NULL GROUP BY source, waiting_reason ORDER BY 1, 2""",
                new MapSqlParameterSource(), (rs, i) -> new Waiting(rs.getString(1), rs.getString(2), rs.getLong(3),
                        rs.getTimestamp(4).toInstant()));
    }

    /** How many records wait for a pupil (the gauge). */
    public long waitingCount() {
        Long n = jdbc.queryForObject("SELECT count(*) FROM inbox WHERE processed_at IS NULL AND waiting_since IS NOT NULL",
                new MapSqlParameterSource(), Long.class);
        return n == null ? 0 : n;
    }

    /** The correlation id of everything decided about a stored event (audit, outbox). */
    /**
     * The half-days of {@code date} with a Smartschool push stored and not yet processed, keyed
     * {@code institution|registration|AM/PM}: the register read leaves them to their push (a read that raced the
     * push would decide the cell first, with a guessed time, and the push after it).
     */
    public java.util.Set<String> pendingSmartschoolPushes(java.time.LocalDate date) {
        java.util.Set<String> out = new java.util.HashSet<>();
        jdbc.query("""
                SELECT payload->>'institutionNumber', payload->>'registrationNumber', upper(payload->>'part') FROM inbox
                WHERE processed_at IS NULL AND source = 'SMARTSCHOOL' AND received_via = 'WEBHOOK' AND payload->>'date' = :date""",
                new org.springframework.jdbc.core.namedparam.MapSqlParameterSource("date", date.toString()),
                rs -> {
                    out.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
                });
        return out;
    }

    public static String correlationId(long inboxId) {
        return "in-" + inboxId;
    }

    /** The record's key and direction, for the logs of every step after this one. */
    static void mark(Exchange exchange, AbsenceRecord r) {
        exchange.setProperty(ExchangeProperties.KEY, r.key());
        exchange.setProperty(ExchangeProperties.DIRECTION, r.direction().label());
    }
}
