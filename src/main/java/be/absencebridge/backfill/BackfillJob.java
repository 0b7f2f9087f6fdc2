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
import be.absencebridge.domain.VendorTime;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
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

    private final TransactionTemplate tx;
    private final Backfills backfills;
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
    private final int maxDaysPerRun;

    public BackfillJob(TransactionTemplate tx, Backfills backfills, InformatDirectory informat,
                       InformatCalendar calendar, InformatFeed feed, SmartschoolSoapClient soap,
                       be.absencebridge.vendor.smartschool.SmartschoolDirectory smartschool,
                       be.absencebridge.vendor.smartschool.Platforms platforms, SmartschoolPoller smartschoolEvents, Translator translator, Decisions decisions, InboundEvents events,
                       Handoff handoff, ObjectMapper json, MeterRegistry meters, BridgeProperties props) {
        this.tx = tx;
        this.backfills = backfills;
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
        this.maxDaysPerRun = props.backfill().maxDaysPerRun();
    }

    /** Runs (or continues) a backfill that no other instance holds (backfill-run); how it ends: {@link Backfills#run}. */
    public void run(long id) {
        backfills.run(id, this::work);
    }

    private void work(Backfills.Run job) throws Exception {
        if ("SNAPSHOT".equals(job.phase())) {
            snapshot(job);
        }
        List<LocalDate> days = calendar.instructionDays(job.position(), job.upTo());
        Map<LocalDate, List<HalfDay>> slots = calendar.halfDays(SchoolYear.of(job.upTo()));
        int ran = 0;
        for (LocalDate day : days) {
            if (maxDaysPerRun > 0 && ran++ >= maxDaysPerRun) {
                // pause: another run (this instance or another) continues from the committed position
                backfills.pause(job.id());
                return;
            }
            runDay(job, day, slots.getOrDefault(day, List.of()));
        }
        // decided: a real run is DONE once its writes have reached their end (Backfills.settleDelivered)
        backfills.decided(job.id(), job.dryRun());
    }

    // ---- Informat's register from the change feed ----

    private void snapshot(Backfills.Run job) throws IOException {
        String cursor = job.feedCursor();
        int location = Integer.parseInt(job.scope());
        while (true) {
            InformatFeed.Page page = feed.page(cursor, 1000);
            String next = page.next();
            List<Backfills.SourceItem> items = new ArrayList<>();
            long unreadable = 0;
            for (JsonNode item : page.items()) {
                if (item.path("locationIdDiscimus").asInt() != location) {
                    continue;
                }
                try {
                    items.add(new Backfills.SourceItem(item.path("studentNo").asText(), LocalDate.parse(item.path("date").asText()),
                            HalfDay.fromInformat(item.path("partOfDay").asText()), item.toString(), item.path("deleted").asBoolean(),
                            // the times the partner contract allows, read as the exchange reads them (local time too)
                            VendorTime.parse(item.path("timestamp").asText()).toInstant()));
                } catch (RuntimeException e) {
                    // an item the backfill cannot read stops only itself: counted, never decided (it threw before, and
                    // the run was resumed for ever)
                    unreadable++;
                    LOG.warn("backfill {}: a change-feed item could not be read ({}), left out", job.id(), e.getMessage());
                }
            }
            String committed = next;
            long left = unreadable;
            tx.executeWithoutResult(s -> backfills.sourcePage(job.id(), items, committed, left));
            if (page.items().size() < 1000 || next == null || next.equals(cursor)) {
                break;
            }
            cursor = next;
        }
        backfills.sourceRead(job.id());
    }

    // ---- one day ----

    private void runDay(Backfills.Run job, LocalDate day, List<HalfDay> parts) throws Exception {
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
        long halfDays = counts.entrySet().stream().filter(e -> !PRESENCE.equals(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        tx.executeWithoutResult(s -> backfills.dayDone(job.id(), day, halfDays, counts));
        counts.forEach((k, v) -> meters.counter("bridge.backfill.half.days", "direction", job.direction().name(), "outcome", k).increment(v));
        handoff.deliver(outboxRows);
        if (day.getDayOfWeek() == java.time.DayOfWeek.FRIDAY) {
            LOG.info("backfill {} ({} {}{}): week up to {} done, {}", job.id(), job.direction(), job.scope(),
                    job.dryRun() ? ", dry run" : "", day, counts);
        }
    }

    private void smartschoolDay(Backfills.Run job, LocalDate day, List<AbsenceRecord> records, Map<String, Long> counts) throws Exception {
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

    private void informatDay(Backfills.Run job, LocalDate day, List<HalfDay> parts, List<AbsenceRecord> records, Map<String, Long> counts)
            throws IOException {
        int location = Integer.parseInt(job.scope());
        Map<String, JsonNode> stored = backfills.source(job.id(), day);
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
