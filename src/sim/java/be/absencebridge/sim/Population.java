package be.absencebridge.sim;

import be.absencebridge.sim.support.SchoolCalendar;
import be.absencebridge.sim.support.SchoolYear;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The simulated people and organisation of a school board, identical on both simulators: institutions,
 * their branches, and pupils matched across the systems by institution number and registration number.
 */
public final class Population {

    public record Branch(int locationIdDiscimus, String institutionNumber, String name) {
    }

    public record Pupil(String internalNumber, UUID personId, String institutionNumber, String registrationNumber,
                        int locationIdDiscimus, String classCode, Level level, LocalDate dateOfBirth,
                        LocalDate startDate, LocalDate endDate) {

        /** The pupil's Smartschool account (synthetic: the population holds no names). */
        public String username() {
            return "leerling" + internalNumber;
        }

        public Pupil withEndDate(LocalDate end) {
            return new Pupil(internalNumber, personId, institutionNumber, registrationNumber, locationIdDiscimus, classCode,
                    level, dateOfBirth, startDate, end);
        }

        /** The same account in another branch or official class of its institution. */
        public Pupil withBranch(int location, String newClassCode) {
            return new Pupil(internalNumber, personId, institutionNumber, registrationNumber, location, newClassCode,
                    level, dateOfBirth, startDate, endDate);
        }

        public boolean enrolledOn(LocalDate date) {
            return !date.isBefore(startDate) && (endDate == null || !date.isAfter(endDate));
        }

        public boolean compulsory(SchoolYear year) {
            return year.isCompulsory(dateOfBirth);
        }

        /** A kindergarten pupil not yet of compulsory school age: presence and code A apply to them. */
        public boolean nonCompulsoryKindergarten(SchoolYear year) {
            return level == Level.KLEUTER && !compulsory(year);
        }
    }

    public enum Level {
        KLEUTER("kleuter"), LAGER("lager"), SECUNDAIR("secundair");

        private final String json;

        Level(String json) {
            this.json = json;
        }

        public String json() {
            return json;
        }
    }

    private final SeedRequest request;
    private final SchoolYear year;
    private final SchoolCalendar calendar;
    /** The school years the population spans (one, or two consecutive ones of the same people), in order. */
    private final List<SchoolYear> years;
    private final List<SchoolCalendar> calendars;
    private final List<String> institutions;
    private final List<Branch> branches;
    private final List<Pupil> pupils;
    private final Map<String, Pupil> byInternalNumber = new HashMap<>();
    /** A person's enrolments (periods), in order of start date: a pupil who moved has several. */
    private final Map<UUID, List<Pupil>> byPersonId = new HashMap<>();
    private final Map<Integer, Branch> branchById = new HashMap<>();
    /** When the population was seeded: the change time of every seeded enrolment. */
    private final Instant seededAt;
    /** When an enrolment (key {@link #key(Pupil)}) was last changed at run time (enrolled, ended, moved). */
    private final Map<String, Instant> changedAt;

    Population(SeedRequest request, List<String> institutions, List<Branch> branches, List<Pupil> pupils) {
        this(request, institutions, branches, pupils, Instant.EPOCH, Map.of());
    }

    private Population(SeedRequest request, List<String> institutions, List<Branch> branches, List<Pupil> pupils,
                       Instant seededAt, Map<String, Instant> changedAt) {
        this.request = request;
        this.year = SchoolYear.parse(request.schoolYear());
        this.calendar = new SchoolCalendar(year);
        List<SchoolYear> ys = new ArrayList<>();
        List<SchoolCalendar> cals = new ArrayList<>();
        ys.add(year);
        cals.add(calendar);
        if (request.schoolYears() != null) {
            for (int i = 1; i < request.schoolYears().size(); i++) {
                SchoolYear y = SchoolYear.parse(request.schoolYears().get(i));
                ys.add(y);
                cals.add(new SchoolCalendar(y));
            }
        }
        this.years = List.copyOf(ys);
        this.calendars = List.copyOf(cals);
        this.institutions = List.copyOf(institutions);
        this.branches = List.copyOf(branches);
        this.pupils = Collections.unmodifiableList(pupils);
        this.seededAt = seededAt;
        this.changedAt = Map.copyOf(changedAt);
        for (Pupil p : pupils) {
            byInternalNumber.put(p.internalNumber(), p);
            byPersonId.computeIfAbsent(p.personId(), k -> new ArrayList<>(1)).add(p);
        }
        for (List<Pupil> periods : byPersonId.values()) {
            if (periods.size() > 1) {
                periods.sort(Comparator.comparing(Pupil::startDate));
            }
        }
        for (Branch b : branches) {
            branchById.put(b.locationIdDiscimus(), b);
        }
    }

