package be.absencebridge.sim.control;

import be.absencebridge.sim.Population;
import be.absencebridge.sim.Population.Branch;
import be.absencebridge.sim.Population.Level;
import be.absencebridge.sim.Population.Pupil;
import be.absencebridge.sim.PopulationGenerator;
import be.absencebridge.sim.SeedRequest;

import be.absencebridge.sim.SimValidationException;
import be.absencebridge.sim.Timestamps;
import be.absencebridge.sim.informat.InformatSimulator;
import be.absencebridge.sim.informat.TokenStore;
import be.absencebridge.sim.smartschool.SmartschoolPlatforms;
import be.absencebridge.sim.smartschool.SmartschoolSimulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Both simulators of one process and the population they share: one seed call seeds both. Pupils change at run time
 * through Informat, where they are enrolled ({@link #enrol}, {@link #end}, {@link #move}): Informat knows the change at
 * once; the Smartschool account that Informat's school-administration link creates or changes becomes visible on its
 * platform a chosen delay later (by the clock).
 */
public final class SimulatedWorld {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedWorld.class);
    /** The longest delay a control may ask for Smartschool to learn of a change: a week. */
    static final int MAX_DELAY_SECONDS = 7 * 24 * 3600;

    private final SmartschoolPlatforms smartschool;
    private final InformatSimulator informat;
    private final TokenStore tokens;
    private final Clock clock;
    private volatile Population population;
    /** Draws the official class of a pupil enrolled at run time (seeded with the population, so a replay is alike). */
    private Random classes = new Random(0);

    public SimulatedWorld(SmartschoolPlatforms smartschool, InformatSimulator informat, TokenStore tokens) {
        this(smartschool, informat, tokens, Clock.systemUTC());
    }

    public SimulatedWorld(SmartschoolPlatforms smartschool, InformatSimulator informat, TokenStore tokens, Clock clock) {
        this.smartschool = smartschool;
        this.informat = informat;
        this.tokens = tokens;
        this.clock = clock;
    }

    public synchronized Population seed(SeedRequest request) {
        long start = System.nanoTime();
        Population p = PopulationGenerator.generate(request).seededAt(clock.instant());
        this.population = p;
        this.classes = new Random(p.request().seed() == null ? 0 : p.request().seed());
        smartschool.reset(p);
        informat.reset(p);
        tokens.clear();
        LOG.info("simulators seeded: {} Smartschool platforms, {} institutions, {} branches, {} pupils, school year {} ({} ms)",
                smartschool.all().size(), p.institutions().size(), p.branches().size(), p.pupils().size(), p.schoolYear(),
                (System.nanoTime() - start) / 1_000_000);
        return p;
    }

    public Population population() {
        return population;
    }

    public SmartschoolPlatforms smartschool() {
        return smartschool;
    }

    public InformatSimulator informat() {
        return informat;
    }

    // ---- pupils change (through Informat) ----

    /** An enrolment as the controls answer it: Informat's side and the Smartschool account that goes with it. */
    public record Enrolment(Pupil enrolment, String platform, Instant smartschoolVisibleFrom) {

        public Map<String, Object> view() {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("personId", enrolment.personId().toString());
            m.put("instituteNo", enrolment.institutionNumber());
            m.put("studentNo", enrolment.registrationNumber());
            m.put("locationIdDiscimus", enrolment.locationIdDiscimus());
            m.put("platform", platform);
            m.put("username", enrolment.username());
            m.put("internalNumber", enrolment.internalNumber());
            m.put("level", enrolment.level().json());
            m.put("startDate", enrolment.startDate().toString());
            m.put("endDate", enrolment.endDate() == null ? null : enrolment.endDate().toString());
            m.put("smartschoolVisibleFrom", smartschoolVisibleFrom == null ? null : smartschoolVisibleFrom.toString());
            return m;
        }
    }

    /**
     * A new pupil enrolled in Informat at a branch: in Informat at once, with a new person id and a new registration
     * number in the institution; its Smartschool account (a new internal number, an official class) on the platform of
     * the institution {@code delaySeconds} later.
     */
    public synchronized Enrolment enrol(Integer locationIdDiscimus, String startDate, String level, String dateOfBirth,
                                        Integer delaySeconds) {
        Population pop = population;
        Branch branch = branch(pop, locationIdDiscimus);
        LocalDate start = dateInYear(pop, startDate, "startDate");
        Level lvl = level(level);
        LocalDate birth = Timestamps.parseDate(dateOfBirth, "dateOfBirth");
        if (!birth.isBefore(start)) {
            throw new SimValidationException("dateOfBirth must be before startDate");
        }
        Instant visible = visibleFrom(delaySeconds);
        UUID personId = UUID.randomUUID();
        Pupil p = new Pupil(nextInternalNumber(pop), personId, branch.institutionNumber(),
                nextRegistrationNumber(pop, branch.institutionNumber()), branch.locationIdDiscimus(),
                PopulationGenerator.classCode(classes, lvl), lvl, birth, start, null);
        List<Pupil> pupils = new ArrayList<>(pop.pupils());
        pupils.add(p);
        apply(pop, pupils, List.of(p));
        SmartschoolSimulator platform = platformOf(p.institutionNumber());
        platform.addVersion(visible, p);
        LOG.info("sim: enrolled a {} pupil at branch {} from {}; Smartschool account {} on {} visible from {}",
                lvl.json(), branch.locationIdDiscimus(), start, p.internalNumber(), platform.name(), visible);
        return new Enrolment(p, platform.name(), platform.visibleFrom(p.internalNumber()));
    }

    /**
     * The person's current (latest) enrolment ends on {@code endDate}, in Informat at once. Smartschool keeps the account
     * (as it keeps the account of a pupil who left until the school archives it) and learns the end {@code delaySeconds}
     * later (model: what the vendors' link does with a leaver is not published).
     */
    public synchronized Enrolment end(String personId, String endDate, Integer delaySeconds) {
        Population pop = population;
        Pupil current = current(pop, personId);
        LocalDate end = Timestamps.parseDate(endDate, "endDate");
        if (end.isBefore(current.startDate())) {
            throw new SimValidationException("endDate must not be before the enrolment's startDate " + current.startDate());
        }
        Instant visible = visibleFrom(delaySeconds);
        Pupil ended = current.withEndDate(end);
        List<Pupil> pupils = replaced(pop, current, ended);
        apply(pop, pupils, List.of(ended));
        SmartschoolSimulator platform = platformOf(current.institutionNumber());
        Pupil account = platform.latestAccount(current.internalNumber());
        platform.addVersion(visible, (account == null ? current : account).withEndDate(end));
        return new Enrolment(ended, platform.name(), platform.visibleFrom(current.internalNumber()));
    }

    /**
     * The person moves to another branch from {@code date}: the current enrolment ends the day before, a new one starts
     * on {@code date}. Within the institution: the same registration number and the same Smartschool account, whose branch
     * and official class change {@code delaySeconds} later. To another institution: a new registration number there and a
     * new Smartschool account (new internal number and username) on that institution's platform, visible
     * {@code delaySeconds} later; the old account stays on the old platform with its old institution and learns the end
     * of its enrolment as a leaver's would (model: how Smartschool handles a change of school is not published; a school's
     * platform holds the accounts of its own pupils, so the new school's platform gets an account of its own).
     */
    public synchronized Enrolment move(String personId, Integer locationIdDiscimus, String date, Integer delaySeconds) {
        Population pop = population;
        Pupil current = current(pop, personId);
        Branch branch = branch(pop, locationIdDiscimus);
        LocalDate from = dateInYear(pop, date, "date");
        if (!from.isAfter(current.startDate())) {
            throw new SimValidationException("date must be after the current enrolment's startDate " + current.startDate());
        }
        Instant visible = visibleFrom(delaySeconds);
        LocalDate dayBefore = from.minusDays(1);
        Pupil ended = current.endDate() != null && current.endDate().isBefore(dayBefore) ? current : current.withEndDate(dayBefore);
        boolean sameInstitution = branch.institutionNumber().equals(current.institutionNumber());
        String classCode = branch.locationIdDiscimus() == current.locationIdDiscimus() ? current.classCode()
                : PopulationGenerator.classCode(classes, current.level());
        Pupil next = new Pupil(
                sameInstitution ? current.internalNumber() : nextInternalNumber(pop),
                current.personId(), branch.institutionNumber(),
                sameInstitution ? current.registrationNumber() : nextRegistrationNumber(pop, branch.institutionNumber()),
                branch.locationIdDiscimus(), classCode, current.level(), current.dateOfBirth(), from, null);
        List<Pupil> pupils = replaced(pop, current, ended);
        pupils.add(next);
        apply(pop, pupils, List.of(ended, next));
        SmartschoolSimulator oldPlatform = platformOf(current.institutionNumber());
        Pupil oldAccount = oldPlatform.latestAccount(current.internalNumber());
        if (oldAccount == null) {
            oldAccount = current;
        }
        SmartschoolSimulator platform;
        if (sameInstitution) {
            platform = oldPlatform;
            // the same account, in its new branch and class, still enrolled (its start is the account's own)
            platform.addVersion(visible, oldAccount.withBranch(next.locationIdDiscimus(), next.classCode()).withEndDate(null));
        } else {
            oldPlatform.addVersion(visible, oldAccount.withEndDate(ended.endDate()));
            platform = platformOf(next.institutionNumber());
            platform.addVersion(visible, next);
        }
        LOG.info("sim: moved a pupil from branch {} to branch {} from {} ({})", current.locationIdDiscimus(),
                next.locationIdDiscimus(), from, sameInstitution ? "same institution" : "another institution");
        return new Enrolment(next, platform.name(), platform.visibleFrom(next.internalNumber()));
    }

    /** Informat's population with the changed enrolments, each stamped with the clock's now as its change time. */
    private void apply(Population pop, List<Pupil> pupils, List<Pupil> changed) {
        Map<String, Instant> stamps = new HashMap<>(pop.changes());
        Instant now = clock.instant();
        for (Pupil c : changed) {
            stamps.put(Population.key(c), now);
        }
        Population next = pop.with(pupils, stamps);
        population = next;
        informat.population(next);
    }

    private static List<Pupil> replaced(Population pop, Pupil old, Pupil with) {
        List<Pupil> pupils = new ArrayList<>(pop.pupils().size() + 1);
        for (Pupil p : pop.pupils()) {
            pupils.add(p == old ? with : p);
        }
        return pupils;
    }

    private Pupil current(Population pop, String personId) {
        UUID id;
        try {
            id = UUID.fromString(String.valueOf(personId).trim());
        } catch (IllegalArgumentException e) {
            throw new SimValidationException(404, null, "no such person: " + personId);
        }
        Pupil p = pop.byPersonId(id);
        if (p == null) {
            throw new SimValidationException(404, null, "no such person: " + personId);
        }
        return p;
    }

    private static Branch branch(Population pop, Integer locationIdDiscimus) {
        if (locationIdDiscimus == null) {
            throw new SimValidationException("locationIdDiscimus is missing");
        }
        Branch b = pop.branch(locationIdDiscimus);
        if (b == null) {
            throw new SimValidationException(404, null, "unknown locationIdDiscimus " + locationIdDiscimus);
        }
        return b;
    }

    /** A date of the population's school year (1 September to 30 June). */
    private static LocalDate dateInYear(Population pop, String text, String field) {
        LocalDate d = Timestamps.parseDate(text, field);
        if (pop.yearOf(d) == null) {
            throw new SimValidationException(field + " must lie in a school year of the population " + pop.schoolYears()
                    + " (1 September to 30 June)");
        }
        return d;
    }

    private static Level level(String text) {
        if (text == null || text.isBlank()) {
            throw new SimValidationException("level is missing");
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "kleuter" -> Level.KLEUTER;
            case "lager" -> Level.LAGER;
            case "so", "secundair" -> Level.SECUNDAIR;
            default -> throw new SimValidationException("level must be kleuter, lager or so (secundair)");
        };
    }

    private Instant visibleFrom(Integer delaySeconds) {
        int delay = delaySeconds == null ? 0 : delaySeconds;
        if (delay < 0 || delay > MAX_DELAY_SECONDS) {
            throw new SimValidationException("smartschoolDelaySeconds must be between 0 and " + MAX_DELAY_SECONDS);
        }
        return clock.instant().plusSeconds(delay);
    }

    private SmartschoolSimulator platformOf(String institutionNumber) {
        SmartschoolSimulator sim = smartschool.holding(institutionNumber);
        if (sim == null) {
            throw new IllegalStateException("no Smartschool platform holds institution " + institutionNumber);
        }
        return sim;
    }

    /** A new internal number, unique over every platform (Informat's enrolments carry every account's number). */
    private static String nextInternalNumber(Population pop) {
        long max = 0;
        for (Pupil p : pop.pupils()) {
            max = Math.max(max, Long.parseLong(p.internalNumber()));
        }
        return String.valueOf(max + 1);
    }

    /** A new registration number in the institution's register (model: the next free number). */
    private static String nextRegistrationNumber(Population pop, String institutionNumber) {
        long max = 0;
        for (Pupil p : pop.pupils()) {
            if (p.institutionNumber().equals(institutionNumber)) {
                max = Math.max(max, Long.parseLong(p.registrationNumber()));
            }
        }
        return String.valueOf(max + 1);
    }
}
