package be.absencebridge.backfill;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.domain.Direction;
import be.absencebridge.exchange.Handoff;
import be.absencebridge.job.Refused;
import be.absencebridge.vendor.informat.InformatCalendar;
import be.absencebridge.vendor.VendorHttp;
import be.absencebridge.vendor.smartschool.SmartschoolSettings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starting a backfill (DOMAIN.md rule 3) under the Discimus rules, and reading its progress. Existing codes
 * can only be sent from the package where the Discimus link is active: Smartschool to Informat per
 * institution whose Discimus link is active in Smartschool; Informat to Smartschool per branch where both
 * the Smartschool link and the Discimus link are active in Informat. Anything else is refused with the rule.
 */
@Component("backfills")
public class Backfills {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Backfills.class);
    private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

    public record Request(String direction, String institutionNumber, Integer locationIdDiscimus, Boolean dryRun) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final VendorHttp http;
    private final InformatCalendar calendar;
    private final Handoff handoff;
    private final ObjectMapper json;
    private final Clock clock;
    private final SmartschoolSettings smartschool;
    private final be.absencebridge.vendor.smartschool.Platforms platforms;
    private final be.absencebridge.vendor.smartschool.SmartschoolDirectory directory;
    private final be.absencebridge.vendor.informat.InformatDirectory informat;
    private final String informatUrl;
    private final be.absencebridge.exchange.gate.Directories directories;
    private final java.util.concurrent.atomic.AtomicLong pendingWrites = new java.util.concurrent.atomic.AtomicLong();

    public Backfills(NamedParameterJdbcTemplate jdbc, VendorHttp http, SmartschoolSettings smartschool,
                     be.absencebridge.vendor.smartschool.Platforms platforms,
                     be.absencebridge.vendor.smartschool.SmartschoolDirectory directory,
                     be.absencebridge.vendor.informat.InformatDirectory informat, InformatCalendar calendar, Handoff handoff,
                     ObjectMapper json, Clock clock, BridgeProperties props, io.micrometer.core.instrument.MeterRegistry meters,
                     be.absencebridge.exchange.gate.Directories directories) {
        this.directories = directories;
        io.micrometer.core.instrument.Gauge.builder("bridge.backfill.pending.writes", pendingWrites, java.util.concurrent.atomic.AtomicLong::get)
                .description("Writes of decided backfill records that have not reached their end yet").register(meters);
        this.jdbc = jdbc;
        this.http = http;
        this.calendar = calendar;
        this.handoff = handoff;
        this.json = json;
        this.clock = clock;
        this.smartschool = smartschool;
        this.platforms = platforms;
        this.directory = directory;
        this.informat = informat;
        this.informatUrl = props.informat().partnerUrl();
    }

    public long start(Request r) throws IOException {
        if (r == null || r.direction() == null) {
            throw new Refused(400, "direction is missing: SMARTSCHOOL_TO_INFORMAT or INFORMAT_TO_SMARTSCHOOL");
        }
        Direction direction = Direction.parse(r.direction());
        // today's pupils: a pupil enrolled since the last scheduled read is backfilled too
        directories.refresh();
        String scope;
        if (direction == Direction.SMARTSCHOOL_TO_INFORMAT) {
            if (r.institutionNumber() == null || r.institutionNumber().isBlank()) {
                throw new Refused(400, "a backfill from Smartschool is per institution: institutionNumber is missing");
            }
            scope = r.institutionNumber().trim();
            BridgeProperties.Platform platform = platforms.get(directory.platformOf(scope));
            if (platform == null) {
                throw new Refused(409, "institution " + scope + " is on no configured Smartschool platform");
            }
            if (!smartschool.read(platform).discimusInstitutions().contains(scope)) {
                throw new Refused(409, "the Discimus link of institution " + scope + " is not active in Smartschool"
                        + (platform.partner() ? "" : " (bridge.smartschool.platforms." + platform.name() + ".discimus-institutions)")
                        + ": existing codes can only be sent from the package where the Discimus link is active");
            }
        } else if (direction == Direction.INFORMAT_TO_SMARTSCHOOL) {
            if (r.locationIdDiscimus() == null) {
                throw new Refused(400, "a backfill from Informat is per branch: locationIdDiscimus is missing");
            }
            if (informatUrl == null || informatUrl.isBlank()) {
                // Informat's public interfaces publish no read of absences, and Smartschool no write
                throw new Refused(409, "a backfill from Informat needs Informat's partner endpoints (bridge.informat.partner-url)");
            }
            if (platforms.all().stream().noneMatch(BridgeProperties.Platform::partner)) {
                // Smartschool publishes no write of absences
                throw new Refused(409, "a backfill from Informat needs Smartschool's partner endpoints (bridge.smartschool.partner)");
            }
            scope = String.valueOf(r.locationIdDiscimus());
            JsonNode location = null;
            for (JsonNode l : http.getArray(informatUrl + "/locations")) {
                if (l.path("locationIdDiscimus").asInt() == r.locationIdDiscimus()) {
                    location = l;
                }
            }
            if (location == null) {
                throw new Refused(409, "Informat has no branch " + scope);
            }
            if (!location.path("smartschoolLink").asBoolean() || !location.path("discimusActive").asBoolean()) {
                throw new Refused(409, "branch " + scope + " does not have both the Smartschool link and the Discimus link "
                        + "active in Informat: existing codes can only be sent from the package where the Discimus link is active");
            }
        } else {
            throw new Refused(400, "direction must be SMARTSCHOOL_TO_INFORMAT or INFORMAT_TO_SMARTSCHOOL");
        }
        LocalDate today = LocalDate.now(clock.withZone(BRUSSELS));
        List<LocalDate> days = calendar.instructionDays(null, today);
        LocalDate upTo = days.isEmpty() ? today : days.get(days.size() - 1);
        long id;
        try {
            id = jdbc.queryForObject("""
                    INSERT INTO backfill (direction, scope, dry_run, state, phase, up_to, total)
                    VALUES (:direction, :scope, :dry, 'RUNNING', :phase, :upTo, :total) RETURNING id""",
                    new MapSqlParameterSource().addValue("direction", direction.name()).addValue("scope", scope)
                            .addValue("dry", Boolean.TRUE.equals(r.dryRun()))
                            .addValue("phase", direction == Direction.INFORMAT_TO_SMARTSCHOOL ? "SNAPSHOT" : "DAYS")
                            .addValue("upTo", upTo).addValue("total", days.size()), Long.class);
        } catch (DuplicateKeyException e) {
            throw new Refused(409, "a backfill is already running for " + r.direction() + " " + scope);
        }
        handoff.backfill(id);
        return id;
    }

    /**
     * The backfills, newest first, each as {@link #status}; {@code institutions} non-null: those from Smartschool of
     * these institutions and those from Informat of their branches.
     */
    public List<Map<String, Object>> list(java.util.Collection<String> institutions, int limit) throws IOException {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (Map<String, Object> row : jdbc.queryForList("SELECT id, direction, scope FROM backfill ORDER BY id DESC",
                new MapSqlParameterSource())) {
            if (out.size() >= limit) {
                break;
            }
            if (institutions != null) {
                String scope = (String) row.get("scope");
                boolean mine = Direction.SMARTSCHOOL_TO_INFORMAT.name().equals(row.get("direction"))
                        ? institutions.contains(scope)
                        : branchOf(scope, institutions);
                if (!mine) {
                    continue;
                }
            }
            out.add(status(((Number) row.get("id")).longValue()));
        }
        return out;
    }

    private boolean branchOf(String locationIdDiscimus, java.util.Collection<String> institutions) throws IOException {
        be.absencebridge.vendor.informat.InformatDirectory.Location l = informat.location(Integer.parseInt(locationIdDiscimus));
        return l != null && institutions.contains(l.instituteNo());
    }

    /**
     * Backfills that have decided everything become DONE once none of their writes waits any more (delivered, held
     * newer by the target, superseded by a newer registration, or in the dead letters); the others log their progress.
     * Run on a timer by every instance: the update is conditional, so two instances finish a backfill once.
     */
    public void settleDelivered() {
        long pending = 0;
        for (Map<String, Object> row : jdbc.queryForList("""
                SELECT b.id, b.state,
                       count(o.id) FILTER (WHERE o.state = 'PENDING') AS pending,
                       count(o.id) FILTER (WHERE o.state = 'DONE') AS delivered,
                       count(o.id) FILTER (WHERE o.state = 'DEAD') AS dead
                FROM backfill b LEFT JOIN outbox o ON o.backfill_id = b.id
                WHERE b.state IN ('RUNNING', 'DELIVERING') GROUP BY b.id, b.state ORDER BY b.id""", new MapSqlParameterSource())) {
            long id = ((Number) row.get("id")).longValue();
            long waiting = ((Number) row.get("pending")).longValue();
            pending += waiting;
            if (!"DELIVERING".equals(row.get("state"))) {
                continue;
            }
            if (waiting == 0 && jdbc.update("""
                    UPDATE backfill b SET state = 'DONE', updated_at = now() WHERE id = :id AND state = 'DELIVERING'
                      AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.backfill_id = b.id AND o.state = 'PENDING')""",
                    new MapSqlParameterSource("id", id)) == 1) {
                LOG.info("backfill {} done: {} writes reached their end, {} of them in the dead letters", id,
                        row.get("delivered"), row.get("dead"));
            } else if (waiting > 0) {
                LOG.info("backfill {} delivering: {} delivered, {} pending, {} in the dead letters", id, row.get("delivered"),
                        waiting, row.get("dead"));
            }
        }
        pendingWrites.set(pending);
    }

    /**
     * {@code {"id","direction","scope","dryRun","state","done","total","halfDays","delivered","pending","deadLettered",
     * "counts","upTo","error"}}, or null.
     */
    public Map<String, Object> status(long id) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT *, counts::text AS counts_text FROM backfill WHERE id = :id",
                new MapSqlParameterSource("id", id));
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> row = rows.get(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("direction", row.get("direction"));
        out.put("scope", row.get("scope"));
        out.put("dryRun", row.get("dry_run"));
        out.put("state", row.get("state"));
        out.put("phase", row.get("phase"));
        out.put("done", row.get("done"));
        out.put("total", row.get("total"));
        out.put("unit", "instruction days");
        out.put("halfDays", row.get("half_days"));
        Map<String, Object> writes = jdbc.queryForMap("""
                SELECT count(*) FILTER (WHERE state = 'DONE') AS delivered, count(*) FILTER (WHERE state = 'PENDING') AS pending,
                       count(*) FILTER (WHERE state = 'DEAD') AS dead, count(*) FILTER (WHERE state = 'SUPERSEDED') AS superseded
                FROM outbox WHERE backfill_id = :id""", new MapSqlParameterSource("id", id));
        // the writes of what it decided: delivered (or held newer by the target), waiting, refused, replaced by newer ones
        out.put("delivered", writes.get("delivered"));
        out.put("pending", writes.get("pending"));
        out.put("deadLettered", writes.get("dead"));
        out.put("superseded", writes.get("superseded"));
        out.put("upTo", row.get("up_to").toString());
        try {
            out.put("counts", json.readTree((String) row.get("counts_text")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        out.put("error", row.get("error"));
        return out;
    }
}
