package be.absencebridge.bridge;

/**
 * What a vendor call came to, filled in by the writers. It travels as one object in an exchange property,
 * so it survives the circuit breaker, which runs the call on a copy of the exchange.
 */
public final class DeliveryResult {

    private volatile String decision;
    private volatile String outcome;
    private volatile String action;

    void set(String decision, String outcome, String action) {
        this.decision = decision;
        this.outcome = outcome;
        this.action = action;
    }

    /** DELIVERED, TARGET_NEWER or REFUSED; null while no answer was read. */
    public String getDecision() {
        return decision;
    }

    public String getOutcome() {
        return outcome;
    }

    public String getAction() {
        return action;
    }

    public boolean isRefused() {
        return "REFUSED".equals(decision);
    }

    public boolean isPending() {
        return decision == null;
    }
}
