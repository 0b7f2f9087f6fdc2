package be.absencebridge.sim;

import be.absencebridge.sim.support.SchoolYear;
import be.absencebridge.sim.Population.Level;
import be.absencebridge.sim.Population.Pupil;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PopulationGeneratorTest {

    private static final SeedRequest REQUEST = new SeedRequest(3, 2, 400, "2026-27", 42L);

    @Test
    void sameSeedSamePeopleOtherSeedOtherPeople() {
        Population a = PopulationGenerator.generate(REQUEST);
        Population b = PopulationGenerator.generate(REQUEST);
        assertThat(b.pupils()).isEqualTo(a.pupils());
        assertThat(b.branches()).isEqualTo(a.branches());
        Population c = PopulationGenerator.generate(new SeedRequest(3, 2, 400, "2026-27", 43L));
        assertThat(c.pupils().get(0).personId()).isNotEqualTo(a.pupils().get(0).personId());
    }

    @Test
    void everyBranchHasAllLevelsAndNonCompulsoryKindergarten() {
        Population p = PopulationGenerator.generate(REQUEST);
        SchoolYear year = p.schoolYear();
        assertThat(p.institutions()).hasSize(3);
        assertThat(p.branches()).hasSize(6);
        assertThat(p.pupils()).hasSize(2400);
        for (Population.Branch b : p.branches()) {
            List<Pupil> pupils = p.pupils().stream().filter(x -> x.locationIdDiscimus() == b.locationIdDiscimus()).toList();
            assertThat(pupils).hasSize(400);
            assertThat(pupils.stream().map(Pupil::level).collect(Collectors.toSet())).containsExactlyInAnyOrder(Level.values());
            assertThat(pupils).anyMatch(x -> x.nonCompulsoryKindergarten(year));
            assertThat(pupils).anyMatch(x -> x.level() == Level.KLEUTER && x.compulsory(year));
            assertThat(pupils).anyMatch(x -> x.endDate() != null);
            assertThat(pupils).anyMatch(x -> x.startDate().isAfter(year.firstDay()));
        }
    }

    @Test
    void identitiesAreUnique() {
        Population p = PopulationGenerator.generate(REQUEST);
        Set<String> keys = new HashSet<>();
        Set<String> internal = new HashSet<>();
        Set<Object> persons = new HashSet<>();
        for (Pupil x : p.pupils()) {
            assertThat(keys.add(x.institutionNumber() + "|" + x.registrationNumber())).isTrue();
            assertThat(internal.add(x.internalNumber())).isTrue();
            assertThat(persons.add(x.personId())).isTrue();
            assertThat(x.personId().version()).isEqualTo(4);
            assertThat(x.institutionNumber()).matches("\\d{6}");
        }
    }

    @Test
    void limitsAreChecked() {
        assertThatThrownBy(() -> new SeedRequest(0, 1, 10, "2026-27", 1L).normalised()).hasMessageContaining("institutions");
        assertThatThrownBy(() -> new SeedRequest(1, 1, 100_000, "2026-27", 1L).normalised()).hasMessageContaining("pupilsPerBranch");
        assertThatThrownBy(() -> new SeedRequest(50, 20, 5000, "2026-27", 1L).normalised()).hasMessageContaining("at most");
        assertThatThrownBy(() -> new SeedRequest(1, 1, 10, "2026", 1L).normalised()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void twoSchoolYearsOfTheSamePeopleKeepTheFirstYearOfASingleYearSeed() {
        Population single = PopulationGenerator.generate(REQUEST);
        SeedRequest twoYears = new SeedRequest(3, 2, 400, null, 42L, null, List.of("2026-27", "2027-28"));
        Population both = PopulationGenerator.generate(twoYears);
        assertThat(PopulationGenerator.generate(new SeedRequest(3, 2, 400, null, 42L, null, List.of("2026-27"))).pupils())
                .isEqualTo(single.pupils());
        assertThat(both.schoolYears()).containsExactly(SchoolYear.parse("2026-27"), SchoolYear.parse("2027-28"));
        SchoolYear second = SchoolYear.parse("2027-28");

        // the first year: the very people of the single-year seed, every enrolment that ran on ending on 30 June
        List<Pupil> firstYear = both.pupils().stream().filter(x -> x.startDate().isBefore(second.firstDay())).toList();
        assertThat(firstYear).hasSize(single.pupils().size());
        for (int i = 0; i < firstYear.size(); i++) {
            Pupil a = single.pupils().get(i);
            Pupil b = firstYear.get(i);
            assertThat(b.withEndDate(a.endDate())).isEqualTo(a);
            assertThat(b.endDate()).isEqualTo(a.endDate() != null ? a.endDate() : LocalDate.of(2027, 6, 30));
        }

        int returned = 0;
        int left = 0;
        for (Pupil a : single.pupils()) {
            List<Pupil> periods = both.enrolments(a.personId());
            if (a.endDate() != null) {
                assertThat(periods).hasSize(1);
                continue;
            }
            boolean lastGrade = a.level() == Level.SECUNDAIR && a.classCode().startsWith("6");
            if (periods.size() == 1) {
                left++;
                continue;
            }
            assertThat(lastGrade).as("the last grade of secondary leaves").isFalse();
            returned++;
            Pupil next = periods.get(1);
            assertThat(next.startDate()).isEqualTo(second.firstDay());
            assertThat(next.endDate()).isNull();
            assertThat(next.registrationNumber()).isEqualTo(a.registrationNumber());
            assertThat(next.internalNumber()).isEqualTo(a.internalNumber());
            assertThat(next.locationIdDiscimus()).isEqualTo(a.locationIdDiscimus());
            assertThat(next.classCode()).isNotEqualTo(a.classCode());
        }
        assertThat(returned).isGreaterThan(left);
        assertThat(single.pupils()).filteredOn(x -> x.endDate() == null && x.level() == Level.SECUNDAIR && x.classCode().startsWith("6"))
                .allMatch(x -> both.enrolments(x.personId()).size() == 1);

        // new pupils join from 1 September, with registration numbers and internal numbers of their own
        Set<Object> firstPeople = single.pupils().stream().map(Pupil::personId).collect(Collectors.toSet());
        List<Pupil> joiners = both.pupils().stream().filter(x -> !firstPeople.contains(x.personId())).toList();
        assertThat(joiners).isNotEmpty().allMatch(x -> x.startDate().equals(second.firstDay()));
        Set<String> keys = new HashSet<>();
        Set<String> internal = new HashSet<>();
        for (Pupil x : both.pupils()) {
            if (!x.startDate().isBefore(second.firstDay())) {
                assertThat(keys.add(x.institutionNumber() + "|" + x.registrationNumber())).isTrue();
                assertThat(internal.add(x.internalNumber())).isTrue();
            }
        }

        assertThatThrownBy(() -> new SeedRequest(1, 1, 10, null, 1L, null, List.of("2026-27", "2028-29")).normalised())
                .hasMessageContaining("consecutive");
        assertThatThrownBy(() -> new SeedRequest(1, 1, 10, null, 1L, null, List.of("2026-27", "2027-28", "2028-29")).normalised())
                .hasMessageContaining("at most");
        assertThatThrownBy(() -> new SeedRequest(1, 1, 10, "2025-26", 1L, null, List.of("2026-27", "2027-28")).normalised())
                .hasMessageContaining("first");
    }
}
