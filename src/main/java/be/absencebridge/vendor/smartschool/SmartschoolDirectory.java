package be.absencebridge.vendor.smartschool;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.config.BridgeProperties.Platform;
import be.absencebridge.vendor.VendorCopy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Smartschool's pupils as the bridge matches them, per platform, read through the public web services: the accounts
 * ({@code getAllAccountsExtended}: username, internal number, registration number {@code stamboeknummer}, the official
 * class) and each official class's institution ({@code getSchoolyearDataOfClass}, once per class). Only those four fields
 * and the platform are kept: no names. Each platform's copy is cached like Informat's, read again when stale or when an
 * unknown pupil turns up. A pupil is found on the platform that lists the pupil's institution in its configuration, or
 * else on whichever platform holds the pupil (a pupil who changes school, and so institution, is found on the new
 * school's platform); a platform that cannot be read makes a pupil not found elsewhere an error, never "unknown".
 */
@Component("smartschoolDirectory")
public class SmartschoolDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(SmartschoolDirectory.class);

    /**
     * A pupil's identity on both sides: the platform, Smartschool's username and internal number there, the institution
     * and registration number.
     */
    public record Pupil(String platform, String username, String internalNumber, String institutionNumber, String registrationNumber) {
    }

    private record Snapshot(Map<String, Pupil> byKey, Map<String, Pupil> byUsername, Set<String> institutions, Instant loadedAt) {
    }

    /** One platform's copy. */
    private final class Copy {
        final Platform platform;
        volatile Snapshot snapshot;
        /**
         * Each official class's institution, kept across reads: a class does not change institution within a school
         * year (keyed {@code year|class}: a class code of last year may belong to another institution this year).
         */
        final Map<String, String> institutionOfClass = new ConcurrentHashMap<>();

        Copy(Platform platform) {
            this.platform = platform;
        }

        Snapshot current() throws IOException {
            Snapshot s = snapshot;
            if (s == null || VendorCopy.stale(s.loadedAt(), props.directoryRefresh(), clock.instant())) {
                s = VendorCopy.readOrLast(this::read, snapshot, LOG);
            }
            return s;
        }

        boolean due() {
            Snapshot s = snapshot;
            return s == null || VendorCopy.stale(s.loadedAt(), props.directoryRefresh(), clock.instant());
        }

        synchronized Snapshot read() throws IOException {
            JsonNode accounts;
            try {
                accounts = json.readTree(soap.call(platform, "getAllAccountsExtended", "code", "", "recursive", "1"));
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("Smartschool platform " + platform.name() + ": accounts could not be read: " + e.getMessage(), e);
            }
            if (accounts == null || !accounts.isArray()) {
                throw new IOException("Smartschool platform " + platform.name() + ": the accounts read answered no list");
            }
            Map<String, Pupil> byKey = new HashMap<>();
            Set<String> classes = new HashSet<>();
            Map<String, Pupil> byUsername = new HashMap<>();
            Set<String> institutions = new HashSet<>();
            String year = be.absencebridge.domain.SchoolYear.of(java.time.LocalDate.now(clock.withZone(BRUSSELS))) + "|";
            for (JsonNode a : accounts) {
                String registration = a.path("stamboeknummer").asText("");
                String officialClass = officialClass(a);
                if (!pupil(a.path("basisrol")) || registration.isBlank() || "NULL".equals(registration)
                        || officialClass == null) {
                    continue;
                }
                classes.add(year + officialClass);
                String institution = institutionOfClass.get(year + officialClass);
                if (institution == null) {
                    institution = institutionOf(officialClass);
                    institutionOfClass.put(year + officialClass, institution);
                }
                if (platform.listsInstitutions() && !platform.institutions().contains(institution)) {
                    // an institution the configuration gives another platform (or none): not this platform's pupil
                    continue;
                }
                Pupil p = new Pupil(platform.name(), a.path("gebruikersnaam").asText(), a.path("internnummer").asText(),
                        institution, registration);
                byKey.put(institution + "|" + registration, p);
                byUsername.put(p.username(), p);
                institutions.add(institution);
            }
            Snapshot s = new Snapshot(byKey, byUsername, institutions, clock.instant());
            Snapshot before = snapshot;
            snapshot = s;
            boolean changed = before == null || !before.byKey().equals(byKey);
            if (changed) {
                changes.incrementAndGet();
            }
            institutionOfClass.keySet().retainAll(classes);
            // a line when the pupils are other than at the read before (the scheduled reads mostly find the same)
            if (changed) {
                LOG.info("Smartschool directory of platform {} loaded: {} pupils in {} official classes", platform.name(),
                        byKey.size(), classes.size());
            }
            return s;
        }

        private String institutionOf(String classCode) throws IOException {
            try {
                return instituteNumber(json.readTree(soap.call(platform, "getSchoolyearDataOfClass", "classCode", classCode)),
                        be.absencebridge.domain.SchoolYear.of(java.time.LocalDate.now(clock.withZone(BRUSSELS))));
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("Smartschool platform " + platform.name() + ": class " + classCode + " could not be read: "
                        + e.getMessage(), e);
            }
        }
    }

    private final SmartschoolSoap soap;
    private final ObjectMapper json;
    private final Clock clock;
    private final BridgeProperties props;
    private final Platforms platforms;
    private final Map<String, Copy> copies = new LinkedHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean missed;
    private static final java.time.ZoneId BRUSSELS = java.time.ZoneId.of("Europe/Brussels");

    public SmartschoolDirectory(SmartschoolSoap soap, ObjectMapper json, Clock clock, BridgeProperties props, Platforms platforms) {
        this.soap = soap;
        this.json = json;
        this.clock = clock;
        this.props = props;
        this.platforms = platforms;
        for (Platform p : platforms.all()) {
            copies.put(p.name(), new Copy(p));
        }
    }

    /** A pupil by institution and registration number, on whichever platform holds them; null when none does. */
    public Pupil pupil(String institutionNumber, String registrationNumber) throws IOException {
        String key = institutionNumber + "|" + registrationNumber;
        Platform listing = platforms.listing(institutionNumber);
        if (listing != null) {
            return find(copies.get(listing.name()), s -> s.byKey().get(key));
        }
        IOException unreadable = null;
        for (Copy c : inOrderOfLikelihood(key)) {
            try {
                Pupil p = c.current().byKey().get(key);
                if (p != null) {
                    return p;
                }
            } catch (IOException e) {
                unreadable = e;
            }
        }
        if (unreadable != null) {
            // the pupil may be on the platform that could not be read: not "unknown", try again later
            throw unreadable;
        }
        return null;
    }

    /** The copies, the one whose last read held the pupil first (only that one is read when it still holds them). */
    private List<Copy> inOrderOfLikelihood(String key) {
        List<Copy> ordered = new ArrayList<>(copies.values());
        ordered.sort(java.util.Comparator.comparing(c -> c.snapshot == null || !c.snapshot.byKey().containsKey(key)));
        return ordered;
    }

    /**
     * A pupil of the platform by Smartschool username (the key of the register reads), or null when unknown. A register
     * read that shows an account the copy does not hold (made since the copy was read) asks for a read
     * ({@link #takeMissed}): its cells are read again by the next poll, and then known.
     */
    public Pupil byUsername(String platform, String username) throws IOException {
        Copy c = copies.get(platform);
        Pupil p = c == null ? null : find(c, s -> s.byUsername().get(username));
        if (p == null && c != null) {
            missed = true;
        }
        return p;
    }

    /** Whether an account was missed since the last call (the directories route then reads the platforms again). */
    public boolean takeMissed() {
        boolean m = missed;
        missed = false;
        return m;
    }

    /**
     * The platform a record of the institution goes to: the one listing it in the configuration, or the one whose
     * accounts hold pupils of it; null when no platform holds it.
     */
    public String platformOf(String institutionNumber) throws IOException {
        Platform listing = platforms.listing(institutionNumber);
        if (listing != null) {
            return listing.name();
        }
        // an institution does not move between platforms: any copy already read answers (the hand-off asks for every
        // row, and must not read the accounts again each time); a platform not read yet is read
        for (Copy c : copies.values()) {
            Snapshot s = c.snapshot;
            if (s != null && s.institutions().contains(institutionNumber)) {
                return c.platform.name();
            }
        }
        IOException unreadable = null;
        for (Copy c : copies.values()) {
            try {
                if (c.current().institutions().contains(institutionNumber)) {
                    return c.platform.name();
                }
            } catch (IOException e) {
                unreadable = e;
            }
        }
        if (unreadable != null) {
            throw unreadable;
        }
        return null;
    }

    /**
     * The institutions of a platform: those its configuration lists, or those of the pupils its accounts show; null
     * when no platform has that name.
     */
    public Set<String> institutionsOf(String platform) throws IOException {
        Platform p = platforms.get(platform);
        if (p == null) {
            return null;
        }
        return p.listsInstitutions() ? Set.copyOf(p.institutions()) : copies.get(platform).current().institutions();
    }

    /** The pupils the platform holds, as {@code institution|registration} keys (one read of its copy). */
    public Set<String> pupilKeys(String platform) throws IOException {
        Copy c = copies.get(platform);
        return c == null ? Set.of() : c.current().byKey().keySet();
    }

    private static Pupil find(Copy c, java.util.function.Function<Snapshot, Pupil> lookup) throws IOException {
        return lookup.apply(c.current());
    }

    /**
     * Reads every platform's accounts now (a job starting, a pupil not found, the schedule); a platform that cannot be
     * read keeps its last copy, and the first failure is thrown once all were tried.
     */
    public void refresh() throws IOException {
        refresh(false);
    }

    /** Reads the platforms whose copy is due for its scheduled read. */
    public void refreshDue() throws IOException {
        refresh(true);
    }

    private void refresh(boolean dueOnly) throws IOException {
        IOException failed = null;
        for (Copy c : copies.values()) {
            if (dueOnly && !c.due()) {
                continue;
            }
            try {
                c.read();
            } catch (IOException e) {
                failed = failed == null ? e : failed;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** How many platform reads brought other pupils than the platform's read before (what waits for a pupil is tried again). */
    public long changes() {
        return changes.get();
    }

    /**
     * Whether an account's {@code basisrol} is a pupil's: the text {@code leerling} (the kit's user-details example) or
     * the number 1 (its types: 0 teacher, 1 pupil, 13 other, 30 management), as a number or a numeric text.
     */
    static boolean pupil(JsonNode basisrol) {
        return "leerling".equalsIgnoreCase(basisrol.asText()) || (basisrol.isNumber() && basisrol.asInt() == 1)
                || "1".equals(basisrol.asText());
    }

    /**
     * The institution of a class's school-year data: one object (the kit's example) or an array of class records (its
     * types), each with its {@code schoolyear} ({@code 2026-2027}); the record of the given school year, else the last.
     */
    static String instituteNumber(JsonNode classData, be.absencebridge.domain.SchoolYear year) {
        if (classData == null) {
            return "";
        }
        if (!classData.isArray()) {
            return classData.path("instituteNumber").asText();
        }
        JsonNode chosen = null;
        for (JsonNode record : classData) {
            String y = record.path("schoolyear").asText("");
            if (y.startsWith(String.valueOf(year.startYear())) || y.equals(year.toString())) {
                chosen = record;
            }
        }
        if (chosen == null && !classData.isEmpty()) {
            chosen = classData.get(classData.size() - 1);
        }
        return chosen == null ? "" : chosen.path("instituteNumber").asText();
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
}
