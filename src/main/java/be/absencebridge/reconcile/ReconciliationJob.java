package be.absencebridge.reconcile;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.domain.AbsenceRecord;
import be.absencebridge.domain.HalfDay;
import be.absencebridge.domain.SchoolYear;
import be.absencebridge.domain.SourceSystem;
import be.absencebridge.exchange.Handoff;
import be.absencebridge.exchange.decide.Decisions;
import be.absencebridge.exchange.gate.LinkSettings;
import be.absencebridge.exchange.deliver.Delivery;
import be.absencebridge.exchange.deliver.Outbox;
import be.absencebridge.exchange.receive.InboundEvents;
import be.absencebridge.exchange.receive.MalformedEventException;
import be.absencebridge.exchange.receive.SmartschoolPoller;
import be.absencebridge.exchange.translate.Translator;
import be.absencebridge.reconcile.RegisterComparison.Action;
import be.absencebridge.vendor.informat.InformatCalendar;
import be.absencebridge.vendor.informat.InformatDirectory;
import be.absencebridge.vendor.informat.InformatFeed;
import be.absencebridge.vendor.smartschool.Platforms;
import be.absencebridge.vendor.smartschool.SmartschoolDirectory;
import be.absencebridge.vendor.smartschool.SmartschoolSoapClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One reconciliation (or resync) run, resumable: day by day, Smartschool's register (public SOAP read) against
 * Informat's register of that day as it stands (its partner read {@code absences?date=}, silent corrections included;
 * the public interfaces publish no read of Informat's absences) and the decision table ({@link RegisterComparison}), the
 * differences and the day's progress committed together; a repair then writes through the normal outbox (the decided
 * winner), or decides a copy like a backfill's record (nothing decided). A repair that would change more than the
 * guard's share of a branch's half-days waits for an admin's approval (resyncs, asked for per pupil, do not).
 */
@Component("reconciliationJob")
public class ReconciliationJob {

    private static final Logger LOG = LoggerFactory.getLogger(ReconciliationJob.class);
    private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Reconciliations reconciliations;
    private final InformatDirectory informat;
    private final InformatCalendar calendar;
    private final InformatFeed feed;
    private final SmartschoolSoapClient soap;
    private final SmartschoolDirectory smartschool;
    private final Platforms platforms;
    private final SmartschoolPoller smartschoolEvents;
    private final InboundEvents events;
    private final Translator translator;
    private final Decisions decisions;
    private final Outbox outbox;
    private final Handoff handoff;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final BridgeProperties.Reconcile settings;
    private final LinkSettings links;

    public ReconciliationJob(LinkSettings links, NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, Reconciliations reconciliations,
                             InformatDirectory informat, InformatCalendar calendar, InformatFeed feed, SmartschoolSoapClient soap,
                             SmartschoolDirectory smartschool, Platforms platforms, SmartschoolPoller smartschoolEvents,
                             InboundEvents events, Translator translator, Decisions decisions, Outbox outbox, Handoff handoff,
                             ObjectMapper json, MeterRegistry meters, BridgeProperties props) {
        // every outcome counted from zero on, so that the dashboard and increase() see the first run's
        for (String kind : new String[] {"RECONCILIATION", "RESYNC"}) {
            for (RegisterComparison.Action action : RegisterComparison.Action.values()) {
                meters.counter("bridge.reconciliation.half.days", "kind", kind, "outcome", action.name());
            }
        }
        this.jdbc = jdbc;
        this.tx = tx;
        this.reconciliations = reconciliations;
        this.informat = informat;
        this.calendar = calendar;
        this.feed = feed;
        this.soap = soap;
        this.smartschool = smartschool;
        this.platforms = platforms;
        this.smartschoolEvents = smartschoolEvents;
        this.events = events;
        this.translator = translator;
        this.decisions = decisions;
        this.outbox = outbox;
        this.handoff = handoff;
        this.json = json;
        this.meters = meters;
        this.settings = props.reconcile();
        this.links = links;
    }

