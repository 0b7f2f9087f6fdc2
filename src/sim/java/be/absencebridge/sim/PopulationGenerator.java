package be.absencebridge.sim;

import be.absencebridge.sim.support.SchoolYear;
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
        if (req.schoolYears() != null && req.schoolYears().size() == 2) {
            // drawn after the first year's people, so that the first year is the very population of a single-year seed
            pupils = secondYear(random, SchoolYear.parse(req.schoolYears().get(1)), year, branches, pupils, internal);
        }
        return new Population(req, institutions, branches, pupils);
    }

    /**
     * The next school year of the same people: most pupils still enrolled at the end of the first year return one grade
     * up (a new enrolment from 1 September at the same branch, with the same registration number and Smartschool
     * account), the last grade of secondary and a few others leave (their enrolment ends on 30 June), and as many new
     * pupils join each branch (new enrolments from 1 September, in the first grade of kindergarten or secondary).
     * Model: the shares are not published; a pupil leaving primary stays at its branch, which has secondary too.
     */
    private static List<Pupil> secondYear(Random random, SchoolYear next, SchoolYear first, List<Branch> branches,
                                          List<Pupil> firstYear, int nextInternal) {
        List<Pupil> out = new ArrayList<>(firstYear.size() * 2);
        List<Pupil> returning = new ArrayList<>();
        java.util.Map<Integer, Integer> leavers = new java.util.HashMap<>();
        java.util.Map<String, Integer> stamnummers = new java.util.HashMap<>();
        for (Pupil p : firstYear) {
            stamnummers.merge(p.institutionNumber(), Integer.parseInt(p.registrationNumber()), Math::max);
        }
        for (Pupil p : firstYear) {
            if (p.endDate() != null) {
                out.add(p);
                continue;
            }
            Pupil ended = p.withEndDate(first.lastDay());
            out.add(ended);
            boolean lastGrade = p.level() == Level.SECUNDAIR && p.classCode().startsWith("6");
            if (lastGrade || random.nextInt(100) < 4) {
                leavers.merge(p.locationIdDiscimus(), 1, Integer::sum);
                continue;
            }
            returning.add(gradeUp(p, next));
        }
        out.addAll(returning);
        int internal = nextInternal;
        for (Branch b : branches) {
            int joining = leavers.getOrDefault(b.locationIdDiscimus(), 0);
            for (int i = 0; i < joining; i++) {
                Level level = random.nextBoolean() ? Level.KLEUTER : Level.SECUNDAIR;
                int y = next.startYear();
                LocalDate birth = LocalDate.of(level == Level.KLEUTER ? y - 3 : y - 12, 1, 1).plusDays(random.nextInt(365));
                UUID personId = new UUID((random.nextLong() & 0xffffffffffff0fffL) | 0x4000L,
                        (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L);
                char group = (char) ('A' + random.nextInt(3));
                int stamnummer = stamnummers.merge(b.institutionNumber(), 1, Integer::sum);
                out.add(new Pupil(String.valueOf(internal++), personId, b.institutionNumber(), String.valueOf(stamnummer),
                        b.locationIdDiscimus(), (level == Level.KLEUTER ? "K1" : "1") + group, level, birth, next.firstDay(), null));
            }
        }
        return out;
    }

    /** The same pupil one grade up, enrolled from the first day of the next school year. */
    private static Pupil gradeUp(Pupil p, SchoolYear next) {
        String c = p.classCode();
        char group = c.charAt(c.length() - 1);
        Level level = p.level();
        String klass;
        switch (level) {
            case KLEUTER -> {
                int grade = c.charAt(1) - '0';
                if (grade >= 3) {
                    level = Level.LAGER;
                    klass = "L1" + group;
                } else {
                    klass = "K" + (grade + 1) + group;
                }
            }
            case LAGER -> {
                int grade = c.charAt(1) - '0';
                if (grade >= 6) {
                    level = Level.SECUNDAIR;
                    klass = "1" + group;
                } else {
                    klass = "L" + (grade + 1) + group;
                }
            }
            default -> klass = ((c.charAt(0) - '0') + 1) + "" + group;
        }
        return new Pupil(p.internalNumber(), p.personId(), p.institutionNumber(), p.registrationNumber(),
                p.locationIdDiscimus(), klass, level, p.dateOfBirth(), next.firstDay(), null);
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
