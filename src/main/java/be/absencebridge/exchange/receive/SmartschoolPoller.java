package be.absencebridge.exchange.receive;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.domain.FlemishSchoolCalendar;
import be.absencebridge.domain.HalfDay;
import be.absencebridge.domain.SchoolYear;
import be.absencebridge.domain.SourceSystem;
import be.absencebridge.exchange.deliver.Outbox;
import be.absencebridge.vendor.smartschool.SmartschoolDirectory;
import be.absencebridge.vendor.smartschool.SmartschoolSoapClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The safety net for lost Smartschool pushes, on the public web services alone: reads the register of today and a few
 * recent instruction days ({@code getAbsentsWithAliasByDate}) and stores as events the half-days that may hold a
 * registration the bridge has not seen: a cell that differs from the previous read of its day (kept in the database,
 * {@code smartschool_read}), a half-day cleared since, a half-day the bridge wrote since the previous read (a teacher
 * may have put back what the write replaced, or the write was refused as older than what the register held), and a
 * half-day that differs from what the bridge decided Smartschool itself registered (a teacher who puts back a code
 * whose push was lost leaves a register that looks like its previous read). A half-day whose push is stored and not
 * yet processed is left to it (read first, it would be decided with a guessed time and then again by its push), and
 * kept as unknown, so that the next read compares it again; so is a half-day the bridge's write to the platform is on
 * its way to ({@code Outbox.onItsWay}): the read may show what the register held before that write (the bridge's own
 * superseded write, say), and nothing in it tells that from a teacher's change, so the first read after the write has
 * settled decides. What the poller read last is kept by {@link RegisterReads}.
 * <p>
 * The read has no registration time. An event carries the previous read's moment (the start of the day at a day's
 * first read), the earliest its change can have happened, and an observation: when the read began, and the
 * registration time of the bridge's last write of the half-day that Smartschool took before it. The decision dates the
 * change from there ({@code LastRegistrationWins}): a register that shows what is decided is no change; one that shows
 * something else than a registration it held before the read replaced it. The read, its events and the comparison's
 * new state are one transaction: a crash repeats the day.
 */
@Component("smartschoolPoller")
public class SmartschoolPoller {

    private static final Logger LOG = LoggerFactory.getLogger(SmartschoolPoller.class);
    private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

    private final SmartschoolSoapClient soap;
    private final SmartschoolDirectory directory;
    private final Inbox inbox;
    private final InboundEvents events;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;
    private final int days;
    private final int previousYearDays;
    private final Outbox outbox;
    private final OwnRegistrations decided;
    private final be.absencebridge.vendor.smartschool.Platforms platforms;
    private final RegisterReads reads;

    public SmartschoolPoller(SmartschoolSoapClient soap, SmartschoolDirectory directory, Inbox inbox, InboundEvents events,
                             TransactionTemplate tx, ObjectMapper json, Clock clock, BridgeProperties props, Outbox outbox,
                             OwnRegistrations decided, be.absencebridge.vendor.smartschool.Platforms platforms,
                             RegisterReads reads) {
        this.platforms = platforms;
        this.reads = reads;
        this.outbox = outbox;
        this.decided = decided;
        this.soap = soap;
        this.directory = directory;
        this.inbox = inbox;
        this.events = events;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        this.days = props.pollers().smartschoolDays();
        this.previousYearDays = props.exchange().previousYearDays();
    }

    /** Reads the platform's recent days; returns the inbox ids of the changes seen. */
    public List<Long> poll(String platformName) throws Exception {
        BridgeProperties.Platform platform = platforms.get(platformName);
        if (platform == null) {
            throw new IllegalArgumentException("no Smartschool platform " + platformName);
        }
        LocalDate today = LocalDate.now(clock.withZone(BRUSSELS));
        List<Long> fresh = new ArrayList<>();
        int read = 0;
        for (LocalDate date : daysToRead(today, days, previousYearDays)) {
            // the moment before the read: what was in the register then is in the read, or was replaced before it
            Instant readStart = clock.instant();
            List<SmartschoolSoapClient.Cell> cells = soap.readDay(platform, date);
            read += cells.size();
            fresh.addAll(tx.execute(s -> compare(platformName, date, cells, readStart)));
        }
        if (!fresh.isEmpty()) {
            LOG.info("Smartschool register of platform {}: {} half-days read, {} changes to the inbox", platformName, read, fresh.size());
        }
        return fresh;
    }

    /**
     * The days a poll reads: the last smartschool-days instruction days of the current school year (in the summer, the
     * last days of June: the summer belongs to the year that ends) and, for previous-year-days after 1 September, the
     * last ones of the previous year too, where June corrections are made.
     */
    public static List<LocalDate> daysToRead(LocalDate today, int days, int previousYearDays) {
        List<LocalDate> out = new ArrayList<>();
        for (SchoolYear year : SchoolYear.open(today, previousYearDays)) {
            out.addAll(new FlemishSchoolCalendar(year).instructionDaysUpTo(today, days));
        }
        return out;
    }