    /** The pupils a run compares, by {@code institution|registration}, and the platforms that hold them. */
    private record Scope(Map<String, InformatDirectory.Student> pupils, Set<Integer> branches, Set<String> platforms) {
    }

    /** Runs (or continues) a run that no other instance holds (reconciliation-run); how it ends: {@link Reconciliations#run}. */
    public void run(long id) {
        reconciliations.run(id, this::work);
    }

    private void work(Reconciliations.Run run) throws Exception {
        Scope scope = scope(run);
        String phase = run.phase();
        if ("FEED".equals(phase)) {
            // a run started before the register read: it reads the register day by day as a new one does
            phase = "DAYS";
        }
        if ("DAYS".equals(phase)) {
            TreeMap<LocalDate, List<HalfDay>> slots = calendar.halfDays(SchoolYear.of(run.to()));
            LocalDate after = run.position() != null ? run.position() : run.from().minusDays(1);
            for (LocalDate day : calendar.instructionDays(after, run.to())) {
                compareDay(run, scope, day, slots.getOrDefault(day, List.of()));
            }
            phase = afterComparison(run);
        }
        if ("APPLY".equals(phase)) {
            apply(run);
        }
    }

    /** Whether an Informat register item's time is after the decided registration's. */
    private static boolean newer(ObjectNode item, java.time.Instant decided) {
        try {
            return decided != null && be.absencebridge.domain.VendorTime.parse(item.path("timestamp").asText()).toInstant().isAfter(decided);
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    private Scope scope(Reconciliations.Run run) throws IOException {
        Set<String> institutions = reconciliations.institutionsOf(run.scopeKind(), run.scope());
        Set<Integer> branches = new HashSet<>();
        Map<String, InformatDirectory.Student> pupils = new HashMap<>();
        Set<String> wanted = null;
        if (run.pupils() != null) {
            wanted = new HashSet<>();
            for (JsonNode p : run.pupils()) {
                wanted.add(p.path("institutionNumber").asText() + "|" + p.path("registrationNumber").asText());
            }
        }
        for (InformatDirectory.Location l : informat.locations()) {
            if (!institutions.contains(l.instituteNo())
                    || ("BRANCH".equals(run.scopeKind()) && l.locationIdDiscimus() != Integer.parseInt(run.scope()))) {
                continue;
            }
            branches.add(l.locationIdDiscimus());
            for (InformatDirectory.Student s : informat.studentsOf(l.locationIdDiscimus())) {
                String key = s.instituteNo() + "|" + s.studentNo();
                if (wanted == null || wanted.contains(key)) {
                    pupils.put(key, s);
                }
            }
        }
        Set<String> onPlatforms = new HashSet<>();
        for (String institution : institutions) {
            String platform = smartschool.platformOf(institution);
            if (platform != null) {
                onPlatforms.add(platform);
            }
        }
        return new Scope(pupils, branches, onPlatforms);
    }

    // ---- one day ----

    /** A side's cell: its official meaning, and the event a copy would decide from. */
    private record Side(String meaning, ObjectNode event) {
    }

    private void compareDay(Reconciliations.Run run, Scope scope, LocalDate day, List<HalfDay> parts) throws Exception {
        if (scope.pupils().isEmpty()) {
            // a scope without pupils in Informat (a branch emptied since): nothing to compare, the day is done
            tx.executeWithoutResult(status -> reconciliations.addProgress(run.id(), day, 0, Map.of(), Map.of(), List.of()));
            return;
        }
        Map<String, Side> smartschoolCells = new HashMap<>();
        Map<String, Side> informatCells = new HashMap<>();
        Map<String, Long> counts = new TreeMap<>();
        for (String platform : scope.platforms()) {
            for (SmartschoolSoapClient.Cell cell : soap.readDay(platforms.get(platform), day)) {
                String pupil = cell.institutionNumber() + "|" + cell.registrationNumber();
                if (scope.pupils().containsKey(pupil)) {
                    // dated like a backfill's record: the start of its day (the register shows no registration time)
                    ObjectNode event = smartschoolEvents.event(cell, cell.code(), cell.alias(), day.atStartOfDay(BRUSSELS).toOffsetDateTime());
                    smartschoolCells.put(pupil + "|" + HalfDay.fromSmartschool(cell.part()).name(),
                            new Side(meaning(SourceSystem.SMARTSCHOOL, event, counts), event));
                }
            }
        }
        for (int branch : scope.branches()) {
            InformatDirectory.Location location = informat.location(branch);
            if (location == null) {
                continue;
            }
            for (JsonNode held : feed.register(day, branch, location.instituteNo())) {
                String institution = held.path("instituteNo").asText();
                String key = institution + "|" + held.path("studentNo").asText();
                if (!scope.pupils().containsKey(key) || !day.toString().equals(held.path("date").asText())) {
                    continue;
                }
                // the register's absence in the push's shape (an event id of its own), as a backfill reads it
                ObjectNode item = (ObjectNode) held.deepCopy();
                item.put("eventId", "reconciliation-" + run.id());
                item.put("deleted", false);
                informatCells.put(key + "|" + HalfDay.fromInformat(held.path("partOfDay").asText()).name(),
                        new Side(meaning(SourceSystem.INFORMAT, item, counts), item));
            }
        }
        Map<String, RegisterComparison.Decided> decided = new HashMap<>();
        Map<String, java.time.Instant> decidedAt = new HashMap<>();
        jdbc.query("""
                SELECT institution_number, registration_number, part, official_code, registered_at FROM decision
                WHERE date = :date AND institution_number IN (:insts)""", new MapSqlParameterSource("date", Date.valueOf(day))
                .addValue("insts", scope.pupils().values().stream().map(InformatDirectory.Student::instituteNo).distinct().toList()),
                rs -> {
                    String key = rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3);
                    decided.put(key, new RegisterComparison.Decided(rs.getString(4)));
                    decidedAt.put(key, rs.getTimestamp(5).toInstant());
                });

        LinkSettings.Snapshot links = this.links.current();
        long checked = 0;
        Map<Integer, long[]> branches = new HashMap<>();
        List<Reconciliations.Difference> differences = new ArrayList<>();
        for (InformatDirectory.Student s : scope.pupils().values()) {
            if (!s.enrolledOn(day)) {
                continue;
            }
            for (HalfDay part : parts) {
                String key = s.instituteNo() + "|" + s.studentNo() + "|" + part.name();
                Side ss = smartschoolCells.get(key);
                Side inf = informatCells.get(key);
                RegisterComparison.Decided d = decided.get(key);
                Action action = ss != null && ss.meaning() == null || inf != null && inf.meaning() == null
                        ? Action.REVIEW // a code that maps to nothing: a person looks at it
                        : RegisterComparison.compare(ss == null ? null : ss.meaning(), inf == null ? null : inf.meaning(), d,
                        s.presenceStored(day));
                if ((action == Action.WRITE_INFORMAT || action == Action.WRITE_BOTH) && inf != null
                        && newer(inf.event(), decidedAt.get(key))) {
                    // Informat's register holds a registration newer than the one decided that the bridge never heard
                    // of (a correction inside Informat, a restore: no feed item): it is the last registration, decided
                    // like a late feed item, and goes to Smartschool
                    action = Action.COPY_TO_SMARTSCHOOL;
                }
                if (action.writes() && !exchanged(links, s, day, action)) {
                    action = Action.NOT_EXCHANGED;
                }
                checked++;
                long[] branch = branches.computeIfAbsent(s.locationIdDiscimus(), b -> new long[2]);
                branch[0]++;
                counts.merge(action.name(), 1L, Long::sum);
                if (action == Action.AGREE) {
                    continue;
                }
                branch[1] += action.writes() ? 1 : 0;
                ObjectNode cell = action == Action.COPY_TO_INFORMAT ? ss.event() : action == Action.COPY_TO_SMARTSCHOOL ? inf.event() : null;
                differences.add(new Reconciliations.Difference(s.instituteNo(), s.studentNo(), day, part.name(), s.locationIdDiscimus(),
                        ss == null ? null : shown(ss), inf == null ? null : shown(inf), d == null ? null : d.officialCode(),
                        action.name(), cell == null ? null : cell.toString()));
            }
        }
        long dayChecked = checked;
        tx.executeWithoutResult(status -> reconciliations.addProgress(run.id(), day, dayChecked, counts, branches, differences));
        counts.forEach((k, v) -> meters.counter("bridge.reconciliation.half.days", "kind", run.kind(), "outcome", k).increment(v));
    }

    /**
     * Whether the exchange covers a repair of this half-day (rules 1 and 2): both switches on for the pupil's platform
     * and branch now, and, for a copy of a code nothing decided, a day on which the link was already on (a code from
     * before is a backfill's to send, under the Discimus rules).
     */
    private boolean exchanged(LinkSettings.Snapshot s, InformatDirectory.Student pupil, LocalDate day, Action action) throws IOException {
        String platform = smartschool.platformOf(pupil.instituteNo());
        if (platform == null || !s.smartschoolActive(platform) || !Boolean.TRUE.equals(s.informatActive().get(pupil.locationIdDiscimus()))) {
            return false;
        }
        if (action != Action.COPY_TO_INFORMAT && action != Action.COPY_TO_SMARTSCHOOL) {
            return true;
        }
        java.time.Instant a = s.since().get("SMARTSCHOOL|" + platform);
        java.time.Instant b = s.since().get("INFORMAT|" + pupil.locationIdDiscimus());
        java.time.Instant since = a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
        return since == null || !day.isBefore(since.atZone(BRUSSELS).toLocalDate());
    }

    /** The side's official meaning as the difference shows it: the code, or "?" plus its own code when it maps to nothing. */
    private static String shown(Side side) {
        if (side.meaning() != null) {
            return side.meaning();
        }
        String code = side.event().hasNonNull("code") ? side.event().path("code").asText() : side.event().path("absenceCode").asText();
        return "?" + code;
    }

    /** The official meaning of a side's event; null when it maps to nothing (counted as UNMAPPED). */
    private String meaning(SourceSystem source, ObjectNode event, Map<String, Long> counts) throws IOException {
        try {
            AbsenceRecord r = events.read(source, event);
            return translator.translate(r).officialCode();
        } catch (Translator.UnmappedException | MalformedEventException e) {
            counts.merge("UNMAPPED", 1L, Long::sum);
            return null;
        }
    }

    // ---- after the comparison: done, or the guard, or the repair ----

    private String afterComparison(Reconciliations.Run run) {
        if (!run.repair()) {
            reconciliations.finish(run.id(), "the registers were compared; nothing written (a dry run)");
            return "END";
        }
        String over = run.resync() || run.approvedBy() != null ? null : reconciliations.overGuard(run.id(), settings.guardShare());
        if (over != null) {
            reconciliations.waitForApproval(run.id(), over);
            LOG.warn("reconciliation {} waits for an admin's approval: {}", run.id(), over);
            return "END";
        }
        reconciliations.repairing(run.id());
        return "APPLY";
    }

    private void apply(Reconciliations.Run run) throws IOException {
        String cid = (run.resync() ? "rs-" : "rc-") + run.id();
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Long> repaired = new TreeMap<>();
        tx.executeWithoutResult(status -> {
            List<Delivery> writes = new ArrayList<>();
            List<Decisions.Candidate> copies = new ArrayList<>();
            // the decided rows first, in key order as every decider locks them: a live decision made during the repair
            // waits for it and is then newer than what the repair wrote (its outbox row supersedes the repair's)
            jdbc.query("""
                    SELECT 1 FROM reconciliation_difference f
                    JOIN decision d ON d.institution_number = f.institution_number AND d.registration_number = f.registration_number
                                   AND d.date = f.date AND d.part = f.part
                    WHERE f.reconciliation_id = :id AND NOT f.repaired AND f.action NOT IN ('AGREE', 'REVIEW', 'NOT_EXCHANGED')
                    ORDER BY d.institution_number, d.registration_number, d.date, d.part
                    FOR UPDATE OF d""", new MapSqlParameterSource("id", run.id()), rs -> {
            });
            List<Map<String, Object>> due = jdbc.queryForList("""
                    SELECT f.institution_number, f.registration_number, f.date, f.part, f.action, f.decided, f.cell::text AS cell,
                           d.official_code, d.registered_at, d.institution_number IS NOT NULL AS has_decision
                    FROM reconciliation_difference f
                    LEFT JOIN decision d ON d.institution_number = f.institution_number AND d.registration_number = f.registration_number
                                        AND d.date = f.date AND d.part = f.part
                    WHERE f.reconciliation_id = :id AND NOT f.repaired AND f.action NOT IN ('AGREE', 'REVIEW', 'NOT_EXCHANGED')
                    ORDER BY f.date, f.part, f.institution_number, f.registration_number
                    FOR UPDATE OF f""", new MapSqlParameterSource("id", run.id()));
            for (Map<String, Object> f : due) {
                Action action = Action.valueOf((String) f.get("action"));
                boolean hasDecision = Boolean.TRUE.equals(f.get("has_decision"));
                boolean isCopy = action == Action.COPY_TO_INFORMAT || action == Action.COPY_TO_SMARTSCHOOL;
                // what was compared still holds: the decision the same (or still none, for a copy)
                if (isCopy ? hasDecision : !hasDecision || !java.util.Objects.equals(f.get("official_code"), f.get("decided"))) {
                    repaired.merge("CHANGED_SINCE", 1L, Long::sum);
                    continue;
                }
                if (isCopy) {
                    try {
                        AbsenceRecord r = events.read(action == Action.COPY_TO_INFORMAT ? SourceSystem.SMARTSCHOOL : SourceSystem.INFORMAT,
                                json.readTree((String) f.get("cell")));
                        copies.add(new Decisions.Candidate(r, translator.translate(r), cid, null, null));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                } else {
                    LocalDate date = ((Date) f.get("date")).toLocalDate();
                    HalfDay part = HalfDay.valueOf((String) f.get("part"));
                    OffsetDateTime at = ((Timestamp) f.get("registered_at")).toInstant().atOffset(java.time.ZoneOffset.UTC);
                    String inst = (String) f.get("institution_number");
                    String reg = (String) f.get("registration_number");
                    if (action != Action.WRITE_INFORMAT) {
                        writes.add(outbox.winner(SourceSystem.SMARTSCHOOL, inst, reg, date, part, (String) f.get("official_code"), at, cid));
                    }
                    if (action != Action.WRITE_SMARTSCHOOL) {
                        writes.add(outbox.winner(SourceSystem.INFORMAT, inst, reg, date, part, (String) f.get("official_code"), at, cid));
                    }
                }
                repaired.merge(action.name(), 1L, Long::sum);
            }
            rows.addAll(outbox.enqueue(writes));
            if (!copies.isEmpty()) {
                rows.addAll(decisions.decideAll(copies, true).outboxRows());
            }
            // the run's writes, so that it is DONE only once they have reached their end
            outbox.markRepair(run.id(), rows);
            reconciliations.finishRepair(run.id(), repaired);
        });
        handoff.deliver(rows);
        LOG.info("reconciliation {} repaired through the outbox: {}", run.id(), repaired);
    }
}
