package be.absencebridge.vendor.informat;

import be.absencebridge.domain.Presence;

import be.absencebridge.vendor.VendorCopy;
import be.absencebridge.vendor.VendorHttp;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.domain.AbsenceCodes;
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

    private final VendorHttp http;
    private final Clock clock;
    private final BridgeProperties props;
    private final String baseUrl;
    private volatile Snapshot snapshot;

    public InformatDirectory(VendorHttp http, Clock clock, BridgeProperties props) {
        this.http = http;
        this.clock = clock;
        this.props = props;
        this.baseUrl = props.informat().partnerUrl();
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
        Snapshot snap = new Snapshot(byKey, locations, clock.instant());
        snapshot = snap;
        LOG.info("Informat directory loaded: {} students, {} locations", byKey.size(), locations.size());
        return snap;
    }

    private static LocalDate date(JsonNode n) {
        return n.isTextual() ? LocalDate.parse(n.asText()) : null;
    }
}
