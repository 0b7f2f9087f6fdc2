package be.absencebridge.domain;

/** The two packages the bridge links; each is the source of one direction and the target of the other. */
public enum SourceSystem {
    SMARTSCHOOL, INFORMAT;

    public SourceSystem other() {
        return this == SMARTSCHOOL ? INFORMAT : SMARTSCHOOL;
    }

    /** The tie rule: at equal registration times Informat's registration wins. */
    public int rank() {
        return this == INFORMAT ? 2 : 1;
    }

    /** The direction in which this package's registrations travel. */
    public Direction outbound() {
        return this == SMARTSCHOOL ? Direction.SMARTSCHOOL_TO_INFORMAT : Direction.INFORMAT_TO_SMARTSCHOOL;
    }

    /** The direction in which registrations arrive in this package. */
    public Direction inbound() {
        return other().outbound();
    }

    /** {@code smartschool} or {@code informat}: route and endpoint names, metric tags. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