    private List<Long> compare(String platform, LocalDate date, List<SmartschoolSoapClient.Cell> cells, Instant readStart) {
        Instant previous = reads.lockDay(platform, date);
        if (previous != null && !previous.isBefore(readStart)) {
            // a read that began later was compared already (two polls overlapped, or the clock was set back)
            return List.of();
        }
        OffsetDateTime since = previous == null ? date.atStartOfDay(BRUSSELS).toOffsetDateTime() : previous.atOffset(ZoneOffset.UTC);
        // what the bridge wrote to, holds from, and has on its way from this platform's pupils (other platforms' are theirs)
        Set<String> pupils = lookupKeys(platform);
        Map<String, Outbox.LastWrite> written = onPlatform(pupils, outbox.lastWrites(SourceSystem.SMARTSCHOOL, date, readStart));
        Map<String, OwnRegistrations.Cell> own = onPlatform(pupils, decided.smartschool(date));
        // a push on its way decides its half-day; should it not match the register, the next read differs from it.
        // A half-day the bridge's write to this platform is on its way to (or was settled since this read began) is
        // left to the first read after that write: this one may show the register before it (a superseded write of
        // the bridge's own, say), which no registration time tells from a teacher's change
        Set<String> leftAlone = new HashSet<>(inbox.pendingSmartschoolPushes(date));
        leftAlone.addAll(outbox.onItsWay(SourceSystem.SMARTSCHOOL, date, readStart));
        Map<String, RegisterReads.Read> before = reads.previous(platform, date);
        List<String> ids = new ArrayList<>();
        List<JsonNode> changes = new ArrayList<>();
        List<MapSqlParameterSource> now = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> compared = new HashSet<>();
        for (SmartschoolSoapClient.Cell c : cells) {
            seen.add(c.pupil().username() + "|" + c.part());
            String key = key(c.institutionNumber(), c.registrationNumber(), c.part());
            compared.add(key);
            RegisterReads.Read was = before.get(c.pupil().username() + "|" + c.part());
            Outbox.LastWrite write = written.get(key);
            OwnRegistrations.Cell mine = own.get(key);
            if (leftAlone.contains(key)) {
                // left to its push (or write), and kept as unknown: the next read compares it again, whatever this one saw
                now.add(RegisterReads.cell(platform, date, c.pupil().username(), c.part(), RegisterReads.UNKNOWN, null));
                continue;
            }
            if (was == null || !same(was.code(), was.alias(), c.code(), c.alias()) || writtenSince(write, previous)
                    || (mine != null && !same(mine.code(), mine.alias(), c.code(), c.alias()))) {
                add(ids, changes, event(c, c.code(), c.alias(), since, readStart, write));
            }
            now.add(RegisterReads.cell(platform, date, c.pupil().username(), c.part(), c.code(), c.alias()));
        }
        List<MapSqlParameterSource> gone = new ArrayList<>();
        for (Map.Entry<String, RegisterReads.Read> b : before.entrySet()) {
            if (!seen.contains(b.getKey())) {
                String[] userPart = b.getKey().split("\\|", 2);
                SmartschoolDirectory.Pupil pupil = lookup(() -> directory.byUsername(platform, userPart[0]));
                String key = pupil == null ? null : key(pupil.institutionNumber(), pupil.registrationNumber(), userPart[1]);
                if (key != null && leftAlone.contains(key)) {
                    // left to its push (or write); the previous read is kept, so the next read sees the half-day empty again
                    compared.add(key);
                    continue;
                }
                gone.add(RegisterReads.cell(platform, date, userPart[0], userPart[1], null, null));
                if (pupil != null) {
                    compared.add(key);
                    add(ids, changes, cleared(pupil, date, userPart[1], since, readStart, written.get(key)));
                }
            }
        }
        // empty in both reads: cleared after the bridge's write, or after the code the bridge holds from Smartschool
        Set<String> others = new HashSet<>(written.keySet());
        others.addAll(own.keySet());
        others.removeAll(compared);
        for (String key : others) {
            Outbox.LastWrite write = written.get(key);
            OwnRegistrations.Cell mine = own.get(key);
            if (writtenSince(write, previous) || (mine != null && mine.code() != null)) {
                String[] k = key.split("\\|", 3);
                SmartschoolDirectory.Pupil pupil = lookup(() -> directory.pupil(k[0], k[1]));
                String part = HalfDay.valueOf(k[2]).smartschool();
                if (pupil != null && leftAlone.contains(key)) {
                    // left to its push (or write), kept as unknown: the next read finds it empty and says so
                    now.add(RegisterReads.cell(platform, date, pupil.username(), part, RegisterReads.UNKNOWN, null));
                } else if (pupil != null) {
                    add(ids, changes, cleared(pupil, date, part, since, readStart, write));
                }
            }
        }
        reads.store(platform, date, now, gone, readStart);
        return inbox.storeAll(SourceSystem.SMARTSCHOOL, "POLL", ids, changes);
    }

