package be.absencebridge.sim;

import be.absencebridge.domain.SchoolYear;
import be.absencebridge.sim.Population.Branch;
import be.absencebridge.sim.Population.Level;
import be.absencebridge.sim.Population.Pupil;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Builds a population from a seed with {@link java.util.Random}, whose sequence is fixed by its
 * specification: the same request gives the same people in every JVM, so two simulator processes
 * seeded alike agree on every identity.
 */
public final class PopulationGenerator {

    private PopulationGenerator() {
    }

    public static Population generate(SeedRequest raw) {
        SeedRequest req = raw.normalised();
        SchoolYear year = SchoolYear.parse(req.schoolYear());
        Random random = new Random(req.seed());

        List<String> institutions = new ArrayList<>();
        Set<String> usedInstitutions = new HashSet<>();
        while (institutions.size() < req.institutions()) {
            String number = String.format("%06d", 100_000 + random.nextInt(900_000));
            if (usedInstitutions.add(number)) {
                institutions.add(number);
            }
        }

        List<Branch> branches = new ArrayList<>();
        Set<Integer> usedLocations = new HashSet<>();
        for (String inst : institutions) {
            for (int b = 0; b < req.branchesPerInstitution(); b++) {
                int id;
                do {
                    id = 10_000 + random.nextInt(90_000);
                } while (!usedLocations.add(id));
                branches.add(new Branch(id, inst, "Vestiging " + (b + 1) + " van " + inst));
            }
        }

        List<Pupil> pupils = new ArrayList<>(branches.size() * req.pupilsPerBranch());
        int internal = 1000 + random.nextInt(1000);
        for (String inst : institutions) {
            int stamnummer = 1 + random.nextInt(500);
            for (Branch branch : branches) {
                if (!branch.institutionNumber().equals(inst)) {
                    continue;
                }
                for (int i = 0; i < req.pupilsPerBranch(); i++) {
                    // Every branch has kindergarten, primary and secondary pupils: the first three pupils
                    // guarantee it, the rest are drawn about 30 / 40 / 30.
                    Level level = i < 3 ? Level.values()[i] : drawLevel(random);
                    LocalDate birth = dateOfBirth(random, year, level, i);
                    LocalDate start = year.firstDay();
                    LocalDate end = null;
                    int churn = random.nextInt(100);
                    if (i >= 3 && churn < 5) {
                        // came in later in the year (kindergarten entry days, moves)
                        start = year.firstDay().plusDays(14 + random.nextInt(200));
                    } else if (i >= 3 && churn < 9) {
                        // left during the year
                        end = year.firstDay().plusDays(30 + random.nextInt(200));
                    }
                    UUID personId = new UUID((random.nextLong() & 0xffffffffffff0fffL) | 0x4000L,
                            (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L);
                    pupils.add(new Pupil(
                            String.valueOf(internal++),
                            personId,
                            inst,
                            String.valueOf(stamnummer++),
                            branch.locationIdDiscimus(),
                            classCode(random, level),
                            level,
                            birth,
                            start,
                            end));
                }
            }
        }
        return new Population(req, institutions, branches, pupils);
    }

    private static Level drawLevel(Random random) {
        int r = random.nextInt(10);
        return r < 3 ? Level.KLEUTER : r < 7 ? Level.LAGER : Level.SECUNDAIR;
    }

    /** Ages per level; kindergarten spans 2.5 to 5, so most of it is not yet of compulsory school age. */
    private static LocalDate dateOfBirth(Random random, SchoolYear year, Level level, int index) {
        int y = year.startYear();
        int birthYear = switch (level) {
            // index 0 is always a non-compulsory kindergarten pupil (born the year they turn 4)
            case KLEUTER -> index == 0 ? y - 4 : y - 3 - random.nextInt(3); // y-5 is compulsory (turns 5 this year)
            case LAGER -> y - 6 - random.nextInt(6);
            case SECUNDAIR -> y - 12 - random.nextInt(6);
        };
        return LocalDate.of(birthYear, 1, 1).plusDays(random.nextInt(365));
    }

    /** An official class of the level, drawn: {@code K1A}..{@code K3C}, {@code L1A}..{@code L6C}, {@code 1A}..{@code 6C}. */
    public static String classCode(Random random, Level level) {
        char group = (char) ('A' + random.nextInt(3));
        return switch (level) {
            case KLEUTER -> "K" + (1 + random.nextInt(3)) + group;
            case LAGER -> "L" + (1 + random.nextInt(6)) + group;
            case SECUNDAIR -> (1 + random.nextInt(6)) + "" + group;
        };
    }
}
