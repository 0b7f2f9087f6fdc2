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
import java.util.Map;
import java.util.Set;

/**
 * Both sides' switches (DOMAIN.md rule 1) and when the bridge saw each go on (rule 2): Smartschool's global
 * "synchronise absences" and, per Informat branch, the Smartschool link with "also exchange absences".
 * Read from the vendors at most every {@code bridge.exchange.settings-refresh}; transitions are kept in
 * {@code link_activation}, so they survive restarts and are shared by every instance.
 */
@Component("linkSettings")
public class LinkSettings {

    private static final Logger LOG = LoggerFactory.getLogger(LinkSettings.class);
    static final String SMARTSCHOOL = "SMARTSCHOOL";
    static final String INFORMAT = "INFORMAT";

    /** {@code aliases}: Smartschool's, null when not known (public interfaces only). */
    public record Snapshot(boolean smartschoolActive, Map<Integer, Boolean> informatActive, Set<String> aliases,
                           Map<String, Instant> since, Instant readAt) {

        /** Whether Smartschool defines the alias (taken as defined when its list is not known). */
        public boolean smartschoolDefines(String alias) {
            return aliases == null || aliases.contains(alias);
        }
    }

    private final VendorHttp http;
    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final SmartschoolSettings smartschool;
    private final String informatUrl;
    private final JsonNode configuredBranches;
    private final Duration refresh;
    private final Instant assumeActiveSince;
    private volatile Snapshot snapshot;

    public LinkSettings(VendorHttp http, SmartschoolSettings smartschool, NamedParameterJdbcTemplate jdbc, Clock clock,
                        BridgeProperties props) {
        this.http = http;
        this.smartschool = smartschool;
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

    public Snapshot current() throws IOException {
        Snapshot s = snapshot;
        if (s == null || VendorCopy.stale(s.readAt(), refresh, clock.instant())) {
            s = reload();
        }
        return s;
    }

    /** Reads the switches again now (a "not active" verdict is checked against fresh settings). */
    public Snapshot fresh() throws IOException {
        Snapshot s = snapshot;
        if (s != null && s.readAt().plusSeconds(1).isAfter(clock.instant()) && !refresh.isZero()) {
            return s;
        }
        return reload();
    }

    private Snapshot reload() throws IOException {
        return VendorCopy.readOrLast(this::read, snapshot, LOG);
    }

    private synchronized Snapshot read() throws IOException {
        // without Smartschool's partner endpoints its switch counts as on (SmartschoolSettings)
        SmartschoolSettings.Settings ss = smartschool.read();
        // with public interfaces only, Informat's switches are not readable: the board's configured branches count as on
        JsonNode locations = informatUrl != null && !informatUrl.isBlank() ? http.getArray(informatUrl + "/locations") : configuredBranches;
        Instant now = clock.instant();
        Map<String, Instant> since = new HashMap<>();
        boolean smartschoolActive = ss.absenceSyncEnabled();
        since.put(SMARTSCHOOL + "|*", observe(SMARTSCHOOL, "*", smartschoolActive, now));
        Map<Integer, Boolean> informat = new HashMap<>();
        for (JsonNode l : locations) {
            int id = l.path("locationIdDiscimus").asInt();
            boolean active = l.path("smartschoolLink").asBoolean(false) && l.path("exchangeAbsences").asBoolean(false);
            informat.put(id, active);
            since.put(INFORMAT + "|" + id, observe(INFORMAT, String.valueOf(id), active, now));
        }
        Snapshot s = new Snapshot(smartschoolActive, informat, ss.aliases(), since, now);
        snapshot = s;
        return s;
    }

    /** Records the switch and returns since when it is in its current state. */
    private Instant observe(String system, String scope, boolean active, Instant now) {
        Instant firstSeen = active && assumeActiveSince != null ? assumeActiveSince : now;
        Timestamp changedAt = jdbc.queryForObject("""
                INSERT INTO link_activation (system, scope, active, changed_at) VALUES (:system, :scope, :active, :first)
                ON CONFLICT (system, scope) DO UPDATE SET
                    changed_at = CASE WHEN link_activation.active <> EXCLUDED.active THEN :now ELSE link_activation.changed_at END,
                    active = EXCLUDED.active
                RETURNING changed_at""", new MapSqlParameterSource()
                .addValue("system", system).addValue("scope", scope).addValue("active", active)
                .addValue("first", Timestamp.from(firstSeen)).addValue("now", Timestamp.from(now)), Timestamp.class);
        Snapshot prev = snapshot;
        if (prev != null) {
            Boolean was = SMARTSCHOOL.equals(system) ? Boolean.valueOf(prev.smartschoolActive())
                    : prev.informatActive().get(Integer.valueOf(scope));
            if (was != null && was != active) {
                LOG.info("exchange switch {} {} is now {}", system.toLowerCase(), scope, active ? "on" : "off");
            }
        }
        return changedAt.toInstant();
    }
}