    /** The entries (keyed institution|registration|part) of pupils the platform holds. */
    private static <T> Map<String, T> onPlatform(Set<String> pupils, Map<String, T> byKey) {
        Map<String, T> out = new HashMap<>();
        for (Map.Entry<String, T> e : byKey.entrySet()) {
            String key = e.getKey();
            if (pupils.contains(key.substring(0, key.lastIndexOf('|')))) {
                out.put(key, e.getValue());
            }
        }
        return out;
    }

    /**
     * A change into the inbox; one that cannot be read (a code that is no Smartschool code) waits in the dead letters
     * with its reason, in the read's transaction: the read is stored, so no later read shows it as a change again.
     */
    private void add(List<String> ids, List<JsonNode> changes, ObjectNode event) {
        try {
            events.read(SourceSystem.SMARTSCHOOL, event);
        } catch (MalformedEventException e) {
            inbox.storeRefused(SourceSystem.SMARTSCHOOL, event.path("eventId").asText(), event, "Smartschool's register: " + e.getMessage());
            return;
        }
        ids.add(event.path("eventId").asText());
        changes.add(event);
    }

    /**
     * A register cell in the push's shape, observed (no registration time of its own): it carries {@code at}, the
     * earliest moment it can have been registered, and nothing else known of the read. The backfill reads cells so.
     */
    public ObjectNode event(SmartschoolSoapClient.Cell c, String code, String alias, OffsetDateTime at) {
        return event(c, code, alias, at, null, null);
    }

    private ObjectNode event(SmartschoolSoapClient.Cell c, String code, String alias, OffsetDateTime at, Instant readStart,
                             Outbox.LastWrite write) {
        ObjectNode event = json.createObjectNode();
        // one event per observation: the same cell seen again after a new register (a restore, a reseed) is new to the inbox
        event.put("eventId", ContentId.of("soap", c.pupil().platform() + "/" + c.pupil().username(), c.date(), c.part(), code, alias, at.toInstant(),
                readStart != null ? readStart : clock.instant()));
        event.put("internalNumber", c.internalNumber());
        event.put("platform", c.pupil().platform());
        event.put("institutionNumber", c.institutionNumber());
        event.put("registrationNumber", c.registrationNumber());
        event.put("date", c.date().toString());
        event.put("part", c.part());
        event.put("code", code);
        event.put("alias", alias);
        event.putNull("motivation");
        event.put("registeredAt", at.toString());
        event.putNull("registeredBy");
        ObjectNode observed = event.putObject("observed");
        if (readStart != null) {
            observed.put("readAt", readStart.atOffset(ZoneOffset.UTC).toString());
            // the cell: a change not decided from this read is forgotten there, so that the next read emits it again
            observed.put("username", c.pupil().username());
        }
        if (write != null) {
            observed.put("lastWrite", write.registeredAt().atOffset(ZoneOffset.UTC).toString());
        }
        return event;
    }

    /** A half-day that showed a code at the previous read, the bridge's write or its last push, and is empty now. */
    private ObjectNode cleared(SmartschoolDirectory.Pupil pupil, LocalDate date, String part, OffsetDateTime at,
                               Instant readStart, Outbox.LastWrite write) {
        return event(new SmartschoolSoapClient.Cell(pupil, date, part, null, null), null, null, at, readStart, write);
    }

    private static String key(String institutionNumber, String registrationNumber, String smartschoolPart) {
        return institutionNumber + "|" + registrationNumber + "|" + HalfDay.fromSmartschool(smartschoolPart).name();
    }

    private static boolean same(String code, String alias, String otherCode, String otherAlias) {
        return Objects.equals(code, otherCode) && Objects.equals(blankToNull(alias), blankToNull(otherAlias));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The bridge's write was done after the previous read began: that read may not show it. */
    private static boolean writtenSince(Outbox.LastWrite write, Instant previousRead) {
        return write != null && (previousRead == null || !write.doneAt().isBefore(previousRead));
    }

    private Set<String> lookupKeys(String platform) {
        try {
            return directory.pupilKeys(platform);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private interface Lookup {
        SmartschoolDirectory.Pupil get() throws java.io.IOException;
    }

    private static SmartschoolDirectory.Pupil lookup(Lookup lookup) {
        try {
            return lookup.get();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
