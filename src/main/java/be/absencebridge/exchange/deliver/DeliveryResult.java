package be.absencebridge.exchange.deliver;

/**
 * What a vendor call came to for one row, filled in by the writers. It travels by reference in the batch, so it
 * survives the circuit breaker, which runs the call on a copy of the exchange.
 */
public final class DeliveryResult {

    private volatile DeliveryOutcome outcome;
    private volatile String detail;

    /** Records the vendor's answer for the row: its outcome and what it said (a status, a reason; no personal data). */
    public void set(DeliveryOutcome outcome, String detail) {
        this.detail = detail;
        this.outcome = outcome;
    }

    /** A refusal no retry can fix: the row goes to the dead-letter table with this reason. */
    public void refuse(String reason) {
        set(DeliveryOutcome.REFUSED, reason);
    }

    /** Null while no answer was read. */
    public DeliveryOutcome getOutcome() {
        return outcome;
    }

    public String getDetail() {
        return detail;
    }

    public boolean isPending() {
        return outcome == null;
    }
}
