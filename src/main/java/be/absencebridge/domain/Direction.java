package be.absencebridge.domain;

/**
 * A direction of the exchange. The API (backfill requests, their status) names it by {@link #name()}
 * ({@code SMARTSCHOOL_TO_INFORMAT}); the audit, the metrics' {@code direction} tag and the logs by {@link #label()}
 * ({@code smartschool-to-informat}), which is also what {@link #toString()} gives, so that a route's
 * {@code ${exchangeProperty.bridgeDirection}} reads as it always did.
 */
public enum Direction {
    SMARTSCHOOL_TO_INFORMAT(SourceSystem.SMARTSCHOOL, "smartschool-to-informat"),
    INFORMAT_TO_SMARTSCHOOL(SourceSystem.INFORMAT, "informat-to-smartschool");

    private final SourceSystem source;
    private final String label;

    Direction(SourceSystem source, String label) {
        this.source = source;
        this.label = label;
    }

    public SourceSystem source() {
        return source;
    }

    public SourceSystem target() {
        return source.other();
    }

    public String label() {
        return label;
    }

    /** The direction named as the API names it; null when the name is none of them. */
    public static Direction parse(String name) {
        for (Direction d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** The direction of a label ({@code smartschool-to-informat}), as the audit and the dead letters store it. */
    public static Direction ofLabel(String label) {
        for (Direction d : values()) {
            if (d.label.equals(label)) {
                return d;
            }
        }
        throw new IllegalArgumentException("no direction " + label);
    }

    @Override
    public String toString() {
        return label;
    }
}
