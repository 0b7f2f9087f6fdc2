package be.absencebridge.vendor.informat;

import be.absencebridge.domain.Presence;

import be.absencebridge.vendor.VendorCopy;
import be.absencebridge.vendor.VendorHttp;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.domain.AbsenceCodes;
import be.absencebridge.domain.SchoolYear;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * Informat's pupils and branches as the bridge needs them: the person id behind an institution and
 * registration number, date of birth and level (presence rules), and each branch's subcodes and switches.
 * Read from the vendor, cached, and read again when stale or when an unknown pupil turns up.
 * <p>
 * With the partner endpoints, from their {@code locations} and {@code students}. With public interfaces only, from the
 * older public pupil API, per institute of the board's branches ({@code bridge.informat.branches}): {@code 1/registrations}
 * (person id, stamnummer, the branch's own code {@code vestCode}, the structure code, begin and end date; realised
 * registrations only) and {@code 1/students} (date of birth). The registration's {@code vestCode} is mapped onto the
 * Discimus location by the board's configuration (the pupil API has none); a registration of a branch not configured is
 * left out and counted in the log. The switches of a configured branch are taken as on (the public interfaces do not
 * show them), and its subcodes are the configured ones. Names and everything else these reads return are not kept.
 * The older API's reads and its error answers are {@link InformatPupilApi}'s.
 */
