package be.absencebridge.exchange.deliver;

/**
 * What a vendor call came to for one row, filled in by the writers. It travels by reference in the batch, so it
 * survives the circuit breaker, which runs the call on a copy of the exchange.
 */
public final class DeliveryResult {

    private volatile DeliveryOutcome outcome;
    private volatile String detail;
    private volatile String ownReason;

    /** Records the vendor's answer for the row: its outcome and what it said (a status, a reason; no personal data). */
    public void set(DeliveryOutcome outcome, String detail) {
        this.detail = detail;
        this.ownReason = detail;
        this.outcome = outcome;
    }

    /** A refusal no retry can fix, in the bridge's own words: the row goes to the dead-letter table with this reason. */
    public void refuse(String reason) {
        set(DeliveryOutcome.REFUSED, reason);
    }

    /**
     * A refusal whose reason carries the vendor's own text (its error's reason, which the bridge does not control):
     * the dead-letter table keeps the whole {@code reason}; what leaves the product (the dead letter's event,
     * docs/extending.md) says {@code ownReason}, the same without the vendor's text (a status, a code).
     */
    public void refuse(String reason, String ownReason) {
        set(DeliveryOutcome.REFUSED, reason);
        this.ownReason = ownReason;
    }

    /** Null while no answer was read. */
    public DeliveryOutcome getOutcome() {
        return outcome;
    }

    public String getDetail() {
        return detail;
    }

    /** The detail without the vendor's own text (see {@link #refuse(String, String)}). */
    public String getOwnReason() {
        return ownReason;
    }

    public boolean isPending() {
        return outcome == null;
    }
}
