package be.absencebridge.reconcile;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.domain.SchoolYear;
import be.absencebridge.exchange.Handoff;
import be.absencebridge.job.Refused;
import be.absencebridge.job.Runs;
import be.absencebridge.vendor.informat.InformatDirectory;
import be.absencebridge.vendor.informat.InformatFeed;
import be.absencebridge.vendor.smartschool.Platforms;
import be.absencebridge.vendor.smartschool.SmartschoolDirectory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.sql.Date;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reconciliations and resyncs: starting one (API, JMX, the nightly schedule), its progress and result, an admin's
 * approval of a repair the mass-change guard held. The one owner of the reconciliation tables ({@code reconciliation},
 * {@code reconciliation_difference}): a run's life (lease, progress, end) through its {@link Runs}; the run itself is
 * {@link ReconciliationJob}.
 */
@Component("reconciliations")
public class Reconciliations {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciliations.class);
    private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

    /** {@code institutionNumber}, {@code locationIdDiscimus} or {@code platform}: exactly one. */
    public record Request(String institutionNumber, Integer locationIdDiscimus, String platform, String from, String to,
                          Boolean repair) {
    }

    /** A resync: one pupil or a list, a date range, repaired in both directions. */
    public record Resync(String institutionNumber, String registrationNumber, List<Pupil> pupils, String from, String to) {
    }

    public record Pupil(String institutionNumber, String registrationNumber) {
    }

    /** A reconciliation or resync as its run reads it when it claims it. */
    record Run(long id, String kind, String scopeKind, String scope, JsonNode pupils, LocalDate from, LocalDate to,
               boolean repair, String phase, String feedCursor, LocalDate position, String approvedBy) {

        boolean resync() {
            return "RESYNC".equals(kind);
        }
    }

    /**
     * A half-day the registers or the decision disagree on: each side's official meaning as shown, the decided code, the
     * action, and the side's cell a copy decides from (JSON, or null).
     */
    record Difference(String institutionNumber, String registrationNumber, LocalDate date, String part, int branch,
                      String smartschool, String informat, String decided, String action, String cell) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final InformatDirectory informat;
    private final SmartschoolDirectory smartschool;
    private final Platforms platforms;
    private final InformatFeed feed;
    private final Handoff handoff;
    private final ObjectMapper json;
    private final Clock clock;
    private final BridgeProperties.Reconcile settings;
    private final be.absencebridge.exchange.gate.Directories directories;
    private final Runs runs;

    public Reconciliations(NamedParameterJdbcTemplate jdbc, InformatDirectory informat, SmartschoolDirectory smartschool,
                           Platforms platforms, InformatFeed feed, Handoff handoff, ObjectMapper json, Clock clock,
                           BridgeProperties props, be.absencebridge.exchange.gate.Directories directories) {
        this.directories = directories;
        this.jdbc = jdbc;
        this.informat = informat;
        this.smartschool = smartschool;
        this.platforms = platforms;
        this.feed = feed;
        this.handoff = handoff;
        this.json = json;
        this.clock = clock;
        this.settings = props.reconcile();
        this.runs = new Runs(jdbc, "reconciliation", "reconciliation", "reconciliation_id", settings.leaseSeconds());
    }

    // ---- starting ----

    public long start(Request r, String startedBy) throws IOException {
        if (r == null) {
            throw new Refused(400, "a reconciliation needs institutionNumber, locationIdDiscimus or platform, from and to");
        }
        int given = (r.institutionNumber() != null ? 1 : 0) + (r.locationIdDiscimus() != null ? 1 : 0) + (r.platform() != null ? 1 : 0);
        if (given != 1) {
            throw new Refused(400, "give exactly one of institutionNumber, locationIdDiscimus and platform");
        }
        // today's pupils: one enrolled since the last scheduled read is compared too
        directories.refresh();
        String kind = r.institutionNumber() != null ? "INSTITUTION" : r.locationIdDiscimus() != null ? "BRANCH" : "PLATFORM";
        String scope = r.institutionNumber() != null ? r.institutionNumber().trim()
                : r.locationIdDiscimus() != null ? String.valueOf(r.locationIdDiscimus()) : r.platform().trim();
        return insert("RECONCILIATION", kind, scope, null, r.from(), r.to(), Boolean.TRUE.equals(r.repair()), startedBy);
    }

    public long resync(Resync r, String startedBy) throws IOException {
        List<Pupil> pupils = new ArrayList<>();
        if (r != null && r.pupils() != null) {
            pupils.addAll(r.pupils());
        }
        if (r != null && r.institutionNumber() != null && r.registrationNumber() != null) {
            pupils.add(new Pupil(r.institutionNumber(), r.registrationNumber()));
        }
        if (pupils.isEmpty() || pupils.stream().anyMatch(p -> p == null || p.institutionNumber() == null || p.registrationNumber() == null)) {
            throw new Refused(400, "a resync needs institutionNumber and registrationNumber (or pupils), from and to");
        }
        // today's pupils: one enrolled since the last scheduled read is found
        directories.refresh();
        Set<String> institutions = new HashSet<>();
        ArrayNode list = json.createArrayNode();
        for (Pupil p : pupils) {
            if (informat.student(p.institutionNumber().trim(), p.registrationNumber().trim()) == null) {
                throw new Refused(404, "Informat has no pupil " + p.registrationNumber() + " in institution " + p.institutionNumber());
            }
            institutions.add(p.institutionNumber().trim());
            list.addObject().put("institutionNumber", p.institutionNumber().trim()).put("registrationNumber", p.registrationNumber().trim());
        }
        if (institutions.size() != 1) {
            throw new Refused(400, "one resync covers pupils of one institution");
        }
        return insert("RESYNC", "INSTITUTION", institutions.iterator().next(), list, r.from(), r.to(), true, startedBy);
    }

    /** The nightly run: every platform, the last nightly-days days up to yesterday; runs older than keep-days removed. */
    public void nightly() throws IOException {
        LocalDate today = LocalDate.now(clock.withZone(BRUSSELS));
        LocalDate to = today.minusDays(1);
        LocalDate from = to.minusDays(Math.max(0, settings.nightlyDays() - 1));
        if (!SchoolYear.of(from).equals(SchoolYear.of(to))) {
            from = SchoolYear.of(to).firstDay();
        }
        if (!SchoolYear.of(to).contains(to)) {
            // the summer holidays: nothing registered to compare
            return;
        }
        int removed = runs.removeEndedBefore(clock.instant().minus(java.time.Duration.ofDays(settings.keepDays())));
        if (removed > 0) {
            LOG.info("{} reconciliations older than {} days removed", removed, settings.keepDays());
        }
        if (!feed.available()) {
            LOG.info("nightly reconciliation skipped: Informat's register cannot be read through its public interfaces");
            return;
        }
        for (BridgeProperties.Platform p : platforms.all()) {
            try {
                long id = start(new Request(null, null, p.name(), from.toString(), to.toString(), settings.nightlyRepair()), "schedule");
                LOG.info("nightly reconciliation {} of platform {} ({} to {}) started", id, p.name(), from, to);
            } catch (Refused e) {
                LOG.warn("nightly reconciliation of platform {} refused: {}", p.name(), e.getMessage());
            }
        }
    }

    private long insert(String kind, String scopeKind, String scope, JsonNode pupils, String fromText, String toText,
                        boolean repair, String startedBy) throws IOException {
        LocalDate from;
        LocalDate to;
        try {
            from = LocalDate.parse(fromText);
            to = LocalDate.parse(toText);
        } catch (NullPointerException | DateTimeParseException e) {
            throw new Refused(400, "from and to must be dates like 2026-09-01");
        }
        if (to.isBefore(from)) {
            throw new Refused(400, "to is before from");
        }
        if (!SchoolYear.of(from).equals(SchoolYear.of(to))) {
            throw new Refused(400, "from and to must lie in one school year");
        }
        if (!feed.available()) {
            throw new Refused(409, "Informat's register cannot be read through its public interfaces (the Student API has no "
                    + "read of absences): a reconciliation needs Informat's partner change feed");
        }
        if (institutionsOf(scopeKind, scope).isEmpty()) {
            throw new Refused(404, "no " + scopeKind.toLowerCase() + " " + scope + " is known to the bridge");
        }
        long id = jdbc.queryForObject("""
                INSERT INTO reconciliation (kind, scope_kind, scope, pupils, date_from, date_to, repair, started_by, state, phase)
                VALUES (:kind, :scopeKind, :scope, CAST(:pupils AS jsonb), :from, :to, :repair, :by, 'RUNNING', 'DAYS')
                RETURNING id""", new MapSqlParameterSource("kind", kind).addValue("scopeKind", scopeKind).addValue("scope", scope)
                .addValue("pupils", pupils == null ? null : pupils.toString()).addValue("from", Date.valueOf(from))
                .addValue("to", Date.valueOf(to)).addValue("repair", repair).addValue("by", startedBy), Long.class);
        LOG.info("{} {} started by {}: {} {}, {} to {}{}", kind.toLowerCase(), id, startedBy, scopeKind.toLowerCase(), scope, from,
                to, repair ? ", repair" : ", dry run");
        handoff.reconcile(id);
        return id;
    }

    /** The institutions a scope covers (empty when it does not exist). */
    Set<String> institutionsOf(String scopeKind, String scope) throws IOException {
        Set<String> out = new HashSet<>();
        switch (scopeKind) {
            case "INSTITUTION" -> {
                if (smartschool.platformOf(scope) != null) {
                    out.add(scope);
                }
            }
            case "BRANCH" -> {
                try {
                    InformatDirectory.Location l = informat.location(Integer.parseInt(scope));
                    if (l != null) {
                        out.add(l.instituteNo());
                    }
                } catch (NumberFormatException e) {
                    return out;
                }
            }
            default -> {
                if (platforms.get(scope) != null) {
                    out.addAll(smartschool.institutionsOf(scope));
                }
            }
        }
        return out;
    }

    // ---- a run's life, in the run's transactions ----

    /** Claims the run and runs {@code work} on it; how it ends when the work throws: {@link Runs#run}. */
    void run(long id, Runs.Work<Run> work) {
        runs.run(id, "id, kind, scope_kind, scope, pupils::text, date_from, date_to, repair, phase, feed_cursor, position, approved_by",
                (rs, i) -> {
                    try {
                        return new Run(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5) == null ? null : json.readTree(rs.getString(5)), rs.getDate(6).toLocalDate(),
                                rs.getDate(7).toLocalDate(), rs.getBoolean(8), rs.getString(9), rs.getString(10),
                                rs.getDate(11) == null ? null : rs.getDate(11).toLocalDate(), rs.getString(12));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, work);
    }

    /**
     * A compared day: its differences kept, the position, the half-days checked and the counts merged, per branch the
     * half-days checked and the changes a repair would make (the guard's); {@link Runs.LostRun} when another instance
     * compared the day already.
     */
    void addProgress(long id, LocalDate day, long checked, Map<String, Long> counts, Map<Integer, long[]> branches,
                     List<Difference> differences) {
        if (!differences.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO reconciliation_difference (reconciliation_id, institution_number, registration_number, date,
                                                           part, branch, smartschool, informat, decided, action, cell)
                    VALUES (:id, :inst, :reg, :date, :part, :branch, :ss, :inf, :decided, :action, CAST(:cell AS jsonb))
                    ON CONFLICT DO NOTHING""", differences.stream().map(d -> new MapSqlParameterSource("id", id)
                    .addValue("inst", d.institutionNumber()).addValue("reg", d.registrationNumber()).addValue("date", Date.valueOf(d.date()))
                    .addValue("part", d.part()).addValue("branch", d.branch()).addValue("ss", d.smartschool())
                    .addValue("inf", d.informat()).addValue("decided", d.decided()).addValue("action", d.action())
                    .addValue("cell", d.cell())).toArray(MapSqlParameterSource[]::new));
        }
        com.fasterxml.jackson.databind.node.ObjectNode added = json.createObjectNode();
        branches.forEach((branch, n) -> added.putObject(String.valueOf(branch)).put("checked", n[0]).put("changes", n[1]));
        runs.advanceDay(id, day, counts, """
                half_days_checked = half_days_checked + :checked,
                branches = branches || coalesce((SELECT jsonb_object_agg(b.key, jsonb_build_object(
                    'checked', coalesce((branches->b.key->>'checked')::bigint, 0) + (b.value->>'checked')::bigint,
                    'changes', coalesce((branches->b.key->>'changes')::bigint, 0) + (b.value->>'changes')::bigint))
                    FROM jsonb_each(CAST(:branches AS jsonb)) b), '{}'::jsonb)""",
                new MapSqlParameterSource("checked", checked).addValue("branches", added.toString()));
    }

    /** The first branch whose share of changed half-days exceeds the guard, as a reason; null when none does. */
    String overGuard(long id, double share) {
        String branches = jdbc.queryForObject("SELECT branches::text FROM reconciliation WHERE id = :id",
                new MapSqlParameterSource("id", id), String.class);
        try {
            for (var it = json.readTree(branches).fields(); it.hasNext(); ) {
                var e = it.next();
                long checked = e.getValue().path("checked").asLong();
                long changes = e.getValue().path("changes").asLong();
                if (checked > 0 && (double) changes / checked > share) {
                    return String.format(java.util.Locale.ROOT, "the repair would change %d of branch %s's %d half-days (%.1f%%, the guard is %.1f%%)",
                            changes, e.getKey(), checked, 100.0 * changes / checked, 100.0 * share);
                }
            }
            return null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The repair would change more than the guard lets it: the run waits for an admin's approval ({@link #approve}). */
    void waitForApproval(long id, String reason) {
        runs.end(id, "WAITING_APPROVAL", null, reason);
    }

    /** Compared, nothing to write: DONE. */
    void finish(long id, String detail) {
        runs.end(id, "DONE", "END", null);
        LOG.info("reconciliation {} done: {} {}", id, detail, runs.counts(id));
    }

    /** Compared, the repair goes on: its writes next. */
    void repairing(long id) {
        runs.advance(id, Map.of(), "phase = 'APPLY'", null);
    }

    /**
     * The repair written to the outbox, in its transaction: its differences repaired, counted under {@code repaired},
     * DELIVERING until its writes have reached their end.
     */
    void finishRepair(long id, Map<String, Long> repaired) {
        jdbc.update("""
                UPDATE reconciliation_difference SET repaired = true
                WHERE reconciliation_id = :id AND action NOT IN ('AGREE', 'REVIEW', 'NOT_EXCHANGED')""", new MapSqlParameterSource("id", id));
        try {
            jdbc.update("UPDATE reconciliation SET counts = counts || jsonb_build_object('repaired', CAST(:repaired AS jsonb)) WHERE id = :id",
                    new MapSqlParameterSource("id", id).addValue("repaired", json.writeValueAsString(repaired)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        runs.end(id, "DELIVERING", "END", null);
    }

    /**
     * Repairs whose writes have all reached their end (delivered, held newer by the target, superseded, or in the dead
     * letters) become DONE; run on a timer by every instance (reconciliation-delivered): see {@link Runs#settleDelivered}.
     */
    public void settleDelivered() {
        runs.settleDelivered();
    }

    /** An admin lets a repair the guard held write: it continues with the repair. */
    public boolean approve(long id, String by) {
        int n = jdbc.update("""
                UPDATE reconciliation SET state = 'RUNNING', phase = 'APPLY', approved_by = :by, error = NULL, updated_at = now()
                WHERE id = :id AND state = 'WAITING_APPROVAL'""", new MapSqlParameterSource("id", id).addValue("by", by));
        if (n == 1) {
            LOG.info("reconciliation {} approved by {}: repairing", id, by);
            handoff.reconcile(id);
        }
        return n == 1;
    }

    // ---- reading ----

    /**
     * {@code {"id","kind","scope","from","to","repair","state","phase","halfDaysChecked","counts","branches","differences",
     * "error",...}}, the differences in date order (at most {@code limit}); null when there is no such run.
     */
    public Map<String, Object> status(long id, int limit) throws IOException {
        return status(id, limit, 0);
    }

    /** The same, the differences from the {@code offset}-th on (a page). */
    public Map<String, Object> status(long id, int limit, long offset) throws IOException {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT *, counts::text AS counts_text, branches::text AS branches_text, pupils::text AS pupils_text
                FROM reconciliation WHERE id = :id""", new MapSqlParameterSource("id", id));
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> out = summary(rows.get(0));
        List<Map<String, Object>> differences = new ArrayList<>();
        jdbc.query("""
                SELECT institution_number, registration_number, date, part, smartschool, informat, decided, action, repaired
                FROM reconciliation_difference WHERE reconciliation_id = :id
                ORDER BY date, part, institution_number, registration_number LIMIT :limit OFFSET :offset""",
                new MapSqlParameterSource("id", id).addValue("limit", limit).addValue("offset", offset), rs -> {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("institutionNumber", rs.getString(1));
                    d.put("registrationNumber", rs.getString(2));
                    d.put("date", rs.getDate(3).toLocalDate().toString());
                    d.put("part", rs.getString(4));
                    d.put("smartschool", rs.getString(5));
                    d.put("informat", rs.getString(6));
                    d.put("decided", rs.getString(7));
                    d.put("action", rs.getString(8));
                    d.put("repaired", rs.getBoolean(9));
                    differences.add(d);
                });
        out.put("differences", differences);
        return out;
    }

    /** The runs of the last {@code days} days, newest first, without their differences. */
    public List<Map<String, Object>> list(int days) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : jdbc.queryForList("""
                SELECT *, counts::text AS counts_text, branches::text AS branches_text, pupils::text AS pupils_text
                FROM reconciliation WHERE created_at > now() - make_interval(days => :days) ORDER BY id DESC""",
                new MapSqlParameterSource("days", days))) {
            out.add(summary(row));
        }
        return out;
    }

    private Map<String, Object> summary(Map<String, Object> row) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", row.get("id"));
        out.put("kind", row.get("kind"));
        out.put("scope", Map.of("kind", row.get("scope_kind"), "value", row.get("scope")));
        if (row.get("pupils_text") != null) {
            out.put("pupils", json.readTree((String) row.get("pupils_text")));
        }
        out.put("from", row.get("date_from").toString());
        out.put("to", row.get("date_to").toString());
        out.put("repair", row.get("repair"));
        out.put("startedBy", row.get("started_by"));
        out.put("state", row.get("state"));
        out.put("phase", row.get("phase"));
        out.put("position", row.get("position") == null ? null : row.get("position").toString());
        out.put("halfDaysChecked", row.get("half_days_checked"));
        Runs.Writes writes = runs.writes(((Number) row.get("id")).longValue());
        out.put("delivered", writes.delivered());
        out.put("pending", writes.pending());
        out.put("deadLettered", writes.deadLettered());
        out.put("counts", json.readTree((String) row.get("counts_text")));
        out.put("branches", json.readTree((String) row.get("branches_text")));
        out.put("approvedBy", row.get("approved_by"));
        out.put("error", row.get("error"));
        out.put("createdAt", row.get("created_at").toString());
        return out;
    }
}
