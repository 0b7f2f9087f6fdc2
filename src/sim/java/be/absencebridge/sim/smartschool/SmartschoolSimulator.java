package be.absencebridge.sim.smartschool;

import be.absencebridge.sim.support.Codes;
import be.absencebridge.sim.support.HalfDay;
import be.absencebridge.sim.Population;
import be.absencebridge.sim.Population.Pupil;
import be.absencebridge.sim.Pusher;
import be.absencebridge.sim.SimValidationException;
import be.absencebridge.sim.Timestamps;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Smartschool's attendance register, in memory: per pupil and half-day an official code or an alias of one,
 * a motivation and the registration time. People register through the screen ({@link #registerByPerson});
 * the link writes through {@link #write}; a person's registration is pushed when the link is on (the link's own writes
 * only when a test asks for their echo).
 */
public final class SmartschoolSimulator {

    public record Cell(String internalNumber, LocalDate date, HalfDay part, String code, String alias,
                       String motivation, OffsetDateTime registeredAt, String registeredBy) {
        boolean sameContent(String code, String alias, String motivation) {
            return Objects.equals(this.code, code) && Objects.equals(this.alias, alias)
                    && Objects.equals(this.motivation, motivation);
        }
    }

    public record Alias(String alias, String code, String label) {
    }

    /** One half-day in a write by the link. */
    public record CellWrite(String internalNumber, String date, String part, String code, String alias,
                            String motivation, String registeredAt) {
    }

    public record WriteResult(String status, String reason) {
        static WriteResult rejected(String reason) {
            return new WriteResult("rejected", reason);
        }
    }

    /**
     * A person's registration in the screen: the pupil by internal number or username; {@code platform} names the
     * platform (it may be left out when the pupil tells). {@code silent}: a correction made inside Smartschool (a data
     * fix, a restore): stored, not pushed; only the register read shows it.
     */
    public record Registration(String internalNumber, String date, String part, String code, String alias,
                               String motivation, String registeredAt, String registeredBy, String platform, String username,
                               Boolean silent) {

        public Registration(String internalNumber, String date, String part, String code, String alias,
                            String motivation, String registeredAt, String registeredBy) {
            this(internalNumber, date, part, code, alias, motivation, registeredAt, registeredBy, null, null, null);
        }
    }

    private static final int MAX_MOTIVATION = 1000;

    /** An account's state (keyed by its internal number) from a moment on. */
    public record AccountVersion(Instant visibleFrom, Pupil account) {
    }

    /** The accounts as of the latest version moment reached ({@code upTo}, null: none) with {@code count} versions known. */
    private record View(Instant upTo, int count, Population population) {
    }

    private final String name;
    private final Clock clock;
    private final String linkAccount;
    private final Pusher pusher;
    /** The accounts as seeded. */
    private volatile Population seeded;
    /**
     * Accounts created or changed at run time by Informat's school-administration link, each visible from its moment
     * (by the clock: no timer, so an offset or moved clock works). The platform's population is the seeded one with the
     * versions visible now applied in order.
     */
    private final List<AccountVersion> versions = new CopyOnWriteArrayList<>();
    /** The moments versions become visible: which versions apply now depends only on the latest one reached. */
    private final java.util.concurrent.ConcurrentSkipListSet<Instant> moments = new java.util.concurrent.ConcurrentSkipListSet<>();
    private volatile View view;
    private final Object viewLock = new Object();
    private final Map<LocalDate, Map<String, Cell>> register = new ConcurrentHashMap<>();
    /** When a half-day was last cleared: a clear is a registration too, and an older write does not undo it. */
    private final Map<String, OffsetDateTime> clearedAt = new ConcurrentHashMap<>();
    private volatile boolean absenceSyncEnabled = true;
    private volatile Set<String> discimusInstitutions = Set.of();
    private final List<Alias> aliases = new CopyOnWriteArrayList<>();

    private final be.absencebridge.sim.LinkWrites linkWrites = new be.absencebridge.sim.LinkWrites();
    /** The readings the SOAP answers follow where the public sources disagree; reset by every seed. */
    private volatile SmartschoolVariants variants = SmartschoolVariants.DEFAULT;

    public SmartschoolVariants variants() {
        return variants;
    }

    public void variants(SmartschoolVariants variants) {
        this.variants = variants == null ? SmartschoolVariants.DEFAULT : variants;
    }

    /** What the link wrote through the presences API (a test's count of deliveries). */
    public be.absencebridge.sim.LinkWrites linkWrites() {
        return linkWrites;
    }

    public SmartschoolSimulator(String name, Clock clock, String linkAccount, Pusher pusher) {
        this.name = name;
        this.clock = clock;
        this.linkAccount = linkAccount;
        this.pusher = pusher;
    }

    /** Replaces the population, empties the register and restores the seeded settings and aliases. */
    public synchronized void reset(Population population) {
        linkWrites.reset();
        clearedAt.clear();
        accesscode = null;
        variants = SmartschoolVariants.DEFAULT;
        versions.clear();
        moments.clear();
        view = null;
        this.seeded = accounts(population);
        register.clear();
        absenceSyncEnabled = true;
        // the Discimus link is active in Informat in the seeded population, so in Smartschool it is not
        discimusInstitutions = Set.of();
        aliases.clear();
        aliases.add(new Alias("ZM", "Z", "Ziek met medisch attest"));
        aliases.add(new Alias("RB", "R", "Begrafenis"));
    }

    /**
     * The platform's accounts from the seeded enrolments: one account per internal number, as of the first school year;
     * an enrolment of a later year (a seed of two school years) changes the account, or creates a new pupil's, from the
     * first day of that year (model: Informat's link moves pupils to their new classes when the year turns).
     */
    private Population accounts(Population population) {
        if (population.schoolYears().size() == 1) {
            return population;
        }
        java.time.LocalDate firstYearEnd = population.schoolYears().get(0).lastDay();
        Map<String, Pupil> first = new LinkedHashMap<>();
        List<Pupil> later = new ArrayList<>();
        for (Pupil p : population.pupils()) {
            if (!p.startDate().isAfter(firstYearEnd)) {
                first.put(p.internalNumber(), p);
            } else {
                later.add(p);
            }
        }
        for (Pupil p : later) {
            Pupil before = first.get(p.internalNumber());
            Pupil account = before == null ? p : new Pupil(p.internalNumber(), p.personId(), p.institutionNumber(),
                    p.registrationNumber(), p.locationIdDiscimus(), p.classCode(), p.level(), p.dateOfBirth(),
                    before.startDate(), p.endDate());
            Instant at = p.startDate().atStartOfDay(Timestamps.BRUSSELS).toInstant();
            versions.add(new AccountVersion(at, account));
            moments.add(at);
        }
        return population.with(new ArrayList<>(first.values()), population.changes());
    }

    /** The accounts the platform holds now: the seeded ones and the run-time versions visible by the clock. */
    public Population population() {
        Population base = seeded;
        if (versions.isEmpty()) {
            return base;
        }
        Instant upTo = moments.floor(clock.instant());
        View v = view;
        int count = versions.size();
        if (v != null && v.count() == count && java.util.Objects.equals(v.upTo(), upTo)) {
            return v.population();
        }
        synchronized (viewLock) {
            List<AccountVersion> all = List.copyOf(versions);
            Map<String, Pupil> accounts = new LinkedHashMap<>();
            for (Pupil p : base.pupils()) {
                accounts.put(p.internalNumber(), p);
            }
            if (upTo != null) {
                for (AccountVersion a : all) {
                    if (!a.visibleFrom().isAfter(upTo)) {
                        accounts.put(a.account().internalNumber(), a.account());
                    }
                }
            }
            Population next = base.with(new ArrayList<>(accounts.values()), base.changes());
            view = new View(upTo, all.size(), next);
            return next;
        }
    }

    /**
     * Informat's link creates or changes an account, visible from the given moment. An account's versions become visible
     * in the order they were made (a later version is never visible before an earlier one of the same account).
     */
    public void addVersion(Instant visibleFrom, Pupil account) {
        synchronized (viewLock) {
            Instant at = visibleFrom;
            for (AccountVersion v : versions) {
                if (v.account().internalNumber().equals(account.internalNumber()) && v.visibleFrom().isAfter(at)) {
                    at = v.visibleFrom();
                }
            }
            moments.add(at);
            versions.add(new AccountVersion(at, account));
        }
    }

    /** The account's latest state, visible now or not (null when the platform never had it). */
    public Pupil latestAccount(String internalNumber) {
        Pupil latest = seeded.byInternalNumber(internalNumber);
        for (AccountVersion v : versions) {
            if (v.account().internalNumber().equals(internalNumber)) {
                latest = v.account();
            }
        }
        return latest;
    }

    /** The moment the account's latest version is visible (null for a seeded account without versions). */
    public Instant visibleFrom(String internalNumber) {
        Instant at = null;
        for (AccountVersion v : versions) {
            if (v.account().internalNumber().equals(internalNumber)) {
                at = v.visibleFrom();
            }
        }
        return at;
    }

    /** The institutions the platform holds. */
    public java.util.List<String> institutions() {
        return seeded.institutions();
    }

    /** The platform's name ({@code https://<name>.smartschool.be}). */
    public String name() {
        return name;
    }

    public Pusher pusher() {
        return pusher;
    }

    /** A pupil by Smartschool username; null when unknown. */
    public Pupil byUsername(String username) {
        // the simulator's usernames are "leerling" + the internal number (Population.Pupil.username)
        Pupil p = username == null || !username.startsWith("leerling") ? null : population().byInternalNumber(username.substring(8));
        return p != null && p.username().equals(username) ? p : null;
    }

    /** The web-services access code the platform's administrator set; null: the configured one. Reset with the seed. */
    private volatile String accesscode;

    public String accesscode() {
        return accesscode;
    }

    public void accesscode(String accesscode) {
        this.accesscode = accesscode;
    }

    public String linkAccount() {
        return linkAccount;
    }

    // ---- settings ----

    public boolean absenceSyncEnabled() {
        return absenceSyncEnabled;
    }

    public Set<String> discimusInstitutions() {
        return discimusInstitutions;
    }

    public List<Alias> aliases() {
        return List.copyOf(aliases);
    }

    public synchronized void updateSettings(Boolean syncEnabled, List<String> discimus, List<Alias> newAliases) {
        if (discimus != null) {
            for (String inst : discimus) {
                if (!seeded.institutions().contains(inst)) {
                    throw new SimValidationException("unknown institution number in discimusInstitutions");
                }
            }
        }
        if (newAliases != null) {
            for (Alias a : newAliases) {
                if (a == null || a.alias() == null || a.alias().isBlank() || !Codes.smartschool(a.code())) {
                    throw new SimValidationException("every alias needs a name and an official code");
                }
            }
        }
        if (syncEnabled != null) {
            absenceSyncEnabled = syncEnabled;
        }
        if (discimus != null) {
            discimusInstitutions = Set.copyOf(discimus);
        }
        if (newAliases != null) {
            aliases.clear();
            aliases.addAll(newAliases);
        }
    }

    // ---- register ----

    /** A person registers (or clears, with code and alias null) a half-day in the screen. */
    public Cell registerByPerson(Registration r) {
        Pupil pupil = r.internalNumber() != null ? population().byInternalNumber(r.internalNumber()) : byUsername(r.username());
        if (pupil == null) {
            throw new SimValidationException(404, null, "unknown pupil");
        }
        LocalDate date = Timestamps.parseDate(r.date(), "date");
        HalfDay part = part(r.part());
        String problem = slotProblem(pupil, date, part);
        if (problem != null) {
            throw new SimValidationException(problem);
        }
        String[] codeAlias = codeAndAlias(r.code(), r.alias());
        if (codeAlias == null) {
            throw new SimValidationException("unknown code or alias");
        }
        checkMotivation(r.motivation());
        OffsetDateTime at = r.registeredAt() == null ? Timestamps.now(clock) : Timestamps.parse(r.registeredAt(), "registeredAt");
        if (at.isAfter(Timestamps.now(clock))) {
            throw new SimValidationException("registeredAt is in the future");
        }
        String by = r.registeredBy() == null || r.registeredBy().isBlank() ? "leerkracht" : r.registeredBy();
        Cell cell = new Cell(pupil.internalNumber(), date, part, codeAlias[0], codeAlias[1],
                codeAlias[0] == null ? null : r.motivation(), at, by);
        store(cell, !Boolean.TRUE.equals(r.silent()));
        return cell;
    }

    /** The link writes half-days: saved, unchanged, stale (the stored registration is newer) or rejected. */
    public List<WriteResult> write(List<CellWrite> cells) {
        List<WriteResult> results = new ArrayList<>(cells.size());
        for (CellWrite w : cells) {
            results.add(writeOne(w));
        }
        return results;
    }

    private WriteResult writeOne(CellWrite w) {
        if (w == null) {
            return WriteResult.rejected("empty cell");
        }
        Pupil pupil = population().byInternalNumber(w.internalNumber());
        if (pupil == null) {
            return WriteResult.rejected("unknown pupil");
        }
        LocalDate date;
        HalfDay part;
        OffsetDateTime at;
        try {
            date = Timestamps.parseDate(w.date(), "date");
            part = part(w.part());
            at = Timestamps.parse(w.registeredAt(), "registeredAt");
            checkMotivation(w.motivation());
        } catch (SimValidationException e) {
            return WriteResult.rejected(e.getMessage());
        }
        linkWrites.record(pupil.internalNumber(), date, part, at);
        String problem = slotProblem(pupil, date, part);
        if (problem != null) {
            return WriteResult.rejected(problem);
        }
        String[] codeAlias = codeAndAlias(w.code(), w.alias());
        if (codeAlias == null) {
            return WriteResult.rejected("unknown code or alias");
        }
        String motivation = codeAlias[0] == null ? null : w.motivation();
        Cell next = new Cell(pupil.internalNumber(), date, part, codeAlias[0], codeAlias[1], motivation, at, linkAccount);
        WriteResult result;
        synchronized (this) {
            Map<String, Cell> day = register.computeIfAbsent(date, d -> new ConcurrentHashMap<>());
            String key = key(pupil.internalNumber(), part);
            Cell stored = day.get(key);
            OffsetDateTime cleared = clearedAt.get(date + "|" + key);
            if ((stored != null && stored.registeredAt().isAfter(at)) || (stored == null && cleared != null && cleared.isAfter(at))) {
                return new WriteResult("stale", "a newer registration is stored");
            }
            boolean empty = stored == null && codeAlias[0] == null;
            if (empty || (stored != null && stored.sameContent(codeAlias[0], codeAlias[1], motivation))) {
                return new WriteResult("unchanged", null);
            }
            putOrClear(day, date, key, next);
            result = new WriteResult("saved", null);
        }
        pushIfLinked(pupil, next, true);
        return result;
    }

    private void store(Cell cell, boolean push) {
        synchronized (this) {
            Map<String, Cell> day = register.computeIfAbsent(cell.date(), d -> new ConcurrentHashMap<>());
            putOrClear(day, cell.date(), key(cell.internalNumber(), cell.part()), cell);
        }
        if (push) {
            pushIfLinked(population().byInternalNumber(cell.internalNumber()), cell, false);
        }
    }

    private void putOrClear(Map<String, Cell> day, LocalDate date, String key, Cell cell) {
        if (cell.code() == null) {
            day.remove(key);
            clearedAt.put(date + "|" + key, cell.registeredAt());
        } else {
            day.put(key, cell);
            clearedAt.remove(date + "|" + key);
        }
    }

    /** A stored change pushed to the link while it is on; the link's own write ({@code linkWrite}) only to test its echo. */
    private void pushIfLinked(Pupil pupil, Cell cell, boolean linkWrite) {
        if (!absenceSyncEnabled) {
            return;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", UUID.randomUUID().toString());
        event.put("username", pupil.username());
        event.put("internalNumber", cell.internalNumber());
        event.put("institutionNumber", pupil.institutionNumber());
        event.put("registrationNumber", pupil.registrationNumber());
        event.put("date", cell.date().toString());
        event.put("part", cell.part().smartschool());
        event.put("code", cell.code());
        event.put("alias", cell.alias());
        event.put("motivation", cell.motivation());
        event.put("registeredAt", cell.registeredAt().toString());
        event.put("registeredBy", cell.registeredBy());
        if (linkWrite) {
            pusher.pushLinkWrite(event);
        } else {
            pusher.push(event);
        }
    }

    /** The stored register of a date, for the SOAP read and the admin dump. */
    public List<Cell> registerOf(LocalDate date) {
        Map<String, Cell> day = register.get(date);
        if (day == null) {
            return List.of();
        }
        List<Cell> cells = new ArrayList<>(day.values());
        cells.sort(Comparator.comparing(Cell::internalNumber).thenComparing(Cell::part));
        return cells;
    }

    // ---- validation ----

    private static HalfDay part(String part) {
        try {
            return HalfDay.fromSmartschool(part);
        } catch (IllegalArgumentException e) {
            throw new SimValidationException("part must be am or pm");
        }
    }

    /** Why a half-day cannot be registered, or null: future days cannot, nor days without lessons. */
    private String slotProblem(Pupil pupil, LocalDate date, HalfDay part) {
        if (date.isAfter(Timestamps.today(clock))) {
            return "date is in the future";
        }
        Population population = population();
        if (population.yearOf(date) == null) {
            return "date is outside the school year " + (population.schoolYears().size() == 1 ? population.schoolYear()
                    : population.schoolYears());
        }
        if (!population.isInstruction(date, part)) {
            return "no lessons on that half-day";
        }
        if (!pupil.enrolledOn(date)) {
            return "pupil not enrolled on that date";
        }
        return null;
    }

    /** Resolves code and alias: an alias alone gives its code; both must agree. Null when unknown. */
    private String[] codeAndAlias(String code, String alias) {
        if (alias != null && !alias.isBlank()) {
            Alias a = aliases.stream().filter(x -> x.alias().equals(alias)).findFirst().orElse(null);
            if (a == null || (code != null && !code.equals(a.code()))) {
                return null;
            }
            return new String[] {a.code(), a.alias()};
        }
        if (code == null) {
            return new String[] {null, null};
        }
        return Codes.smartschool(code) ? new String[] {code, null} : null;
    }

    private static void checkMotivation(String motivation) {
        if (motivation != null && motivation.length() > MAX_MOTIVATION) {
            throw new SimValidationException("motivation longer than " + MAX_MOTIVATION + " characters");
        }
    }

    private static String key(String internalNumber, HalfDay part) {
        return internalNumber + '|' + part.name();
    }
}
