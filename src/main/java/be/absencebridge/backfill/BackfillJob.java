package be.absencebridge.backfill;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.domain.Decision;
import be.absencebridge.domain.Direction;
import be.absencebridge.exchange.Handoff;
import be.absencebridge.exchange.receive.SmartschoolPoller;
import be.absencebridge.vendor.informat.InformatCalendar;
import be.absencebridge.vendor.informat.InformatFeed;
import be.absencebridge.vendor.smartschool.SmartschoolSoapClient;
import be.absencebridge.domain.AbsenceRecord;
import be.absencebridge.domain.SourceSystem;
import be.absencebridge.exchange.decide.Decisions;
import be.absencebridge.exchange.receive.InboundEvents;
import be.absencebridge.exchange.receive.MalformedEventException;
import be.absencebridge.exchange.translate.Translator;
import be.absencebridge.vendor.informat.InformatDirectory;

import be.absencebridge.domain.AbsenceCodes;
import be.absencebridge.domain.HalfDay;
import be.absencebridge.domain.SchoolYear;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a backfill day by day through the exchange's own translation and last-registration-wins decision
 * (so it never overwrites a newer registration, and running it twice changes nothing). Each day is one
 * transaction with the job's progress, so a crash or restart resumes after the last completed day; a
 * dry run decides inside a transaction that is rolled back, and only its counts are kept.
 *
 * <p>Smartschool to Informat reads each instruction day's register through SOAP (presences of compulsory
 * pupils have no effect in Informat and are only counted). Informat to Smartschool first reads the
 * branch's register from the change feed into {@code backfill_source}, then sends every code, and for every
 * empty instruction half-day of every pupil enrolled that day the official presence {@code |}.
 */
@Component("backfillJob")
public class BackfillJob {

    private static final Logger LOG = LoggerFactory.getLogger(BackfillJob.class);
    private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

    /** A backfill's own tally besides the decisions: the presences it made up for empty Informat half-days. */
    static final String PRESENCE = "PRESENCE";

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final InformatDirectory informat;
    private final InformatCalendar calendar;
    private final InformatFeed feed;
    private final SmartschoolSoapClient soap;
    private final be.absencebridge.vendor.smartschool.SmartschoolDirectory smartschool;
    private final be.absencebridge.vendor.smartschool.Platforms platforms;
    private final SmartschoolPoller smartschoolEvents;
    private final Translator translator;
    private final Decisions decisions;
    private final InboundEvents events;
    private final Handoff handoff;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final int leaseSeconds;
    private final int maxDaysPerRun;

