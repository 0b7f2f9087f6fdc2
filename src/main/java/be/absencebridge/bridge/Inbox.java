package be.absencebridge.bridge;

import be.absencebridge.bridge.AbsenceRecord.SourceSystem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The durable inbox: every event is stored, keyed by source and event id, before its sender hears 202.
 * Processing reads it back from here, so a crash between receipt and decision loses nothing.
 */
@Component("inbox")
public class Inbox {

    public static final String INBOX_ID = "bridgeInboxId";
    public static final String STORED = "bridgeStored";
    public static final String KEY = "bridgeKey";
    public static final String SOURCE = "bridgeSource";
    public static final String DIRECTION = "bridgeDirection";

    private final NamedParameterJdbcTemplate jdbc;
    private final InboundEvents events;
    private final ObjectMapper json;
    private final Gate gate;
    private final Audit audit;
    private final InboxWriter writer;

    private final int retrySeconds;

    public Inbox(NamedParameterJdbcTemplate jdbc, InboundEvents events, ObjectMapper json, Gate gate, Audit audit,
                 InboxWriter writer,
                 @org.springframework.beans.factory.annotation.Value("${bridge.processing.recovery-age-seconds:10}") int retrySeconds) {
        this.jdbc = jdbc;
        this.events = events;
        this.json = json;
        this.gate = gate;
        this.audit = audit;
        this.writer = writer;
        this.retrySeconds = retrySeconds;
    }

    public void storeSmartschoolPush(Exchange exchange) {
        storePush(exchange, SourceSystem.SMARTSCHOOL);
    }

    public void storeInformatPush(Exchange exchange) {
        storePush(exchange, SourceSystem.INFORMAT);
    }

    /**
     * Validates and stores a webhook body; {@code bridgeInboxId} is null when the event was stored before, or when
     * it is the bridge's own write coming back (an echo: stored as processed with its ECHO decision, in one statement,
     * since the gate's first check would stop it anyway: half of all pushes, not worth a processing round each).
     * Both are written by {@link InboxWriter}, together with the pushes that arrive at the same moment.
     */
    private void storePush(Exchange exchange, SourceSystem source) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        JsonNode payload = events.parse(body);
        AbsenceRecord r = events.read(source, payload);
        events.checkPlausible(r);
        mark(exchange, r);
        // stored under its content, as the pollers' copy of it (Informat's change feed, Smartschool's register read)
        // will be: a registration pushed and polled is decided once
        String eventId = source == SourceSystem.INFORMAT ? ContentId.informatChange(payload)
                : ContentId.smartschoolCell(payload.path("internalNumber").asText(), payload.path("date").asText(),
                        payload.path("part").asText(), payload);
        // the event as parsed (not the raw body: Jackson reads past what PostgreSQL's jsonb would refuse, e.g. trailing text)
        String text = payload.toString();
        if (gate.isEcho(r)) {
            exchange.setProperty(INBOX_ID, null);
            if (writer.storeEcho(r, eventId, text)) {
                audit.count(Gate.Verdict.ECHO.name(), r.direction());
            }
            return;
        }
        Long id = writer.store(source, eventId, text);
        exchange.setProperty(INBOX_ID, id);
        exchange.setProperty(STORED, id == null ? null : new Stored(id, r));
    }

    /** A stored event handed to processing with the record already read (the webhook parsed and checked it). */
    public record Stored(long id, AbsenceRecord record) {
    }

    /** Stores one event; returns its new id, or null when the same event is stored already. */
    public Long store(SourceSystem source, String sourceEventId, String via, JsonNode payload) {
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
     * The stored event of the body as the canonical record: as the webhook read it, or read back from the inbox by
     * its id (a poll, a recovery); null when it was processed already. (Processing claims the inbox row in its
     * decision's transaction, so an event handed over twice is decided once either way.)
     */
    public AbsenceRecord load(Exchange exchange) throws Exception {
        if (exchange.getMessage().getBody() instanceof Stored stored) {
            exchange.setProperty(INBOX_ID, stored.id());
            mark(exchange, stored.record());
            return stored.record();
        }
        long id = exchange.getMessage().getBody(Long.class);
        List<Object[]> rows = jdbc.query("SELECT source, payload::text FROM inbox WHERE id = :id AND processed_at IS NULL",
                new MapSqlParameterSource("id", id), (rs, i) -> new Object[] {rs.getString(1), rs.getString(2)});
        exchange.setProperty(INBOX_ID, id);
        if (rows.isEmpty()) {
            return null;
        }
        SourceSystem source = SourceSystem.valueOf((String) rows.get(0)[0]);
        AbsenceRecord r = events.read(source, json.readTree(((String) rows.get(0)[1]).getBytes(StandardCharsets.UTF_8)));
        mark(exchange, r);
        return r;
    }

    /**
     * Events stored but not processed in time: their processing was lost (a crash, a full queue) or failed
     * (a vendor unreachable). Each is handed out once per {@code bridge.processing.recovery-age-seconds},
     * also across instances.
     */
    public List<Long> unprocessed(int limit) {
        return jdbc.queryForList("""
                UPDATE inbox SET retry_at = now() + make_interval(secs => :retry)
                WHERE id IN (SELECT id FROM inbox WHERE processed_at IS NULL AND retry_at <= now()
                             ORDER BY retry_at LIMIT :limit FOR UPDATE SKIP LOCKED)
                RETURNING id""",
                new MapSqlParameterSource().addValue("retry", retrySeconds).addValue("limit", limit), Long.class);
    }

    static void mark(Exchange exchange, AbsenceRecord r) {
        exchange.setProperty(KEY, r.key());
        exchange.setProperty(SOURCE, r.source().name().toLowerCase());
        exchange.setProperty(DIRECTION, r.direction());
    }
}
