package be.absencebridge.exchange.receive;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.domain.FlemishSchoolCalendar;
import be.absencebridge.domain.HalfDay;
import be.absencebridge.domain.SchoolYear;
import be.absencebridge.domain.SourceSystem;
import be.absencebridge.exchange.deliver.Outbox;
import be.absencebridge.vendor.smartschool.SmartschoolSoapClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The safety net for lost Smartschool pushes, on the public web services alone: reads the register of today and a few
 * recent instruction days ({@code getAbsentsWithAliasByDate}) and compares each day's read with the previous read of
 * that day, kept in the database ({@code smartschool_read}): a new or changed code and a half-day cleared since are
 * stored as events. The read has no registration time: such a change happened between two reads, and carries the
 * moment of the previous read of that day (the start of the day at a day's first read), or the moment the bridge last
 * wrote that half-day to Smartschool when that is later (the cell showed the write from then on, so what differs now
 * was registered after it: dated any earlier, it would lose to the very registration it replaced and the two registers
 * would stay apart). A half-day written since the previous read is read again even when the read looks alike (a
 * teacher may have put back what the write replaced). A register that shows what is decided is no change
 * ({@code LastRegistrationWins}). The read, its events and the comparison's new state are one
 * transaction: a crash repeats the day.
 */
@Component("smartschoolPoller")
public class SmartschoolPoller {

    private static final Logger LOG = LoggerFactory.getLogger(SmartschoolPoller.class);
    private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

    private record Read(String code, String alias) {
    }

    private final SmartschoolSoapClient soap;
    private final be.absencebridge.vendor.smartschool.SmartschoolDirectory directory;
    private final Inbox inbox;
    private final InboundEvents events;
    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;
    private final int days;
    private final Outbox outbox;

    public SmartschoolPoller(SmartschoolSoapClient soap, be.absencebridge.vendor.smartschool.SmartschoolDirectory directory,
                             Inbox inbox, InboundEvents events, NamedParameterJdbcTemplate jdbc, TransactionTemplate tx,
                             ObjectMapper json, Clock clock, BridgeProperties props, Outbox outbox) {
        this.outbox = outbox;
        this.soap = soap;
        this.directory = directory;
        this.inbox = inbox;
        this.events = events;
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        this.days = props.pollers().smartschoolDays();
    }

    /** Reads the recent days; returns the inbox ids of the changes seen. */
    public List<Long> poll() throws Exception {
        LocalDate today = LocalDate.now(clock.withZone(BRUSSELS));
        FlemishSchoolCalendar calendar = new FlemishSchoolCalendar(SchoolYear.of(today));
        List<Long> fresh = new ArrayList<>();
        int read = 0;
        for (LocalDate date : calendar.instructionDaysUpTo(today, days)) {
            List<SmartschoolSoapClient.Cell> cells = soap.readDay(date);
            read += cells.size();
            fresh.addAll(tx.execute(s -> compare(date, cells)));
        }
        if (!fresh.isEmpty()) {
            LOG.info("Smartschool register: {} half-days read, {} changes to the inbox", read, fresh.size());
        }
        return fresh;
    }

    private List<Long> compare(LocalDate date, List<SmartschoolSoapClient.Cell> cells) {
        MapSqlParameterSource day = new MapSqlParameterSource("date", Date.valueOf(date));
        List<Timestamp> previousRead = jdbc.queryForList("SELECT read_at FROM smartschool_read_day WHERE date = :date FOR UPDATE",
                day, Timestamp.class);
        java.time.Instant readAt = clock.instant();
        // never later than now (a clock set back must not date a change in the future)
        OffsetDateTime since = previousRead.isEmpty() ? date.atStartOfDay(BRUSSELS).toOffsetDateTime()
                : (previousRead.get(0).toInstant().isAfter(readAt) ? readAt : previousRead.get(0).toInstant()).atOffset(ZoneOffset.UTC);
        // when the bridge last wrote each half-day to Smartschool: a cell that differs from what was written changed
        // after that moment, and a cell written since the previous read is compared again even if the read looks alike
        Map<String, java.time.Instant> written = outbox.lastDone(SourceSystem.SMARTSCHOOL, date);
        java.time.Instant previous = previousRead.isEmpty() ? null : previousRead.get(0).toInstant();
        Map<String, Read> before = new HashMap<>();
        jdbc.query("SELECT username, part, code, alias FROM smartschool_read WHERE date = :date", day,
                rs -> {
                    before.put(rs.getString(1) + "|" + rs.getString(2), new Read(rs.getString(3), rs.getString(4)));
                });
        List<String> ids = new ArrayList<>();
        List<JsonNode> changes = new ArrayList<>();
        List<MapSqlParameterSource> now = new ArrayList<>();
        Map<String, SmartschoolSoapClient.Cell> seen = new HashMap<>();
        for (SmartschoolSoapClient.Cell c : cells) {
            String key = c.pupil().username() + "|" + c.part();
            seen.put(key, c);
            Read was = before.get(key);
            java.time.Instant writtenAt = written.remove(writeKey(c.institutionNumber(), c.registrationNumber(), c.part()));
            if (was == null || !was.code().equals(c.code()) || !Objects.equals(was.alias(), c.alias())
                    || writtenSince(writtenAt, previous)) {
                add(ids, changes, event(c, c.code(), c.alias(), floor(since, writtenAt, readAt)));
            }
            now.add(new MapSqlParameterSource("date", Date.valueOf(date)).addValue("username", c.pupil().username())
                    .addValue("part", c.part()).addValue("code", c.code()).addValue("alias", c.alias()));
        }
        List<MapSqlParameterSource> gone = new ArrayList<>();
        for (Map.Entry<String, Read> b : before.entrySet()) {
            if (!seen.containsKey(b.getKey())) {
                String[] userPart = b.getKey().split("\\|", 2);
                gone.add(new MapSqlParameterSource("date", Date.valueOf(date)).addValue("username", userPart[0])
                        .addValue("part", userPart[1]));
                var pupil = soapDirectoryPupil(userPart[0]);
                if (pupil != null) {
                    java.time.Instant writtenAt = written.remove(writeKey(pupil.institutionNumber(), pupil.registrationNumber(), userPart[1]));
                    add(ids, changes, cleared(pupil, date, userPart[1], floor(since, writtenAt, readAt)));
                }
            }
        }
        // a half-day the bridge wrote since the previous read, empty in both reads: cleared after the write
        for (Map.Entry<String, java.time.Instant> w : written.entrySet()) {
            if (writtenSince(w.getValue(), previous)) {
                String[] key = w.getKey().split("\\|", 3);
                var pupil = soapDirectoryPupil(key[0], key[1]);
                String part = HalfDay.valueOf(key[2]).smartschool();
                if (pupil != null && !seen.containsKey(pupil.username() + "|" + part)) {
                    add(ids, changes, cleared(pupil, date, part, floor(since, w.getValue(), readAt)));
                }
            }
        }
        jdbc.batchUpdate("""
                INSERT INTO smartschool_read (date, username, part, code, alias) VALUES (:date, :username, :part, :code, :alias)
                ON CONFLICT (date, username, part) DO UPDATE SET code = EXCLUDED.code, alias = EXCLUDED.alias""",
                now.toArray(MapSqlParameterSource[]::new));
        jdbc.batchUpdate("DELETE FROM smartschool_read WHERE date = :date AND username = :username AND part = :part",
                gone.toArray(MapSqlParameterSource[]::new));
        jdbc.update("""
                INSERT INTO smartschool_read_day (date, read_at) VALUES (:date, :at)
                ON CONFLICT (date) DO UPDATE SET read_at = EXCLUDED.read_at""",
                day.addValue("at", Timestamp.from(readAt)));
        return inbox.storeAll(SourceSystem.SMARTSCHOOL, "POLL", ids, changes);
    }

    private void add(List<String> ids, List<JsonNode> changes, ObjectNode event) {
        if (readable(event)) {
            ids.add(event.path("eventId").asText());
            changes.add(event);
        }
    }

    /**
     * A register cell in the push's shape, observed (no registration time of its own): it carries {@code at}, the
     * earliest moment it can have been registered. The backfill reads cells this way too.
     */
    public ObjectNode event(SmartschoolSoapClient.Cell c, String code, String alias, OffsetDateTime at) {
        ObjectNode event = json.createObjectNode();
        // one event per observation: the same cell seen again after a new register (a restore, a reseed) is new to the inbox
        event.put("eventId", ContentId.of("soap", c.pupil().username(), c.date(), c.part(), code, alias, at.toInstant(), clock.instant()));
        event.put("internalNumber", c.internalNumber());
        event.put("institutionNumber", c.institutionNumber());
        event.put("registrationNumber", c.registrationNumber());
        event.put("date", c.date().toString());
        event.put("part", c.part());
        event.put("code", code);
        event.put("alias", alias);
        event.putNull("motivation");
        event.put("registeredAt", at.toString());
        event.putNull("registeredBy");
        event.put("observed", true);
        return event;
    }

    /** A half-day that showed a code at the previous read or the bridge's write, and is empty now. */
    private ObjectNode cleared(be.absencebridge.vendor.smartschool.SmartschoolDirectory.Pupil pupil, LocalDate date, String part,
                               OffsetDateTime at) {
        return event(new SmartschoolSoapClient.Cell(pupil, date, part, null, null), null, null, at);
    }

    private static String writeKey(String institutionNumber, String registrationNumber, String smartschoolPart) {
        return institutionNumber + "|" + registrationNumber + "|" + HalfDay.fromSmartschool(smartschoolPart).name();
    }

    private static boolean writtenSince(java.time.Instant writtenAt, java.time.Instant previousRead) {
        return writtenAt != null && (previousRead == null || writtenAt.isAfter(previousRead));
    }

    /**
     * The earliest moment a change seen now can have been registered: after the previous read of the day and after
     * the bridge's last write of the half-day (the cell showed that write, or something newer, from then on), never
     * later than the read itself.
     */
    private static OffsetDateTime floor(OffsetDateTime since, java.time.Instant writtenAt, java.time.Instant readAt) {
        java.time.Instant at = since.toInstant();
        // strictly after the write (the database keeps microseconds): the write's own registration is not later than it
        java.time.Instant afterWrite = writtenAt == null ? null : writtenAt.plus(1, java.time.temporal.ChronoUnit.MICROS);
        if (afterWrite != null && afterWrite.isAfter(at)) {
            at = afterWrite.isAfter(readAt) ? readAt : afterWrite;
        }
        return at.equals(since.toInstant()) ? since : at.atOffset(ZoneOffset.UTC);
    }

    private be.absencebridge.vendor.smartschool.SmartschoolDirectory.Pupil soapDirectoryPupil(String username) {
        try {
            return directory.byUsername(username);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private be.absencebridge.vendor.smartschool.SmartschoolDirectory.Pupil soapDirectoryPupil(String institutionNumber,
                                                                                             String registrationNumber) {
        try {
            return directory.pupil(institutionNumber, registrationNumber);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private boolean readable(JsonNode event) {
        try {
            events.read(SourceSystem.SMARTSCHOOL, event);
            return true;
        } catch (MalformedEventException e) {
            LOG.warn("Smartschool register: unreadable half-day skipped ({})", e.getMessage());
            return false;
        }
    }
}
