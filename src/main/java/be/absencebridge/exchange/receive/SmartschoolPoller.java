package be.absencebridge.exchange.receive;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.domain.FlemishSchoolCalendar;
import be.absencebridge.domain.SchoolYear;
import be.absencebridge.domain.SourceSystem;
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
 * moment of the previous read of that day (the start of the day at a day's first read), so a registration of the
 * other package made within that window with its exact time is not overruled; a register that shows what is decided
 * is no change ({@code LastRegistrationWins}). The read, its events and the comparison's new state are one
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

    public SmartschoolPoller(SmartschoolSoapClient soap, be.absencebridge.vendor.smartschool.SmartschoolDirectory directory,
                             Inbox inbox, InboundEvents events, NamedParameterJdbcTemplate jdbc, TransactionTemplate tx,
                             ObjectMapper json, Clock clock, BridgeProperties props) {
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
            if (was == null || !was.code().equals(c.code()) || !Objects.equals(was.alias(), c.alias())) {
                add(ids, changes, event(c, c.code(), c.alias(), since));
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
                ObjectNode cleared = cleared(userPart[0], date, userPart[1], since);
                if (cleared != null) {
                    add(ids, changes, cleared);
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

    /** A half-day that was registered at the previous read and is empty now; null when the pupil is unknown now. */
    private ObjectNode cleared(String username, LocalDate date, String part, OffsetDateTime at) {
        try {
            var pupil = soapDirectoryPupil(username);
            return pupil == null ? null : event(new SmartschoolSoapClient.Cell(pupil, date, part, null, null), null, null, at);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private be.absencebridge.vendor.smartschool.SmartschoolDirectory.Pupil soapDirectoryPupil(String username) throws java.io.IOException {
        return directory.byUsername(username);
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