    public BackfillJob(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, InformatDirectory informat,
                       InformatCalendar calendar, InformatFeed feed, SmartschoolSoapClient soap,
                       be.absencebridge.vendor.smartschool.SmartschoolDirectory smartschool,
                       be.absencebridge.vendor.smartschool.Platforms platforms, SmartschoolPoller smartschoolEvents, Translator translator, Decisions decisions, InboundEvents events,
                       Handoff handoff, ObjectMapper json, MeterRegistry meters, BridgeProperties props) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.informat = informat;
        this.calendar = calendar;
        this.feed = feed;
        this.soap = soap;
        this.smartschool = smartschool;
        this.platforms = platforms;
        this.smartschoolEvents = smartschoolEvents;
        this.translator = translator;
        this.decisions = decisions;
        this.events = events;
        this.handoff = handoff;
        this.json = json;
        this.meters = meters;
        this.leaseSeconds = props.backfill().leaseSeconds();
        this.maxDaysPerRun = props.backfill().maxDaysPerRun();
    }

    private record Job(long id, Direction direction, String scope, boolean dryRun, String phase, String feedCursor,
                       LocalDate upTo, LocalDate position) {
    }

    public void run(long id) {
        Job job = claim(id);
        if (job == null) {
            return;
        }
        try {
            if ("SNAPSHOT".equals(job.phase())) {
                snapshot(job);
            }
            List<LocalDate> days = calendar.instructionDays(job.position(), job.upTo());
            Map<LocalDate, List<HalfDay>> slots = calendar.halfDays(SchoolYear.of(job.upTo()));
            int ran = 0;
            for (LocalDate day : days) {
                if (maxDaysPerRun > 0 && ran++ >= maxDaysPerRun) {
                    // pause: another run (this instance or another) continues from the committed position
                    release(id, null);
                    return;
                }
                runDay(job, day, slots.getOrDefault(day, List.of()));
            }
            // decided: a real run is DONE once its writes have reached their end (Backfills.settleDelivered)
            jdbc.update("""
                    UPDATE backfill SET state = CASE WHEN dry_run THEN 'DONE' ELSE 'DELIVERING' END, locked_until = NULL,
                                        updated_at = now() WHERE id = :id""", new MapSqlParameterSource("id", id));
            LOG.info("backfill {} decided{}: {}", id, job.dryRun() ? " (dry run, done)" : ", delivering",
                    jdbc.queryForObject("SELECT counts::text FROM backfill WHERE id = :id", new MapSqlParameterSource("id", id), String.class));
        } catch (Exception e) {
            if (be.absencebridge.job.Failures.retryable(e)) {
                // a vendor unreachable, the database gone: the job stays RUNNING and is resumed later
                LOG.warn("backfill {} interrupted, resumes later: {}", id, e.toString());
                release(id, be.absencebridge.job.Failures.reason(e));
            } else {
                // what no retry fixes (data it cannot read, a configuration that no longer holds, a bug): FAILED with
                // the reason, for a person (AbsenceBridgeBackfillFailed), not resumed every half minute for ever
                LOG.error("backfill {} failed: {}", id, e.toString());
                jdbc.update("UPDATE backfill SET state = 'FAILED', locked_until = NULL, error = :error, updated_at = now() WHERE id = :id",
                        new MapSqlParameterSource("id", id).addValue("error", be.absencebridge.job.Failures.reason(e)));
            }
        }
    }

    private Job claim(long id) {
        List<Job> jobs = jdbc.query("""
                UPDATE backfill SET locked_until = now() + make_interval(secs => :lease), updated_at = now()
                WHERE id = :id AND state = 'RUNNING' AND (locked_until IS NULL OR locked_until < now())
                RETURNING id, direction, scope, dry_run, phase, feed_cursor, up_to, position""",
                new MapSqlParameterSource("id", id).addValue("lease", leaseSeconds), (rs, i) -> new Job(rs.getLong(1),
                        Direction.valueOf(rs.getString(2)), rs.getString(3), rs.getBoolean(4), rs.getString(5), rs.getString(6),
                        rs.getDate(7).toLocalDate(), rs.getDate(8) == null ? null : rs.getDate(8).toLocalDate()));
        return jobs.isEmpty() ? null : jobs.get(0);
    }

    private void release(long id, String error) {
        jdbc.update("UPDATE backfill SET locked_until = NULL, error = :error, updated_at = now() WHERE id = :id",
                new MapSqlParameterSource("id", id).addValue("error", error));
    }

    // ---- Informat's register from the change feed ----

    private void snapshot(Job job) throws IOException {
        String cursor = job.feedCursor();
        int location = Integer.parseInt(job.scope());
        while (true) {
            InformatFeed.Page page = feed.page(cursor, 1000);
            String next = page.next();
            List<MapSqlParameterSource> rows = new ArrayList<>();
            long unreadable = 0;
            for (JsonNode item : page.items()) {
                if (item.path("locationIdDiscimus").asInt() != location) {
                    continue;
                }
                try {
                    rows.add(new MapSqlParameterSource().addValue("id", job.id())
                            .addValue("student", item.path("studentNo").asText())
                            .addValue("date", Date.valueOf(java.time.LocalDate.parse(item.path("date").asText())))
                            .addValue("part", HalfDay.fromInformat(item.path("partOfDay").asText()).name())
                            .addValue("payload", item.toString())
                            .addValue("deleted", item.path("deleted").asBoolean())
                            // the times the partner contract allows, read as the exchange reads them (local time too)
                            .addValue("at", Timestamp.from(be.absencebridge.domain.VendorTime.parse(item.path("timestamp").asText()).toInstant())));
                } catch (RuntimeException e) {
                    // an item the backfill cannot read stops only itself: counted, never decided (it threw before, and
                    // the run was resumed for ever)
                    unreadable++;
                    LOG.warn("backfill {}: a change-feed item could not be read ({}), left out", job.id(), e.getMessage());
                }
            }
            String committed = next;
            long left = unreadable;
            tx.executeWithoutResult(s -> {
                if (left > 0) {
                    jdbc.update("""
                            UPDATE backfill SET counts = jsonb_set(counts, '{UNREADABLE}',
                                to_jsonb(coalesce((counts->>'UNREADABLE')::bigint, 0) + :n)) WHERE id = :id""",
                            new MapSqlParameterSource("id", job.id()).addValue("n", left));
                }
                if (!rows.isEmpty()) {
                    jdbc.batchUpdate("""
                            INSERT INTO backfill_source (backfill_id, student_no, date, part, payload, deleted, registered_at)
                            VALUES (:id, :student, :date, :part, CAST(:payload AS jsonb), :deleted, :at)
                            -- the last item of a half-day in the feed's commit order is what the register holds (not the
                            -- greatest time: two local times of the hour that comes twice in October compare wrongly)
                            ON CONFLICT (backfill_id, date, student_no, part) DO UPDATE
                            SET payload = EXCLUDED.payload, deleted = EXCLUDED.deleted, registered_at = EXCLUDED.registered_at""",
                            rows.toArray(new MapSqlParameterSource[0]));
                }
                jdbc.update("UPDATE backfill SET feed_cursor = :cursor, locked_until = now() + make_interval(secs => :lease) WHERE id = :id",
                        new MapSqlParameterSource("id", job.id()).addValue("cursor", committed).addValue("lease", leaseSeconds));
            });
            if (page.items().size() < 1000 || next == null || next.equals(cursor)) {
                break;
            }
            cursor = next;
        }
        jdbc.update("UPDATE backfill SET phase = 'DAYS' WHERE id = :id", new MapSqlParameterSource("id", job.id()));
    }

    // ---- one day ----

    private void runDay(Job job, LocalDate day, List<HalfDay> parts) throws Exception {
        List<AbsenceRecord> records = new ArrayList<>();
        Map<String, Long> counts = new TreeMap<>();
        if (job.direction() == Direction.SMARTSCHOOL_TO_INFORMAT) {
            smartschoolDay(job, day, records, counts);
        } else {
            informatDay(job, day, parts, records, counts);
        }
        String cid = "bf-" + job.id();
        // the day's decisions, through the exchange's own translation and decision; a dry run rolls them back and
        // keeps only the counts
        List<Map<String, Object>> outboxRows = tx.execute(status -> {
            List<Decisions.Candidate> candidates = new ArrayList<>(records.size());
            for (AbsenceRecord r : records) {
                try {
                    candidates.add(new Decisions.Candidate(r, translator.translate(r), cid, null, job.id()));
                } catch (Translator.UnmappedException e) {
                    counts.merge(Decision.UNMAPPED.name(), 1L, Long::sum);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            Decisions.Result result = decisions.decideAll(candidates, !job.dryRun());
            result.decisions().forEach(d -> counts.merge(d.name(), 1L, Long::sum));
            if (job.dryRun()) {
                status.setRollbackOnly();
                return List.<Map<String, Object>>of();
            }
            return result.outboxRows();
        });
        // the day's progress, committed (for a real run this follows the decisions' commit: a crash in between
        // repeats the day, whose decisions are then duplicates)
        tx.executeWithoutResult(s -> {
            Map<String, Long> merged = new TreeMap<>();
            String current = jdbc.queryForObject("SELECT counts::text FROM backfill WHERE id = :id FOR UPDATE",
                    new MapSqlParameterSource("id", job.id()), String.class);
            try {
                json.readTree(current).fields().forEachRemaining(e -> merged.put(e.getKey(), e.getValue().asLong()));
                counts.forEach((k, v) -> merged.merge(k, v, Long::sum));
                jdbc.update("""
                        UPDATE backfill SET position = :day, done = done + 1, half_days = half_days + :n,
                               counts = CAST(:counts AS jsonb), error = NULL, updated_at = now(),
                               locked_until = now() + make_interval(secs => :lease)
                        WHERE id = :id""", new MapSqlParameterSource("id", job.id()).addValue("day", Date.valueOf(day))
                        .addValue("n", counts.entrySet().stream().filter(e -> !PRESENCE.equals(e.getKey()))
                                .mapToLong(Map.Entry::getValue).sum())
                        .addValue("counts", json.writeValueAsString(merged)).addValue("lease", leaseSeconds));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        counts.forEach((k, v) -> meters.counter("bridge.backfill.half.days", "direction", job.direction().name(), "outcome", k).increment(v));
        handoff.deliver(outboxRows);
        if (day.getDayOfWeek() == java.time.DayOfWeek.FRIDAY) {
            LOG.info("backfill {} ({} {}{}): week up to {} done, {}", job.id(), job.direction(), job.scope(),
                    job.dryRun() ? ", dry run" : "", day, counts);
        }
    }

    private void smartschoolDay(Job job, LocalDate day, List<AbsenceRecord> records, Map<String, Long> counts) throws Exception {
        // the institution's own platform
        BridgeProperties.Platform platform = platforms.get(smartschool.platformOf(job.scope()));
        if (platform == null) {
            throw new IllegalStateException("institution " + job.scope() + " is on no configured Smartschool platform");
        }
        for (SmartschoolSoapClient.Cell cell : soap.readDay(platform, day)) {
            if (!cell.institutionNumber().equals(job.scope())) {
                continue;
            }
            InformatDirectory.Student student = informat.student(cell.institutionNumber(), cell.registrationNumber(), day);
            if (student == null) {
                counts.merge((informat.known(cell.institutionNumber(), cell.registrationNumber()) ? Decision.NOT_ENROLLED
                        : Decision.UNKNOWN_PUPIL).name(), 1L, Long::sum);
                continue;
            }
            if (AbsenceCodes.PRESENT.equals(cell.code()) && !student.presenceStored(day)) {
                // a presence has no effect in Informat (an empty half-day already means present)
                counts.merge(Decision.NO_EFFECT.name(), 1L, Long::sum);
                continue;
            }
            // an existing code's registration time is unknown: the start of its day, so anything Informat holds with a
            // time of that day is newer and stays
            add(records, counts, SourceSystem.SMARTSCHOOL, smartschoolEvents.event(cell, cell.code(), cell.alias(),
                    day.atStartOfDay(BRUSSELS).toOffsetDateTime()));
        }
    }

    private void informatDay(Job job, LocalDate day, List<HalfDay> parts, List<AbsenceRecord> records, Map<String, Long> counts)
            throws IOException {
        int location = Integer.parseInt(job.scope());
        Map<String, JsonNode> stored = new HashMap<>();
        jdbc.query("SELECT student_no, part, payload::text, deleted FROM backfill_source WHERE backfill_id = :id AND date = :date",
                new MapSqlParameterSource("id", job.id()).addValue("date", Date.valueOf(day)), rs -> {
                    if (!rs.getBoolean(4)) {
                        try {
                            stored.put(rs.getString(1) + "|" + rs.getString(2), json.readTree(rs.getString(3)));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                });
        // an empty half-day's presence counts as registered at the start of that day, so any registration
        // Smartschool holds for it is newer and stays
        String startOfDay = day.atStartOfDay(BRUSSELS).toOffsetDateTime().toString();
        for (InformatDirectory.Student s : informat.studentsOf(location)) {
            if (!s.enrolledOn(day)) {
                continue;
            }
            for (HalfDay part : parts) {
                JsonNode item = stored.get(s.studentNo() + "|" + part.name());
                ObjectNode event;
                if (item != null) {
                    event = ((ObjectNode) item.deepCopy());
                } else {
                    event = json.createObjectNode();
                    event.put("personId", s.personId());
                    event.put("studentNo", s.studentNo());
                    event.put("instituteNo", s.instituteNo());
                    event.put("locationIdDiscimus", s.locationIdDiscimus());
                    event.put("date", day.toString());
                    event.put("partOfDay", part.informat());
                    event.put("absenceCode", AbsenceCodes.PRESENT);
                    event.put("timestamp", startOfDay);
                    event.put("deleted", false);
                    counts.merge(PRESENCE, 1L, Long::sum);
                }
                event.put("eventId", "backfill-" + job.id());
                add(records, counts, SourceSystem.INFORMAT, event);
            }
        }
    }

    private void add(List<AbsenceRecord> records, Map<String, Long> counts, SourceSystem source, JsonNode event) {
        try {
            records.add(events.read(source, event));
        } catch (MalformedEventException e) {
            counts.merge(Decision.UNREADABLE.name(), 1L, Long::sum);
        }
    }
}
