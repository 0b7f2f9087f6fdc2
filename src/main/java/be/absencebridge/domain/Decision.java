package be.absencebridge.domain;

/**
 * Every decision the audit records and {@code bridge_decisions_total} counts. The names are a contract (the audit API,
 * the metric's {@code decision} tag, dashboards): never rename one.
 */
public enum Decision {
    // gate (step 3): the record is not exchanged
    /** The bridge's own write coming back from the package it wrote to. */
    ECHO,
    /**
     * A pupil one of the packages does not know: the gate's verdict. The record waits ({@link #WAITING_FOR_PUPIL}) and is
     * decided again when a directory read knows the pupil; only after {@code bridge.exchange.unknown-pupil-wait} is it
     * parked ({@link #PARKED_UNKNOWN_PUPIL}).
     */
    UNKNOWN_PUPIL,
    /** The audit's name of a record that waits for its pupil to appear in a package (an account not created yet). */
    WAITING_FOR_PUPIL,
    /** The half-day is outside the pupil's enrolment (before its start, after its end): recorded, not exchanged. */
    NOT_ENROLLED,
    /** The exchange is not switched on in both packages for the branch (rule 1). */
    NOT_ACTIVE,
    /** Registered before the exchange was switched on (rule 2; a backfill sends such codes). */
    BEFORE_ACTIVATION,
    // translate (step 4)
    /** A code that maps to nothing in the other package (rule 8; parked in the dead letters). */
    UNMAPPED,
    /** The audit's name of a record parked in the dead letters because its pupil is unknown. */
    PARKED_UNKNOWN_PUPIL,
    /** The audit's name of a record parked in the dead letters because its code maps to nothing. */
    PARKED_UNMAPPED,
    /** A presence with no effect in Informat (rule 6: an empty half-day already means present); backfills count it. */
    NO_EFFECT,
    /** A vendor's item a backfill could not read as a registration; counted, never decided. */
    UNREADABLE,
    // decide (step 5)
    /** The newest registration of its half-day: written to the other package. */
    FORWARDED,
    /** A newer registration of the half-day is decided already. */
    STALE,
    /** The same registration decided before (from the same package). */
    DUPLICATE,
    /** The event was processed before (handed over twice). */
    ALREADY_PROCESSED,
    /**
     * A register read's change of a half-day whose write by the bridge to that package is still on its way (waiting,
     * in flight, retried, or in the dead letters): not decided from this read, which may show the register before the
     * write; the next read after the write has settled decides.
     */
    DEFERRED,
    // deliver (step 6): see DeliveryOutcome
    DELIVERED,
    TARGET_NEWER,
    REFUSED,
    DEAD_LETTERED,
    /** What the target's public interface cannot carry (public interfaces only): recorded with its reason, not retried. */
    NOT_CARRIED,
    RETRY_SCHEDULED,
    // operations
    REPLAYED,
    /** One pupil's data erased on request: the audit's row holds the institution and a count, never the pupil. */
    ERASED;

    /**
     * Whether a record stopped with this decision waits in the dead letters for a person (a fix of data or mappings) at
     * once; an unknown pupil {@link #waits()} first.
     */
    public boolean parks() {
        return this == UNMAPPED;
    }

    /** Whether a record stopped with this decision waits in the inbox to be decided again (a pupil not known yet). */
    public boolean waits() {
        return this == UNKNOWN_PUPIL;
    }

    /** What the audit records for a record stopped with this decision: {@code PARKED_...} for one that parks. */
    public Decision recorded() {
        return switch (this) {
            case UNKNOWN_PUPIL -> PARKED_UNKNOWN_PUPIL;
            case UNMAPPED -> PARKED_UNMAPPED;
            default -> this;
        };
    }
}
