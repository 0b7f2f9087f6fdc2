package be.absencebridge.exchange.gate;

import be.absencebridge.config.BridgeProperties;

import be.absencebridge.vendor.VendorCopy;
import be.absencebridge.vendor.VendorHttp;
import be.absencebridge.vendor.smartschool.SmartschoolSettings;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Both sides' switches (DOMAIN.md rule 1) and when the bridge saw each go on (rule 2): Smartschool's global
 * "synchronise absences" and, per Informat branch, the Smartschool link with "also exchange absences".
 * Read from the vendors in the background every {@code bridge.exchange.settings-refresh}; transitions are kept in
 * {@code link_activation}, so they survive restarts and are shared by every instance.
 */
@Component("linkSettings")
public class LinkSettings {

    private static final Logger LOG = LoggerFactory.getLogger(LinkSettings.class);
    static final String SMARTSCHOOL = "SMARTSCHOOL";
    static final String INFORMAT = "INFORMAT";

    /**
     * The switches as last read: each Smartschool platform's (a platform never read successfully is missing), each
     * Informat branch's, each platform's aliases (null when not known: public interfaces only), and since when each
     * switch is in its state ({@code SMARTSCHOOL|<platform>}, {@code INFORMAT|<branch>}).
     */
    public record Snapshot(Map<String, Boolean> smartschool, Map<Integer, Boolean> informatActive, Map<String, Set<String>> aliases,
                           Map<String, Instant> since, Instant readAt) {

        /** Whether absence synchronisation is on for the platform; an error when its settings could not be read yet. */
        public boolean smartschoolActive(String platform) throws IOException {
            Boolean on = smartschool.get(platform);
            if (on == null) {
                throw new IOException("the settings of Smartschool platform " + platform + " could not be read yet");
            }
            return on;
        }

        /** Whether the platform defines the alias (taken as defined when its list is not known). */
        public boolean smartschoolDefines(String platform, String alias) {
            Set<String> known = aliases.get(platform);
            return known == null || known.contains(alias);
        }
    }

    private final VendorHttp http;
    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final SmartschoolSettings smartschool;
    private final be.absencebridge.vendor.smartschool.Platforms platforms;
    private final String informatUrl;
    private final JsonNode configuredBranches;
    private final Duration refresh;
    private final Instant assumeActiveSince;
    private volatile Snapshot snapshot;
    private final java.util.concurrent.locks.ReentrantLock reading = new java.util.concurrent.locks.ReentrantLock();

    public LinkSettings(VendorHttp http, SmartschoolSettings smartschool, be.absencebridge.vendor.smartschool.Platforms platforms,
                        NamedParameterJdbcTemplate jdbc, Clock clock, BridgeProperties props) {
        this.http = http;
        this.smartschool = smartschool;
        this.platforms = platforms;
        this.jdbc = jdbc;
        this.clock = clock;
        this.informatUrl = props.informat().partnerUrl();
        com.fasterxml.jackson.databind.node.ArrayNode branches = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        for (BridgeProperties.Branch b : props.informat().branches()) {
            branches.addObject().put("locationIdDiscimus", b.locationIdDiscimus()).put("smartschoolLink", true).put("exchangeAbsences", true);
        }
        this.configuredBranches = branches;
        this.refresh = props.exchange().settingsRefresh();
        String assumed = props.exchange().linksActiveSince();
        this.assumeActiveSince = assumed == null || assumed.isBlank() ? null : OffsetDateTime.parse(assumed).toInstant();
    }

    /**
     * The switches for a record: the background read's copy ({@link #refresh}, every {@code settings-refresh}), read
     * here only when it is older than twice that (the background read failing, or not started yet).
     */
    public Snapshot current() throws IOException {
        Snapshot s = snapshot;
        if (s == null || VendorCopy.stale(s.readAt(), refresh.multipliedBy(2), clock.instant())) {
            if (s != null && reading.isLocked()) {
                // another thread reads them now (a vendor slow or down): records go on with the last copy meanwhile,
                // rather than each waiting for that vendor's timeout in turn
                return s;
            }
            s = reload();
        }
        return s;
    }

    /** The background read (the link-settings route's timer): one read of every switch, shared by every record. */
    public void refresh() {
        try {
            reload();
        } catch (IOException e) {
            LOG.warn("the switches could not be read: {}", e.getMessage());
        }
    }

    /**
     * Reads the switches again now: a "not active" verdict is checked against fresh settings, so a read that fails
     * is an error here (the record waits and is processed again), never the last copy: a record decided "not active"
     * is never exchanged, and the last copy may be older than a switch turned back on.
     */
    public Snapshot fresh() throws IOException {
        Snapshot s = snapshot;
        if (s != null && s.readAt().plusSeconds(1).isAfter(clock.instant()) && !refresh.isZero()) {
            return s;
        }
        return read();
    }

