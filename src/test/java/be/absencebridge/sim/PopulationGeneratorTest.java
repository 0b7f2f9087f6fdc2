package be.absencebridge.sim;

import be.absencebridge.domain.SchoolYear;
import be.absencebridge.sim.Population.Level;
import be.absencebridge.sim.Population.Pupil;
import org.junit.jupiter.api.Test;

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
}
