package be.absencebridge.sim.informat;


import be.absencebridge.sim.support.Codes;
import be.absencebridge.sim.support.HalfDay;
import be.absencebridge.sim.support.SchoolYear;
import be.absencebridge.sim.Population;
import be.absencebridge.sim.Population.Branch;
import be.absencebridge.sim.Population.Pupil;
import be.absencebridge.sim.Pusher;
import be.absencebridge.sim.SimValidationException;
import be.absencebridge.sim.Timestamps;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Informat's absence register, in memory: per pupil, date and part of day only absences (and, for
 * non-compulsory kindergarten pupils, presence). Writes follow the public Student API's rules and answers;
 * every stored change goes to the change feed in commit order; a person's is pushed when the branch's link is on (the
 * link's own writes only when a test asks for their echo).
 */
public final class InformatSimulator {

    /**
     * A stored absence; {@code viaApi}: written through the Student API or the link's partner write, which
     * {@code MNA007} does not protect (the API leaves ordering its own writes to its client).
     */
    public record Absence(UUID personId, LocalDate date, HalfDay part, String code, String remark,
                          OffsetDateTime timestamp, String registeredBy, UUID id, boolean viaApi) {
    }

    public record Subcode(String subcode, String mainCode) {
    }

    /** The vendor's own switches of a branch. */
    public record LocationSettings(boolean smartschoolLink, boolean exchangeAbsences, boolean discimusActive,
                                   List<Subcode> subcodes) {
    }

    public record FeedItem(long seq, UUID personId, String studentNo, String instituteNo, int locationIdDiscimus,
                           LocalDate date, HalfDay part, String absenceCode, String remark, OffsetDateTime timestamp,
                           boolean deleted, String registeredBy) {
    }

    /** The outcome of a write through the API: a new absence, an existing one changed, or nothing to change. */
    public enum Outcome { CREATED, UPDATED, UNCHANGED }

    public record WriteResult(Outcome outcome, UUID id) {
    }

    /** The Student API's answer to an update of an existing absence: the empty GUID, not the absence's id. */
    public static final UUID EMPTY_GUID = new UUID(0, 0);

    /** A write through the API, validated field by field. */
    public record AbsenceWrite(String schoolYear, String absenceCode, String date, String partOfDay,
                               Integer locationIdDiscimus, String timestamp, String remark) {
    }

    private static final int MAX_REMARK = 500;

    private final Clock clock;
    private final Pusher pusher;
    private volatile Population population;
    private final Map<LocalDate, Map<String, Absence>> register = new ConcurrentHashMap<>();
    /** When a half-day was last cleared: a clear is a registration too, so an older write gets MNA007. */
    private final Map<String, OffsetDateTime> clearedAt = new ConcurrentHashMap<>();
    private final Map<Integer, LocationSettings> locations = new ConcurrentHashMap<>();
    private final List<FeedItem> feed = new ArrayList<>();
    /** Changes with every reset, so a cursor of a replaced register is refused rather than misread. */
    private volatile String feedEpoch = UUID.randomUUID().toString();

    private final be.absencebridge.sim.LinkWrites linkWrites = new be.absencebridge.sim.LinkWrites();

    /** What the link wrote through the Student API (a test's count of deliveries). */
    public be.absencebridge.sim.LinkWrites linkWrites() {
        return linkWrites;
    }

    public InformatSimulator(Clock clock, Pusher pusher) {
        this.clock = clock;
        this.pusher = pusher;
    }

    /** The readings the public answers follow where the public sources disagree; reset by every seed. */
    private volatile InformatVariants variants = InformatVariants.DEFAULT;

    public InformatVariants variants() {
        return variants;
    }

    public void variants(InformatVariants variants) {
        this.variants = variants == null ? InformatVariants.DEFAULT : variants;
    }

    /**
     * An error the older pupil API answers its reads with (a control, test only): for one institute, or every one when
     * {@code instituteNo} is null; the status, the code (null: none) and the message, in that API's own shape.
     */
    public record PupilApiRefusal(String instituteNo, Integer status, String code, String message) {

        /** Whether it applies to a read for that institute. */
        public boolean covers(String institute) {
            return instituteNo == null || instituteNo.equals(institute);
        }
    }

    /** The older pupil API's refusal now set (admin control), or null; reset by every seed. */
    private volatile PupilApiRefusal pupilApiRefusal;

    public PupilApiRefusal pupilApiRefusal() {
        return pupilApiRefusal;
    }

    public void pupilApiRefusal(PupilApiRefusal refusal) {
        this.pupilApiRefusal = refusal;
    }

    public synchronized void reset(Population population) {
        variants = InformatVariants.DEFAULT;
        pupilApiRefusal = null;
        linkWrites.reset();
        clearedAt.clear();
        this.population = population;
        register.clear();
        feed.clear();
        feedEpoch = UUID.randomUUID().toString();
        locations.clear();
        for (Branch b : population.branches()) {
            locations.put(b.locationIdDiscimus(), new LocationSettings(true, true, true,
                    List.of(new Subcode("Z01", "Z"), new Subcode("R03", "R"))));
        }
    }

    public Population population() {
        return population;
    }

    /** The population's school year of today by the clock (the year turns on 1 September). */
    public SchoolYear currentYear() {
        return population.currentYear(Timestamps.today(clock));
    }

    /** Today in Brussels by the simulator's clock. */
    public java.time.LocalDate today() {
        return Timestamps.today(clock);
    }

    /** The population after a change of enrolments at run time: the register and the switches stay. */
    public void population(Population changed) {
        this.population = changed;
    }

    public LocationSettings location(int locationIdDiscimus) {
        return locations.get(locationIdDiscimus);
    }

    public synchronized void updateLocation(int locationIdDiscimus, Boolean smartschoolLink, Boolean exchange,
                                            Boolean discimus, List<Subcode> subcodes) {
        LocationSettings s = locations.get(locationIdDiscimus);
        if (s == null) {
            throw new SimValidationException(404, null, "unknown locationIdDiscimus");
        }
        if (subcodes != null) {
            for (Subcode sc : subcodes) {
                if (sc == null || sc.subcode() == null || sc.subcode().isBlank()
                        || !Codes.informatMain(sc.mainCode())
                        || Codes.informatMain(sc.subcode())) {
                    throw new SimValidationException("every subcode needs a new name and a main code");
                }
            }
        }
        locations.put(locationIdDiscimus, new LocationSettings(
                smartschoolLink == null ? s.smartschoolLink() : smartschoolLink,
                exchange == null ? s.exchangeAbsences() : exchange,
                discimus == null ? s.discimusActive() : discimus,
                subcodes == null ? s.subcodes() : List.copyOf(subcodes)));
    }

    // ---- writes: the public Student API and the link's partner write ----

    /**
     * {@code PUT students/{studentId}/absences}: created (200 with the new id), updated (200 with the empty GUID),
     * unchanged (204), or a coded problem. The public write ({@code partner} false) carries no remark and covers
     * secondary education only; the partner write carries the remark and every level.
     */
    public WriteResult put(String instituteNo, UUID personId, AbsenceWrite w, String registeredBy, boolean partner) {
        Validated v = validate(instituteNo, personId, w, true, partner);
        linkWrites.record(personId, v.date, v.part, v.timestamp);
        String code = w.absenceCode().trim();
        String remark = partner ? w.remark() : null;
        Absence stored;
        Absence next;
        synchronized (this) {
            Map<String, Absence> day = register.computeIfAbsent(v.date, d -> new ConcurrentHashMap<>());
            String key = key(personId, v.part);
            stored = day.get(key);
            refuseOverNewer(stored, clearedAt.get(v.date + "|" + key), v.timestamp);
            // the public write has no remark: an absence it updates keeps the remark it had (model)
            String kept = partner ? remark : stored == null ? null : stored.remark();
            if (stored != null && stored.code().equals(code) && Objects.equals(stored.remark(), kept)) {
                // keep the newest moment, so an older crossing registration is still refused afterwards
                day.put(key, new Absence(personId, v.date, v.part, code, kept, max(stored.timestamp(), v.timestamp),
                        stored.registeredBy(), stored.id(), stored.viaApi()));
                return new WriteResult(Outcome.UNCHANGED, stored.id());
            }
            next = new Absence(personId, v.date, v.part, code, kept, v.timestamp, registeredBy,
                    stored == null ? UUID.randomUUID() : stored.id(), true);
            day.put(key, next);
            clearedAt.remove(v.date + "|" + key);
            feed.add(item(v.pupil, next, false));
        }
        pushIfLinked(v.pupil, feed(next, v.pupil, false), true);
        return stored == null ? new WriteResult(Outcome.CREATED, next.id()) : new WriteResult(Outcome.UPDATED, EMPTY_GUID);
    }

    /** The partner write's clear: the half-day emptied under the same rules; false when nothing was stored. */
    public boolean delete(String instituteNo, UUID personId, String date, String partOfDay, String timestamp, String registeredBy) {
        AbsenceWrite w = new AbsenceWrite(null, null, date, partOfDay, null, timestamp, null);
        Validated v = validate(instituteNo, personId, w, false, true);
        linkWrites.record(personId, v.date, v.part, v.timestamp);
        Absence cleared;
        synchronized (this) {
            Map<String, Absence> day = register.get(v.date);
            Absence stored = day == null ? null : day.get(key(personId, v.part));
            if (stored == null) {
                return false;
            }
            refuseOverNewer(stored, null, v.timestamp);
            day.remove(key(personId, v.part));
            clearedAt.put(v.date + "|" + key(personId, v.part), v.timestamp);
            cleared = new Absence(personId, v.date, v.part, null, null, v.timestamp, registeredBy, stored.id(), true);
            feed.add(item(v.pupil, cleared, true));
        }
        pushIfLinked(v.pupil, feed(cleared, v.pupil, true), true);
        return true;
    }

    /** MNA007: a more recent registration exists that was not made through the API (a person's, or a person's clear). */
    private static void refuseOverNewer(Absence stored, OffsetDateTime clearedAt, OffsetDateTime at) {
        boolean newerByPerson = stored != null ? !stored.viaApi() && stored.timestamp().isAfter(at)
                : clearedAt != null && clearedAt.isAfter(at);
        if (newerByPerson) {
            throw new SimValidationException(409, "MNA007",
                    "Updating the absence is not allowed because a more recent registration already exists");
        }
    }

    private static OffsetDateTime max(OffsetDateTime a, OffsetDateTime b) {
        return a.isAfter(b) ? a : b;
    }

    /**
     * A person registers (or clears, with code null) in Informat's own screen. {@code silent}: a correction made inside
     * Informat (a data fix, a restore): stored, but neither pushed nor in the change feed.
     */
    public Absence registerByPerson(UUID personId, String date, String partOfDay, String absenceCode, String remark,
                                    String timestamp, String registeredBy, boolean silent) {
        if (population.enrolments(personId).isEmpty()) {
            throw new SimValidationException(404, "DNF002", "No student exists with the given student ID.");
        }
        LocalDate d = Timestamps.parseDate(date, "date");
        HalfDay part = partOfDay(partOfDay);
        Pupil pupil = checkSlot(personId, d, part);
        OffsetDateTime at = timestamp == null ? Timestamps.now(clock) : Timestamps.parse(timestamp, "timestamp");
        if (at.isAfter(Timestamps.now(clock))) {
            throw new SimValidationException(400, "BR053B", "Timestamp must not be in the future (compared to Western European Time).");
        }
        if (remark != null && remark.length() > MAX_REMARK) {
            throw new SimValidationException(400, null, "remark longer than " + MAX_REMARK + " characters");
        }
        String by = registeredBy == null || registeredBy.isBlank() ? "secretariaat" : registeredBy;
        Absence a;
        synchronized (this) {
            Map<String, Absence> day = register.computeIfAbsent(d, x -> new ConcurrentHashMap<>());
            String key = key(personId, part);
            if (absenceCode == null) {
                Absence stored = day.remove(key);
                if (stored == null) {
                    return null;
                }
                clearedAt.put(d + "|" + key, at);
                a = new Absence(personId, d, part, null, null, at, by, stored.id(), false);
            } else {
                String main = mainCode(pupil.locationIdDiscimus(), absenceCode);
                if (main == null || !codeAllowed(pupil, main, d)) {
                    throw new SimValidationException(409, "DNF010", "No allowed absence code found for the given code on the given date.");
                }
                Absence stored = day.get(key);
                a = new Absence(personId, d, part, absenceCode, remark, at, by, stored == null ? UUID.randomUUID() : stored.id(), false);
                day.put(key, a);
                clearedAt.remove(d + "|" + key);
            }
            if (!silent) {
                feed.add(item(pupil, a, a.code() == null));
            }
        }
        if (!silent) {
            pushIfLinked(pupil, feed(a, pupil, a.code() == null), false);
        }
        return a;
    }

    // ---- reads ----

    /** The change feed after a cursor, in commit order. */
    public synchronized Page changes(String since, int limit, java.util.Set<String> institutes) {
        long from = decodeCursor(since);
        List<FeedItem> items = new ArrayList<>(Math.min(limit, 1024));
        long last = from;
        for (int i = (int) Math.min(from, feed.size()); i < feed.size() && items.size() < limit; i++) {
            FeedItem f = feed.get(i);
            last = f.seq();
            if (institutes == null || institutes.contains(f.instituteNo())) {
                items.add(f);
            }
        }
        return new Page(items, encodeCursor(last));
    }

    public record Page(List<FeedItem> items, String next) {
    }

    public List<Absence> registerOf(LocalDate date) {
        Map<String, Absence> day = register.get(date);
        if (day == null) {
            return List.of();
        }
        List<Absence> out = new ArrayList<>(day.values());
        out.sort(Comparator.comparing((Absence a) -> a.personId().toString()).thenComparing(Absence::part));
        return out;
    }

    // ---- rules ----

    private record Validated(Pupil pupil, LocalDate date, HalfDay part, OffsetDateTime timestamp) {
    }

    /**
     * The Student API's checks in its order: the request's fields (400, every error at once, the BR codes of the
     * published document; a field without a code of its own has a null code), then the data (409 DNF...).
     */
    private Validated validate(String instituteNo, UUID personId, AbsenceWrite w, boolean isPut, boolean partner) {
        List<InformatValidationException.Error> errors = new ArrayList<>();
        LocalDate date = null;
        HalfDay part = null;
        OffsetDateTime at = null;
        SchoolYear year = null;
        if (isPut) {
            if (w.schoolYear() == null || w.schoolYear().isBlank()) {
                errors.add(error("schoolYear", "BR034A", "School year is required."));
            } else {
                try {
                    year = SchoolYear.parse(w.schoolYear());
                } catch (IllegalArgumentException e) {
                    errors.add(error("schoolYear", "BR034B", "School year format is invalid. Expected format: yyyy-yy (e.g. 2025-26)."));
                }
            }
        }
        if (w.date() == null || w.date().isBlank()) {
            errors.add(error("date", "BR051A", "Date is required."));
        } else {
            try {
                date = LocalDate.parse(w.date().trim());
                SchoolYear y = year != null ? year : population.yearOf(date);
                if (y == null || !y.contains(date)) {
                    errors.add(error("date", "BR051B", "Date must be within the school year boundaries (September 1 - June 30)."));
                    date = null;
                }
            } catch (java.time.format.DateTimeParseException e) {
                errors.add(error("date", null, "The date field is not a valid date."));
            }
        }
        if (w.partOfDay() == null || w.partOfDay().isBlank()) {
            errors.add(error("partOfDay", "BR052", "Part of day is required."));
        } else {
            try {
                part = HalfDay.fromInformat(w.partOfDay().trim());
            } catch (IllegalArgumentException e) {
                errors.add(error("partOfDay", "BR052B", "Part of day must be VM (morning) or NM (afternoon)."));
            }
        }
        if (w.timestamp() == null || w.timestamp().isBlank()) {
            errors.add(error("timestamp", "BR053A", "Timestamp is required."));
        } else {
            try {
                at = Timestamps.parse(w.timestamp(), "timestamp");
                if (at.isAfter(Timestamps.now(clock))) {
                    errors.add(error("timestamp", "BR053B", "Timestamp must not be in the future (compared to Western European Time)."));
                }
            } catch (SimValidationException e) {
                errors.add(error("timestamp", null, "The timestamp field is not a valid date-time."));
            }
        }
        if (isPut) {
            if (w.absenceCode() == null || w.absenceCode().isBlank()) {
                errors.add(error("absenceCode", "BR050", "Absence code is required."));
            }
            if (w.locationIdDiscimus() == null) {
                errors.add(error("locationIdDiscimus", null, "The locationIdDiscimus field is required."));
            }
            if (partner && w.remark() != null && w.remark().length() > MAX_REMARK) {
                errors.add(error("remark", null, "The remark may hold at most " + MAX_REMARK + " characters."));
            }
        }
        if (!errors.isEmpty()) {
            throw new InformatValidationException(errors);
        }
        Population population = this.population;
        // a person may have several enrolments (periods, possibly in other institutes): the one of the date decides
        List<Pupil> periods = population.enrolments(personId);
        if (periods.stream().noneMatch(p -> p.institutionNumber().equals(instituteNo))) {
            throw new SimValidationException(409, "DNF002", "No student exists with the given student ID.");
        }
        Pupil pupil = population.enrolmentOn(personId, date);
        if (isPut) {
            Branch branch = population.branch(w.locationIdDiscimus());
            if (branch == null || !branch.institutionNumber().equals(instituteNo) || !population.covers(year)) {
                throw new SimValidationException(409, "DNF008", "No location found for the given Discimus location ID, institute, and school year.");
            }
            if (pupil != null && (pupil.locationIdDiscimus() != w.locationIdDiscimus()
                    || (!partner && pupil.level() != Population.Level.SECUNDAIR))) {
                throw new SimValidationException(409, "DNF011", "No active enrollment in an official class found for the student at the given location.");
            }
        }
        if (pupil == null || !pupil.institutionNumber().equals(instituteNo)) {
            throw new SimValidationException(409, "DNF011", "No active enrollment in an official class found for the student at the given location.");
        }
        if (!population.isInstruction(date, part)) {
            throw new SimValidationException(409, "DNF009", "No Instruction or Evaluation day found for the given date and part of day.");
        }
        if (isPut) {
            String main = mainCode(pupil.locationIdDiscimus(), w.absenceCode().trim());
            if (main == null || !codeAllowed(pupil, main, date)) {
                throw new SimValidationException(409, "DNF010", "No allowed absence code found for the given code on the given date.");
            }
        }
        return new Validated(pupil, date, part, at);
    }

    private static InformatValidationException.Error error(String name, String code, String reason) {
        return new InformatValidationException.Error(name, reason, code);
    }

    /** The enrolment of the date, when the half-day can be registered. */
    private Pupil checkSlot(UUID personId, LocalDate date, HalfDay part) {
        if (population.yearOf(date) == null) {
            throw new SimValidationException(400, "BR051B", "Date must be within the school year boundaries (September 1 - June 30).");
        }
        Pupil pupil = population.enrolmentOn(personId, date);
        if (pupil == null) {
            throw new SimValidationException(409, "DNF011", "No active enrollment in an official class found for the student at the given location.");
        }
        if (!population.isInstruction(date, part)) {
            throw new SimValidationException(409, "DNF009", "No Instruction or Evaluation day found for the given date and part of day.");
        }
        return pupil;
    }

    /** The main code of a code as this branch knows it (main code or subcode), or null when unknown. */
    public String mainCode(int locationIdDiscimus, String code) {
        if (Codes.informatMain(code)) {
            return code;
        }
        LocationSettings s = locations.get(locationIdDiscimus);
        if (s != null) {
            for (Subcode sc : s.subcodes()) {
                if (sc.subcode().equals(code)) {
                    return sc.mainCode();
                }
            }
        }
        return null;
    }

    /** Presence and code A exist only for non-compulsory kindergarten pupils; work-related codes only in secondary. */
    private boolean codeAllowed(Pupil pupil, String main, LocalDate date) {
        SchoolYear year = population.yearOf(date);
        boolean nonCompulsoryKleuter = pupil.nonCompulsoryKindergarten(year != null ? year : population.schoolYear());
        return switch (main) {
            case "|", "A" -> nonCompulsoryKleuter;
            case "M", "W" -> pupil.level() == Population.Level.SECUNDAIR;
            // absence of a pupil who does not have to attend: A, or sick / lawfully absent, or unknown / late
            default -> !nonCompulsoryKleuter || main.equals("-") || main.equals("L")
                    || "Z".equals(Codes.official(main)) || "R".equals(Codes.official(main));
        };
    }

    private static HalfDay partOfDay(String partOfDay) {
        try {
            return HalfDay.fromInformat(partOfDay);
        } catch (IllegalArgumentException e) {
            throw new SimValidationException(400, "BR052B", "Part of day must be VM (morning) or NM (afternoon).");
        }
    }

    /**
     * A change pushed to the link while the branch's link is on; the link's own write ({@code linkWrite}: its Student API
     * or partner write) only to test its echo. The change feed has every change, the link's own writes included.
     */
    private void pushIfLinked(Pupil pupil, Map<String, Object> event, boolean linkWrite) {
        LocationSettings s = locations.get(pupil.locationIdDiscimus());
        if (s != null && s.smartschoolLink() && s.exchangeAbsences()) {
            event.put("eventId", UUID.randomUUID().toString());
            if (linkWrite) {
                pusher.pushLinkWrite(event);
            } else {
                pusher.push(event);
            }
        }
    }

    private FeedItem item(Pupil p, Absence a, boolean deleted) {
        return new FeedItem(feed.size() + 1L, a.personId(), p.registrationNumber(), p.institutionNumber(),
                p.locationIdDiscimus(), a.date(), a.part(), a.code(), a.remark(), a.timestamp(), deleted, a.registeredBy());
    }

    public static Map<String, Object> feed(Absence a, Pupil p, boolean deleted) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("personId", a.personId().toString());
        m.put("studentNo", p.registrationNumber());
        m.put("instituteNo", p.institutionNumber());
        m.put("locationIdDiscimus", p.locationIdDiscimus());
        m.put("date", a.date().toString());
        m.put("partOfDay", a.part().informat());
        m.put("absenceCode", a.code());
        m.put("remark", a.remark());
        m.put("timestamp", a.timestamp().toString());
        m.put("deleted", deleted);
        m.put("registeredBy", a.registeredBy());
        return m;
    }

    public static Map<String, Object> feed(FeedItem f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("personId", f.personId().toString());
        m.put("studentNo", f.studentNo());
        m.put("instituteNo", f.instituteNo());
        m.put("locationIdDiscimus", f.locationIdDiscimus());
        m.put("date", f.date().toString());
        m.put("partOfDay", f.part().informat());
        m.put("absenceCode", f.absenceCode());
        m.put("remark", f.remark());
        m.put("timestamp", f.timestamp().toString());
        m.put("deleted", f.deleted());
        m.put("registeredBy", f.registeredBy());
        return m;
    }

    // The cursor is opaque to the client: the population's epoch and the last sequence number seen.
    private String encodeCursor(long seq) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((feedEpoch + ":" + seq).getBytes(StandardCharsets.UTF_8));
    }

    private long decodeCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
            int colon = text.lastIndexOf(':');
            if (colon < 0 || !text.substring(0, colon).equals(feedEpoch)) {
                throw new SimValidationException("cursor does not belong to this register");
            }
            long seq = Long.parseLong(text.substring(colon + 1));
            if (seq < 0) {
                throw new SimValidationException("cursor is not valid");
            }
            return seq;
        } catch (IllegalArgumentException e) {
            throw new SimValidationException("cursor is not valid");
        }
    }

    private static String key(UUID personId, HalfDay part) {
        return personId.toString() + '|' + part.name();
    }
}