    private Snapshot reload() throws IOException {
        return VendorCopy.readOrLast(this::read, snapshot, LOG);
    }

    private Snapshot read() throws IOException {
        reading.lock();
        try {
            return readLocked();
        } finally {
            reading.unlock();
        }
    }

    private Snapshot readLocked() throws IOException {
        // with public interfaces only, Informat's switches are not readable: the board's configured branches count as on
        JsonNode locations = informatUrl != null && !informatUrl.isBlank() ? http.getArray(informatUrl + "/locations") : configuredBranches;
        Instant now = clock.instant();
        Map<String, Instant> since = new HashMap<>();
        Snapshot prev = snapshot;
        Map<String, Boolean> smartschoolActive = new HashMap<>();
        Map<String, Set<String>> aliases = new HashMap<>();
        for (BridgeProperties.Platform p : platforms.all()) {
            String key = SMARTSCHOOL + "|" + p.name();
            try {
                // without the platform's partner endpoints its switch counts as on (SmartschoolSettings)
                SmartschoolSettings.Settings ss = smartschool.read(p);
                smartschoolActive.put(p.name(), ss.absenceSyncEnabled());
                if (ss.aliases() != null) {
                    aliases.put(p.name(), ss.aliases());
                }
                since.put(key, observe(SMARTSCHOOL, p.name(), ss.absenceSyncEnabled(), now));
            } catch (IOException e) {
                // one platform that cannot be read keeps its last switches; the others are read as usual
                if (prev == null || !prev.smartschool().containsKey(p.name())) {
                    LOG.warn("settings of Smartschool platform {} could not be read: {}", p.name(), e.getMessage());
                    continue;
                }
                smartschoolActive.put(p.name(), prev.smartschool().get(p.name()));
                if (prev.aliases().containsKey(p.name())) {
                    aliases.put(p.name(), prev.aliases().get(p.name()));
                }
                since.put(key, prev.since().get(key));
            }
        }
        Map<Integer, Boolean> informat = new HashMap<>();
        for (JsonNode l : locations) {
            int id = l.path("locationIdDiscimus").asInt();
            boolean active = l.path("smartschoolLink").asBoolean(false) && l.path("exchangeAbsences").asBoolean(false);
            informat.put(id, active);
            since.put(INFORMAT + "|" + id, observe(INFORMAT, String.valueOf(id), active, now));
        }
        Snapshot s = new Snapshot(smartschoolActive, informat, aliases, since, now);
        snapshot = s;
        return s;
    }

    /** Records the switch and returns since when it is in its current state. */
    private Instant observe(String system, String scope, boolean active, Instant now) {
        Instant firstSeen = active && assumeActiveSince != null ? assumeActiveSince : now;
        // written only when the switch is new or changed (the switches are read every few seconds, by every instance);
        // otherwise the stored moment is read back, the same statement either way
        MapSqlParameterSource args = new MapSqlParameterSource()
                .addValue("system", system).addValue("scope", scope).addValue("active", active)
                .addValue("first", Timestamp.from(firstSeen)).addValue("now", Timestamp.from(now));
        List<Timestamp> found = jdbc.queryForList("""
                WITH written AS (
                    INSERT INTO link_activation (system, scope, active, changed_at) VALUES (:system, :scope, :active, :first)
                    ON CONFLICT (system, scope) DO UPDATE SET changed_at = :now, active = EXCLUDED.active
                    WHERE link_activation.active <> EXCLUDED.active
                    RETURNING changed_at)
                SELECT changed_at FROM written
                UNION ALL
                SELECT changed_at FROM link_activation WHERE system = :system AND scope = :scope AND NOT EXISTS (SELECT 1 FROM written)""",
                args, Timestamp.class);
        // another instance stored the switch first, after this statement's snapshot: its row is there now
        Timestamp changedAt = !found.isEmpty() ? found.get(0) : jdbc.queryForObject(
                "SELECT changed_at FROM link_activation WHERE system = :system AND scope = :scope", args, Timestamp.class);
        Snapshot prev = snapshot;
        if (prev != null) {
            Boolean was = SMARTSCHOOL.equals(system) ? prev.smartschool().get(scope) : prev.informatActive().get(Integer.valueOf(scope));
            if (was != null && was != active) {
                LOG.info("exchange switch {} {} is now {}", system.toLowerCase(), scope, active ? "on" : "off");
            }
        }
        return changedAt.toInstant();
    }
}