@Component("informatDirectory")
public class InformatDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(InformatDirectory.class);

    public record Student(String personId, String studentNo, String instituteNo, int locationIdDiscimus,
                          LocalDate dateOfBirth, String level, LocalDate startDate, LocalDate endDate) {

        /** Rule 6: whether Informat stores this pupil's presence on that date. */
        public boolean presenceStored(LocalDate date) {
            return Presence.storedInInformat(level, dateOfBirth, date);
        }

        public boolean enrolledOn(LocalDate date) {
            return !date.isBefore(startDate) && (endDate == null || !date.isAfter(endDate));
        }
    }

    public record Location(int locationIdDiscimus, String instituteNo, boolean smartschoolLink,
                           boolean exchangeAbsences, boolean discimusActive, Map<String, String> subcodes) {
    }

    /**
     * Enrolments by {@code institution|registration}, each key's in start-date order, and by enrolment id (the older
     * pupil API's {@code inschrijvingsId}; a read of changes replaces an enrolment by its id), dates of birth by person;
     * the school years read; when the whole lists were read ({@code fullAt}, the schedule) and when the copy was last
     * brought up to date ({@code readAt}, a read of changes included).
     */
    private record Snapshot(Map<String, java.util.List<Student>> byKey, Map<String, Student> byEnrolment,
                            Map<String, LocalDate> born, Map<Integer, Location> locations, java.util.List<SchoolYear> years,
                            Instant fullAt, Instant readAt) {

        boolean stale(Duration refresh, Instant now, java.util.List<SchoolYear> open) {
            return VendorCopy.stale(fullAt, refresh, now) || !years.equals(open);
        }
    }

    private static final java.time.ZoneId BRUSSELS = java.time.ZoneId.of("Europe/Brussels");

    private final VendorHttp http;
    private final Clock clock;
    private final BridgeProperties props;
    private final String baseUrl;
    private final InformatPupilApi pupilApi;
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();
    private volatile Snapshot snapshot;
    /** When the copy was last brought up to date (System.nanoTime: an order of events, not a time of the day). */
    private volatile long readNanos = System.nanoTime() - Long.MAX_VALUE / 2;

    public InformatDirectory(VendorHttp http, Clock clock, BridgeProperties props, InformatPupilApi pupilApi) {
        this.http = http;
        this.clock = clock;
        this.props = props;
        this.baseUrl = props.informat().partnerUrl();
        this.pupilApi = pupilApi;
    }

    /**
     * The pupil's enrolment that covers {@code date}, or null when none does (see {@link #known} for whether Informat
     * knows the pupil at all). A pupil who changed branch has an enrolment per branch; one who changed school has
     * another registration number there.
     */
    public Student student(String institutionNumber, String registrationNumber, LocalDate date) throws IOException {
        for (Student s : enrolments(institutionNumber, registrationNumber)) {
            if (s.enrolledOn(date)) {
                return s;
            }
        }
        return null;
    }

    /** The pupil's latest enrolment (its person id and level), or null when Informat does not know the pupil. */
    public Student student(String institutionNumber, String registrationNumber) throws IOException {
        java.util.List<Student> all = enrolments(institutionNumber, registrationNumber);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** The pupil's enrolment covering {@code date}, else the latest: who to write to for that day. */
    public Student studentOn(String institutionNumber, String registrationNumber, LocalDate date) throws IOException {
        Student s = student(institutionNumber, registrationNumber, date);
        return s != null ? s : student(institutionNumber, registrationNumber);
    }

    /** Whether Informat knows the pupil (some enrolment in a school year the copy holds). */
    public boolean known(String institutionNumber, String registrationNumber) throws IOException {
        return !enrolments(institutionNumber, registrationNumber).isEmpty();
    }

    /** The pupil's enrolments in start-date order (empty when unknown). */
    public java.util.List<Student> enrolments(String institutionNumber, String registrationNumber) throws IOException {
        return current().byKey().getOrDefault(institutionNumber + "|" + registrationNumber, java.util.List.of());
    }

    /** The enrolments at a branch, in registration-number order (a pupil who left and came back: once per enrolment). */
    public java.util.List<Student> studentsOf(int locationIdDiscimus) throws IOException {
        return current().byKey().values().stream().flatMap(java.util.List::stream)
                .filter(s -> s.locationIdDiscimus() == locationIdDiscimus)
                .sorted(java.util.Comparator.comparing(Student::studentNo).thenComparing(Student::startDate)).toList();
    }

    /** Every branch of the board, in locationIdDiscimus order. */
    public java.util.List<Location> locations() throws IOException {
        return current().locations().values().stream().sorted(java.util.Comparator.comparingInt(Location::locationIdDiscimus)).toList();
    }

    public Location location(int locationIdDiscimus) throws IOException {
        return current().locations().get(locationIdDiscimus);
    }

    /** The main code of an Informat code (a main code, or a subcode of the branch); null when unknown. */
    public String mainCode(int locationIdDiscimus, String code) throws IOException {
        if (AbsenceCodes.isInformatMainCode(code)) {
            return code;
        }
        Location l = location(locationIdDiscimus);
        return l == null ? null : l.subcodes().get(code);
    }

    /** Reads Informat's pupils and branches now (a job starting, a pupil not found, the schedule). */
    public void refresh() throws IOException {
        read();
    }

    /** Whether the copy is due for its scheduled read: older than the refresh, or of other school years than today's. */
    public boolean due() {
        Snapshot s = snapshot;
        return s == null || s.stale(props.directoryRefresh(), clock.instant(), openYears());
    }

    /** When the copy in use was read (the epoch when none was). */
    public Instant readAt() {
        Snapshot s = snapshot;
        return s == null ? Instant.EPOCH : s.readAt();
    }

    /** How many reads brought other pupils or enrolments than the read before (what waits for a pupil is tried again). */
    public long changes() {
        return changes.get();
    }

    private Snapshot current() throws IOException {
        Snapshot s = snapshot;
        if (s == null || s.stale(props.directoryRefresh(), clock.instant(), openYears())) {
            s = VendorCopy.readOrLast(this::read, snapshot, LOG);
        }
        return s;
    }

    /** The school years whose pupils the bridge needs today: the current one, and the previous one in its grace. */
    private java.util.List<SchoolYear> openYears() {
        return SchoolYear.open(LocalDate.now(clock.withZone(BRUSSELS)), props.exchange().previousYearDays());
    }

    private synchronized Snapshot read() throws IOException {
        Instant start = clock.instant();
        java.util.List<SchoolYear> years = openYears();
        Map<String, Student> byEnrolment = new HashMap<>();
        Map<String, LocalDate> born = new HashMap<>();
        Map<Integer, Location> locations = props.informat().partner() ? readPartner(years, byEnrolment)
                : readPublic(years, byEnrolment, born, null);
        return install(new Snapshot(index(byEnrolment), byEnrolment, born, locations, years, start, start), "loaded");
    }

    /**
     * With public interfaces only, reads what changed since the copy was last brought up to date, through the older
     * pupil API's {@code changedSince} (students: a moment; registrations: a day, so today's changes come again, and
     * replace themselves by their id): a few rows instead of the whole lists. With the partner endpoints, which have
     * no such read, the whole lists. Either way the copy's scheduled whole read stays.
     */
    public void refreshChanges() throws IOException {
        if (props.informat().partner()) {
            read();
            return;
        }
        readChanges();
    }

    /**
     * Reads the pupils again unless the copy was brought up to date after {@code nanos} ({@link System#nanoTime}):
     * Informat refused a write for a pupil or enrolment the copy holds (moved, left since the copy was read). Callers
     * refused at the same moment share one read.
     */
    public synchronized void refreshUnlessReadSince(long nanos) throws IOException {
        if (readNanos - nanos < 0) {
            refreshChanges();
        }
    }

    /** Whether {@link #refreshChanges} reads only changes (public interfaces only: the older pupil API). */
    public boolean readsChanges() {
        return !props.informat().partner();
    }

    private synchronized void readChanges() throws IOException {
        Snapshot s = snapshot;
        if (s == null || s.stale(props.directoryRefresh(), clock.instant(), openYears())) {
            read();
            return;
        }
        Instant start = clock.instant();
        Map<String, Student> byEnrolment = new HashMap<>(s.byEnrolment());
        Map<String, LocalDate> born = new HashMap<>(s.born());
        // a minute earlier than the last read began: two clocks, and a change committed while that read ran
        readPublic(s.years(), byEnrolment, born, s.readAt().minusSeconds(60));
        install(new Snapshot(index(byEnrolment), byEnrolment, born, s.locations(), s.years(), s.fullAt(), start), "changes read");
    }

    private Snapshot install(Snapshot snap, String what) {
        Snapshot before = snapshot;
        snapshot = snap;
        readNanos = System.nanoTime();
        if (before == null || !before.byKey().equals(snap.byKey())) {
            changes.incrementAndGet();
            LOG.info("Informat directory {}: {} pupils, {} locations, school years {}", what, snap.byKey().size(),
                    snap.locations().size(), snap.years());
        }
        return snap;
    }

    /** The enrolments by pupil, each pupil's in start-date order. */
    private static Map<String, java.util.List<Student>> index(Map<String, Student> byEnrolment) {
        Map<String, java.util.List<Student>> byKey = new HashMap<>();
        for (Student st : byEnrolment.values()) {
            byKey.computeIfAbsent(st.instituteNo() + "|" + st.studentNo(), k -> new java.util.ArrayList<>()).add(st);
        }
        for (java.util.List<Student> enrolments : byKey.values()) {
            enrolments.sort(java.util.Comparator.comparing(Student::startDate, java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())));
        }
        return byKey;
    }

    private Map<Integer, Location> readPartner(java.util.List<SchoolYear> years, Map<String, Student> byEnrolment)
            throws IOException {
        Map<Integer, Location> locations = new HashMap<>();
        for (JsonNode l : http.getArray(baseUrl + "/locations")) {
            Map<String, String> subcodes = new HashMap<>();
            for (JsonNode sc : l.path("subcodes")) {
                subcodes.put(sc.path("subcode").asText(), sc.path("mainCode").asText());
            }
            int id = l.path("locationIdDiscimus").asInt();
            locations.put(id, new Location(id, l.path("instituteNo").asText(), l.path("smartschoolLink").asBoolean(),
                    l.path("exchangeAbsences").asBoolean(), l.path("discimusActive").asBoolean(), subcodes));
        }
        for (SchoolYear year : years) {
            for (JsonNode s : http.getArray(baseUrl + "/students?schoolYear=" + year)) {
                Student st = new Student(s.path("personId").asText(), s.path("studentNo").asText(),
                        s.path("instituteNo").asText(), s.path("locationIdDiscimus").asInt(),
                        date(s.path("dateOfBirth")), s.path("level").asText(), date(s.path("startDate")), date(s.path("endDate")));
                // an enrolment read for two school years is kept once (the partner students list has no enrolment id)
                byEnrolment.put(st.personId() + "|" + st.locationIdDiscimus() + "|" + st.startDate(), st);
            }
        }
        return locations;
    }

    /** The public read, whole ({@code since} null) or of what changed since then, into the maps given. */
    private Map<Integer, Location> readPublic(java.util.List<SchoolYear> years, Map<String, Student> byEnrolment,
                                              Map<String, LocalDate> born, Instant since) throws IOException {
        Map<Integer, Location> locations = new HashMap<>();
        Map<String, Integer> byBranchCode = new HashMap<>();
        for (BridgeProperties.Branch b : props.informat().branches()) {
            locations.put(b.locationIdDiscimus(), new Location(b.locationIdDiscimus(), b.instituteNo(), true, true, true, b.subcodes()));
            byBranchCode.put(b.instituteNo() + "|" + b.vestCode(), b.locationIdDiscimus());
        }
        int unmapped = 0;
        for (SchoolYear year : years) {
            for (String institute : new java.util.TreeSet<>(props.informat().branches().stream().map(BridgeProperties.Branch::instituteNo).toList())) {
                unmapped += readPublic(year, institute, byBranchCode, byEnrolment, born, since);
            }
        }
        if (unmapped > 0) {
            LOG.warn("Informat directory: {} registrations of a branch not in bridge.informat.branches left out", unmapped);
        }
        return locations;
    }

    /** One institute's registrations of one school year through the older pupil API; returns those of unconfigured branches. */
    private int readPublic(SchoolYear year, String institute, Map<String, Integer> byBranchCode,
                           Map<String, Student> byEnrolment, Map<String, LocalDate> born, Instant since) throws IOException {
        int unmapped = 0;
        String students = "/1/students?schoolYear=" + year;
        String registrations = "/1/registrations?schoolYear=" + year;
        if (since != null) {
            students += "&changedSince=" + since;
            registrations += "&changedSince=" + LocalDate.ofInstant(since, BRUSSELS);
        }
        for (JsonNode s : pupilApi.read(students, institute).path("students")) {
            born.put(s.path("persoonId").asText(), date(s.path("geboortedatum")));
        }
        for (JsonNode r : pupilApi.read(registrations, institute).path("registrations")) {
            String id = r.path("inschrijvingsId").asText(r.path("persoonId").asText() + "|" + r.path("begindatum").asText());
            String stamnr = r.path("stamnr").asText(null);
            if (r.path("status").asInt(-1) != 0 || stamnr == null || stamnr.isBlank()) {
                // not (or no longer) a realised registration
                byEnrolment.remove(id);
                continue;
            }
            Integer location = byBranchCode.get(r.path("instelnr").asText() + "|" + r.path("vestCode").asText());
            if (location == null) {
                unmapped++;
                byEnrolment.remove(id);
                continue;
            }
            byEnrolment.put(id, new Student(r.path("persoonId").asText(), stamnr, r.path("instelnr").asText(), location,
                    born.get(r.path("persoonId").asText()), level(r.path("hfdstructuur").asText()),
                    date(r.path("begindatum")), date(r.path("einddatum"))));
        }
        return unmapped;
    }

    /**
     * The level of a registration's structure code ({@code hfdstructuur}): 1.. kindergarten, 2.. primary, 3.. secondary
     * (the public client documents "111, 311, ..."; primary's 2.. follows the Flemish numbering and is not documented).
     */
    static String level(String structure) {
        return structure.startsWith("1") ? "kleuter" : structure.startsWith("2") ? "lager" : structure.startsWith("3") ? "secundair"
                : structure;
    }

    /** A date, also written as a date-time (the pupil API's client reads them as DateTime). */
    static LocalDate date(JsonNode n) {
        if (!n.isTextual()) {
            return null;
        }
        String s = n.asText();
        if (s.length() <= 10) {
            return LocalDate.parse(s);
        }
        // a date-time with an offset is a moment: its day in Brussels (a birth date written as midnight Brussels in UTC,
        // 2012-03-13T23:00:00Z, is 14 March; its first ten characters said 13 March, and moved the compulsory-age test)
        try {
            return java.time.OffsetDateTime.parse(s).atZoneSameInstant(BRUSSELS).toLocalDate();
        } catch (java.time.format.DateTimeParseException e) {
            return java.time.LocalDateTime.parse(s).toLocalDate();
        }
    }
}
