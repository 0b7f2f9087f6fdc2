package be.absencebridge.sim;

import be.absencebridge.domain.SchoolYear;

/** The population a simulator is seeded with; the same request yields the same people on both simulators. */
public record SeedRequest(Integer institutions, Integer branchesPerInstitution, Integer pupilsPerBranch,
                          String schoolYear, Long seed, Integer smartschoolPlatforms) {

    public static final int MAX_PLATFORMS = 20;

    public SeedRequest(Integer institutions, Integer branchesPerInstitution, Integer pupilsPerBranch, String schoolYear, Long seed) {
        this(institutions, branchesPerInstitution, pupilsPerBranch, schoolYear, seed, null);
    }

    public static final int MAX_INSTITUTIONS = 50;
    public static final int MAX_BRANCHES = 20;
    public static final int MAX_PUPILS_PER_BRANCH = 5000;
    public static final int MAX_PUPILS = 200_000;

    /** Fills in defaults and checks the limits; throws {@link IllegalArgumentException} with a reason. */
    public SeedRequest normalised() {
        int inst = institutions == null ? 2 : institutions;
        int br = branchesPerInstitution == null ? 2 : branchesPerInstitution;
        int pupils = pupilsPerBranch == null ? 500 : pupilsPerBranch;
        String year = schoolYear == null ? "2026-27" : schoolYear;
        long s = seed == null ? 42L : seed;
        if (inst < 1 || inst > MAX_INSTITUTIONS) {
            throw new IllegalArgumentException("institutions must be between 1 and " + MAX_INSTITUTIONS);
        }
        if (br < 1 || br > MAX_BRANCHES) {
            throw new IllegalArgumentException("branchesPerInstitution must be between 1 and " + MAX_BRANCHES);
        }
        if (pupils < 3 || pupils > MAX_PUPILS_PER_BRANCH) {
            throw new IllegalArgumentException("pupilsPerBranch must be between 3 and " + MAX_PUPILS_PER_BRANCH);
        }
        if ((long) inst * br * pupils > MAX_PUPILS) {
            throw new IllegalArgumentException("at most " + MAX_PUPILS + " pupils in all");
        }
        SchoolYear.parse(year);
        // a school board: one Smartschool platform per school, two by default (institutions spread over them)
        int platforms = smartschoolPlatforms == null ? 2 : smartschoolPlatforms;
        if (platforms < 1 || platforms > MAX_PLATFORMS) {
            throw new IllegalArgumentException("smartschoolPlatforms must be between 1 and " + MAX_PLATFORMS);
        }
        return new SeedRequest(inst, br, pupils, year, s, platforms);
    }
}
