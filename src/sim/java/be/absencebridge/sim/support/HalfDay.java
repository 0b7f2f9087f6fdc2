package be.absencebridge.sim.support;

/** The two registrable parts of a school day: Smartschool names them {@code am}/{@code pm}, Informat {@code VM}/{@code NM}. */
public enum HalfDay {
    AM,
    PM;

    /** Smartschool's name of the part. */
    public String smartschool() {
        return this == AM ? "am" : "pm";
    }

    /** Informat's name of the part (voormiddag, namiddag). */
    public String informat() {
        return this == AM ? "VM" : "NM";
    }

    public static HalfDay fromSmartschool(String part) {
        if ("am".equals(part)) {
            return AM;
        }
        if ("pm".equals(part)) {
            return PM;
        }
        throw new IllegalArgumentException("part must be am or pm");
    }

    public static HalfDay fromInformat(String partOfDay) {
        if ("VM".equals(partOfDay)) {
            return AM;
        }
        if ("NM".equals(partOfDay)) {
            return PM;
        }
        throw new IllegalArgumentException("partOfDay must be VM or NM");
    }
}
