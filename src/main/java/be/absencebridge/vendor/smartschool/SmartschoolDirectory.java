package be.absencebridge.vendor.smartschool;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.vendor.VendorCopy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Smartschool's pupils as the bridge matches them, read through the public web services: the accounts
 * ({@code getAllAccountsExtended}: username, internal number, registration number {@code stamboeknummer}, the official
 * class) and each official class's institution ({@code getSchoolyearDataOfClass}, once per class). Only those four fields
 * are kept: no names. Cached like Informat's, read again when stale or when an unknown pupil turns up.
 */
@Component("smartschoolDirectory")
public class SmartschoolDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(SmartschoolDirectory.class);
    private static final long MIN_RELOAD_SECONDS_ON_MISS = 15;

    /** A pupil's identity on both sides: Smartschool's username and internal number, the institution and registration number. */
    public record Pupil(String username, String internalNumber, String institutionNumber, String registrationNumber) {
    }

    private record Snapshot(Map<String, Pupil> byKey, Map<String, Pupil> byUsername, Instant loadedAt) {
    }

    private final SmartschoolSoap soap;
    private final ObjectMapper json;
    private final Clock clock;
    private final BridgeProperties props;
    private volatile Snapshot snapshot;
    /** Each official class's institution, kept across reads: a class does not change institution within a year. */
    private final Map<String, String> institutionOfClass = new java.util.concurrent.ConcurrentHashMap<>();

    public SmartschoolDirectory(SmartschoolSoap soap, ObjectMapper json, Clock clock, BridgeProperties props) {
        this.soap = soap;
        this.json = json;
        this.clock = clock;
        this.props = props;
    }

    /** A pupil by institution and registration number, or null when Smartschool does not know them. */
    public Pupil pupil(String institutionNumber, String registrationNumber) throws IOException {
        return find(s -> s.byKey().get(institutionNumber + "|" + registrationNumber));
    }

    /** Smartschool's internal number of a pupil, or null when Smartschool does not know them. */
    public String internalNumber(String institutionNumber, String registrationNumber) throws IOException {
        Pupil p = find(s -> s.byKey().get(institutionNumber + "|" + registrationNumber));
        return p == null ? null : p.internalNumber();
    }

    /** A pupil by Smartschool username (the key of the register reads), or null when unknown. */
    public Pupil byUsername(String username) throws IOException {
        return find(s -> s.byUsername().get(username));
    }

    private Pupil find(java.util.function.Function<Snapshot, Pupil> lookup) throws IOException {
        Snapshot s = snapshot;
        if (s == null || VendorCopy.stale(s.loadedAt(), props.directoryRefresh(), clock.instant())) {
            s = reload();
        }
        Pupil p = lookup.apply(s);
        if (p == null && s.loadedAt().plusSeconds(MIN_RELOAD_SECONDS_ON_MISS).isBefore(clock.instant())) {
            p = lookup.apply(reload());
        }
        return p;
    }

    private Snapshot reload() throws IOException {
        return VendorCopy.readOrLast(this::read, snapshot, LOG);
    }

    private synchronized Snapshot read() throws IOException {
        JsonNode accounts;
        try {
            accounts = json.readTree(soap.call("getAllAccountsExtended", "code", "", "recursive", "1"));
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Smartschool's accounts could not be read: " + e.getMessage(), e);
        }
        if (accounts == null || !accounts.isArray()) {
            throw new IOException("Smartschool's accounts read answered no list");
        }
        Map<String, Pupil> byKey = new HashMap<>();
        java.util.Set<String> classes = new java.util.HashSet<>();
        Map<String, Pupil> byUsername = new HashMap<>();
        for (JsonNode a : accounts) {
            String registration = a.path("stamboeknummer").asText("");
            String officialClass = officialClass(a);
            if (!"leerling".equals(a.path("basisrol").asText()) || registration.isBlank() || "NULL".equals(registration)
                    || officialClass == null) {
                continue;
            }
            classes.add(officialClass);
            String institution = institutionOfClass.get(officialClass);
            if (institution == null) {
                institution = institutionOf(officialClass);
                institutionOfClass.put(officialClass, institution);
            }
            Pupil p = new Pupil(a.path("gebruikersnaam").asText(), a.path("internnummer").asText(), institution, registration);
            byKey.put(institution + "|" + registration, p);
            byUsername.put(p.username(), p);
        }
        Snapshot s = new Snapshot(byKey, byUsername, clock.instant());
        snapshot = s;
        institutionOfClass.keySet().retainAll(classes);
        LOG.info("Smartschool directory loaded: {} pupils in {} official classes", byKey.size(), classes.size());
        return s;
    }

    /** The code of the account's official class (its group that is a class and official), or null. */
    private static String officialClass(JsonNode account) {
        for (JsonNode g : account.path("groups")) {
            if (g.path("isKlas").asBoolean() && g.path("isOfficial").asBoolean()) {
                return g.path("code").asText(null);
            }
        }
        return null;
    }

    private String institutionOf(String classCode) throws IOException {
        try {
            return json.readTree(soap.call("getSchoolyearDataOfClass", "classCode", classCode)).path("instituteNumber").asText();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Smartschool's class " + classCode + " could not be read: " + e.getMessage(), e);
        }
    }
}
