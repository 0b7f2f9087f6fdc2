package be.absencebridge.sim;

import be.absencebridge.sim.support.SchoolYear;

/** The population a simulator is seeded with; the same request yields the same people on both simulators. */
public record SeedRequest(Integer institutions, Integer branchesPerInstitution, Integer pupilsPerBranch,
                          String schoolYear, Long seed, Integer smartschoolPlatforms, java.util.List<String> schoolYears) {

    public static final int MAX_PLATFORMS = 20;

    /**
     * {@code schoolYears}: consecutive school years of the same people (at most two, like {@code ["2026-27","2027-28"]});
     * null or one year: the single year of {@code schoolYear}, exactly as before.
     */
    public SeedRequest(Integer institutions, Integer branchesPerInstitution, Integer pupilsPerBranch, String schoolYear, Long seed,
                       Integer smartschoolPlatforms) {
        this(institutions, branchesPerInstitution, pupilsPerBranch, schoolYear, seed, smartschoolPlatforms, null);
    }

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
        java.util.List<String> years = null;
        if (schoolYears != null && !schoolYears.isEmpty()) {
            if (schoolYears.size() > 2) {
                throw new IllegalArgumentException("schoolYears: at most two consecutive school years");
            }
            for (String y : schoolYears) {
                SchoolYear.parse(y);
            }
            if (schoolYear != null && !SchoolYear.parse(schoolYear).equals(SchoolYear.parse(schoolYears.get(0)))) {
                throw new IllegalArgumentException("schoolYear must be the first of schoolYears");
            }
            year = SchoolYear.parse(schoolYears.get(0)).toString();
            if (schoolYears.size() == 2) {
                if (SchoolYear.parse(schoolYears.get(1)).startYear() != SchoolYear.parse(year).startYear() + 1) {
                    throw new IllegalArgumentException("schoolYears must be consecutive, like [\"2026-27\",\"2027-28\"]");
                }
                years = java.util.List.of(year, SchoolYear.parse(schoolYears.get(1)).toString());
            }
        }
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
        return new SeedRequest(inst, br, pupils, year, s, platforms, years);
    }
}
