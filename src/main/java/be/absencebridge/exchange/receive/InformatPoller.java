package be.absencebridge.exchange.receive;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.vendor.informat.InformatFeed;

import be.absencebridge.domain.AbsenceRecord;
import be.absencebridge.domain.SourceSystem;
import be.absencebridge.vendor.VendorHttp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The safety net for lost Informat pushes: reads the change feed from the cursor kept in the database.
 * Each page is stored in the inbox and the cursor advanced in one transaction, so a crash re-reads at
 * most one page, and what is read twice is stored once (its id is derived from its content).
 */
@Component("informatPoller")
public class InformatPoller {

    private static final Logger LOG = LoggerFactory.getLogger(InformatPoller.class);
    static final String CURSOR = "informat-changes";

    private final InformatFeed feed;
    private final Inbox inbox;
    private final InboundEvents events;
    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final BridgeAccounts accounts;
    private final int pageSize;
    private final int maxPages;

    public InformatPoller(InformatFeed feed, Inbox inbox, InboundEvents events, NamedParameterJdbcTemplate jdbc,
                          TransactionTemplate tx, BridgeAccounts accounts, BridgeProperties props) {
        this.accounts = accounts;
        this.feed = feed;
        this.inbox = inbox;
        this.events = events;
        this.jdbc = jdbc;
        this.tx = tx;
        this.pageSize = props.pollers().informatPageSize();
        this.maxPages = props.pollers().informatMaxPages();
    }

    /** Reads what is new; returns the inbox ids of the events not stored before. */
    public List<Long> poll() throws IOException {
        List<Long> fresh = new ArrayList<>();
        if (!feed.available()) {
            // public interfaces only: no change feed, and Smartschool publishes no write for what it would carry
            return fresh;
        }
        int read = 0;
        ReadOrder order = new ReadOrder();
        for (int page = 0; page < maxPages; page++) {
            String cursor = cursor();
            InformatFeed.Page body;
            try {
                body = feed.page(cursor, pageSize);
            } catch (VendorHttp.VendorException e) {
                if (e.status() != 400 || cursor == null) {
                    throw e;
                }
                // what is read again is stored once and decided once: starting over is safe
                LOG.warn("Informat refused the change-feed cursor: reading the feed from the start");
                jdbc.update("DELETE FROM poll_cursor WHERE name = :name", new MapSqlParameterSource("name", CURSOR));
                order = new ReadOrder();
                continue;
            }
            JsonNode items = body.items();
            String next = body.next();
            List<String> ids = new ArrayList<>();
            List<JsonNode> readable = new ArrayList<>();
            // the feed has the bridge's own writes too: echoes, stored as decided at once (as a webhook stores one)
            List<String> echoIds = new ArrayList<>();
            List<JsonNode> echoItems = new ArrayList<>();
            List<AbsenceRecord> echoes = new ArrayList<>();
            // what cannot be taken (unreadable, or what a push would be refused for) waits in the dead letters
            Map<String, JsonNode> refused = new java.util.LinkedHashMap<>();
            Map<String, String> reasons = new java.util.HashMap<>();
            List<String> replaced = new ArrayList<>();
            for (JsonNode item : items) {
                ObjectNode event = ((ObjectNode) item.deepCopy());
                String id = ContentId.informatChange(item);
                event.put("eventId", id);
                AbsenceRecord r;
                try {
                    r = events.read(SourceSystem.INFORMAT, event);
                    // the checks a push gets: a day of a school year still exchanged up to today, a time not ahead
                    events.checkPlausible(r);
                } catch (MalformedEventException e) {
                    refused.put(id, event);
                    reasons.put(id, "Informat's change feed: " + e.getMessage());
                    continue;
                }
                boolean echo = accounts.isEcho(r);
                order.next(r.key(), id, !echo).ifPresent(replaced::add);
                if (echo) {
                    echoIds.add(id);
                    echoItems.add(event);
                    echoes.add(r);
                } else {
                    ids.add(id);
                    readable.add(event);
                }
            }
            tx.executeWithoutResult(s -> {
                fresh.addAll(inbox.storeAll(SourceSystem.INFORMAT, "POLL", ids, readable));
                inbox.storeEchoes("POLL", echoes, echoIds, echoItems);
                inbox.markReplacedWhenRead(SourceSystem.INFORMAT, replaced);
                refused.forEach((id, event) -> inbox.storeRefused(SourceSystem.INFORMAT, id, event, reasons.get(id)));
                if (next != null) {
                    jdbc.update("""
                            INSERT INTO poll_cursor (name, cursor) VALUES (:name, :cursor)
                            ON CONFLICT (name) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()""",
                            new MapSqlParameterSource("name", CURSOR).addValue("cursor", next));
                }
            });
            read += items.size();
            if (items.size() < pageSize) {
                break;
            }
        }
        if (!fresh.isEmpty()) {
            LOG.info("Informat change feed: {} changes read, {} new to the inbox", read, fresh.size());
        }
        return fresh;
    }

    /**
     * The feed is in commit order: a change followed in the same read (on its page or a later one) by another change of
     * its half-day had been replaced when it was read. Given the changes of a read in order, tells which earlier change
     * still to decide each one replaced.
     */
    static final class ReadOrder {

        /** Per half-day, the event id of the read's last change still to decide, if the last change was one. */
        private final Map<String, String> last = new java.util.HashMap<>();

        /**
         * The next change of the read: its half-day, its event id, and whether it is still to decide (an echo of the
         * bridge's own write is decided at once). Returns the event id of the change it replaced, if that one is still
         * to decide.
         */
        java.util.Optional<String> next(String halfDay, String eventId, boolean toDecide) {
            String before = toDecide ? last.put(halfDay, eventId) : last.remove(halfDay);
            // the same change twice (a feed that repeats an item) replaces nothing
            return java.util.Optional.ofNullable(before).filter(b -> !b.equals(eventId));
        }
    }

    private String cursor() {
        List<String> c = jdbc.queryForList("SELECT cursor FROM poll_cursor WHERE name = :name",
                new MapSqlParameterSource("name", CURSOR), String.class);
        return c.isEmpty() ? null : c.get(0);
    }
}
