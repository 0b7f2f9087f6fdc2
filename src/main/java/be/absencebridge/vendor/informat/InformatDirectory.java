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
 */
@Component("informatDirectory")
public class InformatDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(InformatDirectory.class);
    private static final long MIN_RELOAD_SECONDS_ON_MISS = 15;

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

    private record Snapshot(Map<String, Student> byKey, Map<Integer, Location> locations, Instant loadedAt) {
    }

    private static final java.time.ZoneId BRUSSELS = java.time.ZoneId.of("Europe/Brussels");

    private final VendorHttp http;
    private final Clock clock;
    private final BridgeProperties props;
    private final String baseUrl;
    private final InformatTokens tokens;
    private volatile Snapshot snapshot;

    public InformatDirectory(VendorHttp http, Clock clock, BridgeProperties props, InformatTokens tokens) {
        this.http = http;
        this.clock = clock;
        this.props = props;
        this.baseUrl = props.informat().partnerUrl();
        this.tokens = tokens;
    }

    public Student student(String institutionNumber, String registrationNumber) throws IOException {
        String key = institutionNumber + "|" + registrationNumber;
        Student s = current().byKey().get(key);
        if (s == null && reloadAllowed()) {
            s = reload().byKey().get(key);
        }
        return s;
    }

    /** The students of a branch, in registration-number order. */
    public java.util.List<Student> studentsOf(int locationIdDiscimus) throws IOException {
        return current().byKey().values().stream().filter(s -> s.locationIdDiscimus() == locationIdDiscimus)
                .sorted(java.util.Comparator.comparing(Student::studentNo)).toList();
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

    private Snapshot current() throws IOException {
        Snapshot s = snapshot;
        if (s == null || VendorCopy.stale(s.loadedAt(), props.directoryRefresh(), clock.instant())) {
            s = reload();
        }
        return s;
    }

    private boolean reloadAllowed() {
        Snapshot s = snapshot;
        return s == null || s.loadedAt().plusSeconds(MIN_RELOAD_SECONDS_ON_MISS).isBefore(clock.instant());
    }

    private Snapshot reload() throws IOException {
        return VendorCopy.readOrLast(this::read, snapshot, LOG);
    }

    private synchronized Snapshot read() throws IOException {
        Snapshot snap = props.informat().partner() ? readPartner() : readPublic();
        snapshot = snap;
        LOG.info("Informat directory loaded: {} students, {} locations", snap.byKey().size(), snap.locations().size());
        return snap;
    }

    private Snapshot readPartner() throws IOException {
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
        Map<String, Student> byKey = new HashMap<>();
        for (JsonNode s : http.getArray(baseUrl + "/students")) {
            Student st = new Student(s.path("personId").asText(), s.path("studentNo").asText(),
                    s.path("instituteNo").asText(), s.path("locationIdDiscimus").asInt(),
                    date(s.path("dateOfBirth")), s.path("level").asText(), date(s.path("startDate")), date(s.path("endDate")));
            byKey.put(st.instituteNo() + "|" + st.studentNo(), st);
        }
        return new Snapshot(byKey, locations, clock.instant());
    }

    private Snapshot readPublic() throws IOException {
        Map<Integer, Location> locations = new HashMap<>();
        Map<String, Integer> byBranchCode = new HashMap<>();
        for (BridgeProperties.Branch b : props.informat().branches()) {
            locations.put(b.locationIdDiscimus(), new Location(b.locationIdDiscimus(), b.instituteNo(), true, true, true, b.subcodes()));
            byBranchCode.put(b.instituteNo() + "|" + b.vestCode(), b.locationIdDiscimus());
        }
        String year = SchoolYear.of(LocalDate.now(clock.withZone(BRUSSELS))).toString();
        Map<String, Student> byKey = new HashMap<>();
        int unmapped = 0;
        for (String institute : new java.util.TreeSet<>(props.informat().branches().stream().map(BridgeProperties.Branch::instituteNo).toList())) {
            Map<String, LocalDate> born = new HashMap<>();
            for (JsonNode s : pupilApi("/1/students?schoolYear=" + year, institute).path("students")) {
                born.put(s.path("persoonId").asText(), date(s.path("geboortedatum")));
            }
            for (JsonNode r : pupilApi("/1/registrations?schoolYear=" + year, institute).path("registrations")) {
                String stamnr = r.path("stamnr").asText(null);
                if (r.path("status").asInt(-1) != 0 || stamnr == null || stamnr.isBlank()) {
                    continue;
                }
                Integer location = byBranchCode.get(r.path("instelnr").asText() + "|" + r.path("vestCode").asText());
                if (location == null) {
                    unmapped++;
                    continue;
                }
                Student st = new Student(r.path("persoonId").asText(), stamnr, r.path("instelnr").asText(), location,
                        born.get(r.path("persoonId").asText()), level(r.path("hfdstructuur").asText()),
                        date(r.path("begindatum")), date(r.path("einddatum")));
                byKey.put(st.instituteNo() + "|" + st.studentNo(), st);
            }
        }
        if (unmapped > 0) {
            LOG.warn("Informat directory: {} registrations of a branch not in bridge.informat.branches left out", unmapped);
        }
        return new Snapshot(byKey, locations, clock.instant());
    }

    /** A read of the older pupil API for one institute: its bearer token, {@code InstituteNo} and {@code Timestamp}. */
    private JsonNode pupilApi(String pathAndQuery, String institute) throws IOException {
        return http.getObject(props.informat().pupilApiUrl() + pathAndQuery, Map.of("Authorization", tokens.authorization(institute),
                "InstituteNo", institute, "Timestamp", clock.instant().toString()));
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
    private static LocalDate date(JsonNode n) {
        return n.isTextual() ? LocalDate.parse(n.asText().length() > 10 ? n.asText().substring(0, 10) : n.asText()) : null;
    }
}
