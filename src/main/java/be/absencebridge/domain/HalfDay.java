package be.absencebridge.domain;

/** Morning or afternoon: Smartschool writes {@code am}/{@code pm}, Informat {@code VM}/{@code NM}. */
public enum HalfDay {
    AM("am", "VM"),
    PM("pm", "NM");

    private final String smartschool;
    private final String informat;

    HalfDay(String smartschool, String informat) {
        this.smartschool = smartschool;
        this.informat = informat;
    }

    public String smartschool() {
        return smartschool;
    }

    public String informat() {
        return informat;
    }

    public static HalfDay fromSmartschool(String part) {
        for (HalfDay h : values()) {
            if (h.smartschool.equals(part)) {
                return h;
            }
        }
        throw new IllegalArgumentException("part must be am or pm");
    }

    public static HalfDay fromInformat(String partOfDay) {
        for (HalfDay h : values()) {
            if (h.informat.equals(partOfDay)) {
                return h;
            }
        }
        throw new IllegalArgumentException("partOfDay must be VM or NM");
    }
}
