package be.absencebridge.sim;

import be.absencebridge.domain.FlemishSchoolCalendar;
import be.absencebridge.domain.SchoolYear;

import java.time.LocalDate;
import java.util.Collections;
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
    private final FlemishSchoolCalendar calendar;
    private final List<String> institutions;
    private final List<Branch> branches;
    private final List<Pupil> pupils;
    private final Map<String, Pupil> byInternalNumber = new HashMap<>();
    private final Map<UUID, Pupil> byPersonId = new HashMap<>();
    private final Map<Integer, Branch> branchById = new HashMap<>();

    Population(SeedRequest request, List<String> institutions, List<Branch> branches, List<Pupil> pupils) {
        this.request = request;
        this.year = SchoolYear.parse(request.schoolYear());
        this.calendar = new FlemishSchoolCalendar(year);
        this.institutions = List.copyOf(institutions);
        this.branches = List.copyOf(branches);
        this.pupils = Collections.unmodifiableList(pupils);
        for (Pupil p : pupils) {
            byInternalNumber.put(p.internalNumber(), p);
            byPersonId.put(p.personId(), p);
        }
        for (Branch b : branches) {
            branchById.put(b.locationIdDiscimus(), b);
        }
    }

    public SeedRequest request() {
        return request;
    }

    public SchoolYear schoolYear() {
        return year;
    }

    public FlemishSchoolCalendar calendar() {
        return calendar;
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

    public Pupil byPersonId(UUID personId) {
        return personId == null ? null : byPersonId.get(personId);
    }

    public Branch branch(int locationIdDiscimus) {
        return branchById.get(locationIdDiscimus);
    }

    /** The part of the board a Smartschool platform holds: the given institutions, their branches and pupils. */
    public Population only(java.util.Set<String> someInstitutions) {
        return new Population(request, institutions.stream().filter(someInstitutions::contains).toList(),
                branches.stream().filter(b -> someInstitutions.contains(b.institutionNumber())).toList(),
                new java.util.ArrayList<>(pupils.stream().filter(p -> someInstitutions.contains(p.institutionNumber())).toList()));
    }
}
