package be.absencebridge.backfill;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.domain.Decision;
import be.absencebridge.domain.Direction;
import be.absencebridge.domain.HalfDay;
import be.absencebridge.exchange.Handoff;
import be.absencebridge.job.Refused;
import be.absencebridge.job.Runs;
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
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starting a backfill (DOMAIN.md rule 3) under the Discimus rules, its progress and its end, and reading it. Existing
 * codes can only be sent from the package where the Discimus link is active: Smartschool to Informat per
 * institution whose Discimus link is active in Smartschool; Informat to Smartschool per branch where both
 * the Smartschool link and the Discimus link are active in Informat. Anything else is refused with the rule.
 * <p>
 * The one owner of {@code backfill} and {@code backfill_source}: a run's life (lease, progress, end) through its
 * {@link Runs}; the run itself is {@link BackfillJob}.
 */
@Component("backfills")
public class Backfills {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Backfills.class);
    private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

    public record Request(String direction, String institutionNumber, Integer locationIdDiscimus, Boolean dryRun) {
    }

    /** A backfill as its run reads it when it claims it. */
    record Run(long id, Direction direction, String scope, boolean dryRun, String phase, String feedCursor, LocalDate upTo,
               LocalDate position) {
    }

    /** An item of Informat's change feed, kept for the days of an Informat to Smartschool backfill. */
    record SourceItem(String studentNo, LocalDate date, HalfDay part, String payload, boolean deleted, Instant registeredAt) {
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
    private final Runs runs;
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
        this.runs = new Runs(jdbc, "backfill", "backfill", "backfill_id", props.backfill().leaseSeconds());
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

    // ---- a run's life, in the run's transactions ----

    /** Claims the backfill and runs {@code work} on it; how it ends when the work throws: {@link Runs#run}. */
    void run(long id, Runs.Work<Run> work) {
        runs.run(id, "id, direction, scope, dry_run, phase, feed_cursor, up_to, position", (rs, i) -> new Run(rs.getLong(1),
                Direction.valueOf(rs.getString(2)), rs.getString(3), rs.getBoolean(4), rs.getString(5), rs.getString(6),
                rs.getDate(7).toLocalDate(), rs.getDate(8) == null ? null : rs.getDate(8).toLocalDate()), work);
    }

    /**
     * A page of Informat's change feed read: its items of the branch kept (the last of a half-day in the feed's commit
     * order is what the register holds: not the greatest time, as two local times of the hour that comes twice in
     * October compare wrongly), the items it could not read counted, the feed's cursor after it.
     */
    void sourcePage(long id, List<SourceItem> items, String cursor, long unreadable) {
        if (!items.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO backfill_source (backfill_id, student_no, date, part, payload, deleted, registered_at)
                    VALUES (:id, :student, :date, :part, CAST(:payload AS jsonb), :deleted, :at)
                    ON CONFLICT (backfill_id, date, student_no, part) DO UPDATE
                    SET payload = EXCLUDED.payload, deleted = EXCLUDED.deleted, registered_at = EXCLUDED.registered_at""",
                    items.stream().map(item -> new MapSqlParameterSource("id", id).addValue("student", item.studentNo())
                            .addValue("date", Date.valueOf(item.date())).addValue("part", item.part().name())
                            .addValue("payload", item.payload()).addValue("deleted", item.deleted())
                            .addValue("at", Timestamp.from(item.registeredAt()))).toArray(MapSqlParameterSource[]::new));
        }
        runs.advance(id, unreadable > 0 ? Map.of(Decision.UNREADABLE.name(), unreadable) : Map.of(), "feed_cursor = :cursor",
                new MapSqlParameterSource("cursor", cursor));
    }

    /** Informat's register read to its end: the run goes on with the days. */
    void sourceRead(long id) {
        runs.advance(id, Map.of(), "phase = 'DAYS'", null);
    }

    /** What {@link #sourcePage} kept of a day that was not deleted, by {@code studentNo|AM/PM}. */
    Map<String, JsonNode> source(long id, LocalDate day) {
        Map<String, JsonNode> out = new java.util.HashMap<>();
        jdbc.query("SELECT student_no, part, payload::text FROM backfill_source WHERE backfill_id = :id AND date = :date AND NOT deleted",
                new MapSqlParameterSource("id", id).addValue("date", Date.valueOf(day)), rs -> {
                    try {
                        out.put(rs.getString(1) + "|" + rs.getString(2), json.readTree(rs.getString(3)));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
        return out;
    }

    /** A day decided: its half-days and counts added, its position the day (a run resumes after it). */
    void dayDone(long id, LocalDate day, long halfDays, Map<String, Long> counts) {
        runs.advanceDay(id, day, counts, "done = done + 1, half_days = half_days + :n", new MapSqlParameterSource("n", halfDays));
    }

    /** The run pauses (bridge.backfill.max-days-per-run): another run continues from its position. */
    void pause(long id) {
        runs.release(id, null);
    }

    /** Every day decided: a dry run is DONE, a real one DELIVERING until its writes have reached their end. */
    void decided(long id, boolean dryRun) {
        runs.end(id, dryRun ? "DONE" : "DELIVERING", null, null);
        LOG.info("backfill {} decided{}: {}", id, dryRun ? " (dry run, done)" : ", delivering", runs.counts(id));
    }

    /**
     * Backfills that have decided everything become DONE once none of their writes waits any more (delivered, held
     * newer by the target, superseded by a newer registration, or in the dead letters); the others log their progress.
     * Run on a timer by every instance (backfill-delivered): see {@link Runs#settleDelivered}.
     */
    public void settleDelivered() {
        pendingWrites.set(runs.settleDelivered());
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
        Runs.Writes writes = runs.writes(id);
        // the writes of what it decided: delivered (or held newer by the target), waiting, refused, replaced by newer ones
        out.put("delivered", writes.delivered());
        out.put("pending", writes.pending());
        out.put("deadLettered", writes.deadLettered());
        out.put("superseded", writes.superseded());
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