    /** The same organisation with other pupils (enrolments or accounts) and change times. */
    public Population with(List<Pupil> newPupils, Map<String, Instant> newChangedAt) {
        return new Population(request, institutions, branches, new ArrayList<>(newPupils), seededAt, newChangedAt);
    }

    /** The same population, seeded at the given moment (the change time of every seeded enrolment). */
    public Population seededAt(Instant at) {
        return new Population(request, institutions, branches, new ArrayList<>(pupils), at, changedAt);
    }

    /** The key of an enrolment: the person and the day it starts (a person's enrolments never start on the same day). */
    public static String key(Pupil p) {
        return p.personId() + "|" + p.startDate();
    }

    /** When an enrolment last changed: at run time, or else when the population was seeded. */
    public Instant changedAt(Pupil p) {
        return changedAt.getOrDefault(key(p), seededAt);
    }

    /** The latest change of any of a person's enrolments. */
    public Instant personChangedAt(UUID personId) {
        Instant latest = seededAt;
        for (Pupil p : enrolments(personId)) {
            Instant at = changedAt(p);
            if (at.isAfter(latest)) {
                latest = at;
            }
        }
        return latest;
    }

    public Map<String, Instant> changes() {
        return changedAt;
    }

    public Instant seededAt() {
        return seededAt;
    }

    public SeedRequest request() {
        return request;
    }

    public SchoolYear schoolYear() {
        return year;
    }

    public SchoolCalendar calendar() {
        return calendar;
    }

    /** The school years the population spans, in order (the first is {@link #schoolYear()}). */
    public List<SchoolYear> schoolYears() {
        return years;
    }

    public boolean covers(SchoolYear y) {
        return years.contains(y);
    }

    /** The population's school year that contains the date (1 September to 30 June), or null. */
    public SchoolYear yearOf(LocalDate date) {
        for (SchoolYear y : years) {
            if (y.contains(date)) {
                return y;
            }
        }
        return null;
    }

    /** The calendar of one of the population's school years (another year: a calendar of its own). */
    public SchoolCalendar calendar(SchoolYear y) {
        int i = years.indexOf(y);
        return i >= 0 ? calendars.get(i) : new SchoolCalendar(y);
    }

    /** A half-day of instruction in one of the population's school years. */
    public boolean isInstruction(LocalDate date, be.absencebridge.sim.support.HalfDay part) {
        SchoolYear y = yearOf(date);
        return y != null && calendar(y).isInstruction(date, part);
    }

    /**
     * The school year a day belongs to for the simulators: the population's year that has started by then (the year turns
     * on 1 September), the first one before the population's first year.
     */
    public SchoolYear currentYear(LocalDate today) {
        SchoolYear current = years.get(0);
        for (SchoolYear y : years) {
            if (!today.isBefore(y.firstDay())) {
                current = y;
            }
        }
        return current;
    }

    /** Whether an enrolment overlaps a school year. */
    public static boolean overlaps(Pupil p, SchoolYear y) {
        return !p.startDate().isAfter(y.lastDay()) && (p.endDate() == null || !p.endDate().isBefore(y.firstDay()));
    }

    public List<String> institutions() {
        return institutions;
    }

    public List<Branch> branches() {
        return branches;
    }

    public List<Pupil> pupils() {
        return pupils;
    }

    public Pupil byInternalNumber(String internalNumber) {
        return internalNumber == null ? null : byInternalNumber.get(internalNumber);
    }

    /** A person's latest enrolment (the one that starts last), or null. */
    public Pupil byPersonId(UUID personId) {
        List<Pupil> periods = enrolments(personId);
        return periods.isEmpty() ? null : periods.get(periods.size() - 1);
    }

    /** A person's enrolments in order of start date (empty when unknown). */
    public List<Pupil> enrolments(UUID personId) {
        List<Pupil> periods = personId == null ? null : byPersonId.get(personId);
        return periods == null ? List.of() : Collections.unmodifiableList(periods);
    }

    /** The enrolment of a person that covers the date, or null. */
    public Pupil enrolmentOn(UUID personId, LocalDate date) {
        for (Pupil p : enrolments(personId)) {
            if (p.enrolledOn(date)) {
                return p;
            }
        }
        return null;
    }

    public Branch branch(int locationIdDiscimus) {
        return branchById.get(locationIdDiscimus);
    }

    /** The part of the board a Smartschool platform holds: the given institutions, their branches and pupils. */
    public Population only(java.util.Set<String> someInstitutions) {
        return new Population(request, institutions.stream().filter(someInstitutions::contains).toList(),
                branches.stream().filter(b -> someInstitutions.contains(b.institutionNumber())).toList(),
                new ArrayList<>(pupils.stream().filter(p -> someInstitutions.contains(p.institutionNumber())).toList()),
                seededAt, changedAt);
    }
}
