package be.absencebridge.exchange.deliver;

import be.absencebridge.domain.Decision;

/**
 * What a vendor answered for one outbox row, as a writer reads the answer. A row without an outcome (no answer, or one
 * worth another try) is rescheduled.
 */
public enum DeliveryOutcome {
    /** Written (or held already) by the target. */
    DELIVERED("delivered"),
    /** The target holds a newer registration of the half-day: nothing to write, and nothing lost. */
    TARGET_NEWER("target-newer"),
    /** Refused for good (a business rule, a validation error): the row goes to the dead letters. */
    REFUSED("refused"),
    /**
     * What the target's public interface cannot carry while its partner endpoints are not configured (a clear, a level
     * it does not cover): a deliberate decision with its reason, never retried.
     */
    NOT_CARRIED("not-carried");

    private final String metricTag;

    DeliveryOutcome(String metricTag) {
        this.metricTag = metricTag;
    }

    /** The {@code outcome} tag of {@code bridge_vendor_deliveries}. */
    public String metricTag() {
        return metricTag;
    }

    /** The decision the audit records for a row that ended so (a refusal is audited when it is dead-lettered). */
    public Decision decision() {
        return Decision.valueOf(name());
    }
}
