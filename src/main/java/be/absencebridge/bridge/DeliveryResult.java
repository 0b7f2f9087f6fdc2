package be.absencebridge.bridge;

import org.apache.camel.Exchange;

/**
 * What a vendor call came to, filled in by the writers. It travels as one object in an exchange property,
 * so it survives the circuit breaker, which runs the call on a copy of the exchange.
 */
public final class DeliveryResult {

    private volatile String decision;
    private volatile String outcome;
    private volatile String action;

    /** Records the answer of the claimed row's vendor call (the writers call this). */
    static void record(Exchange exchange, String decision, String outcome) {
        Delivery d = exchange.getProperty(Outbox.DELIVERY, Delivery.class);
        exchange.getProperty(Outbox.RESULT, DeliveryResult.class).set(decision, outcome, action(d));
    }

    /** Records the answer for one row of a batch call. */
    static void record(Outbox.Item item, String decision, String outcome) {
        item.result.set(decision, outcome, action(item.delivery));
    }

    /**
     * A refusal no retry can fix (a business rule, a validation error): it goes to the dead-letter table.
     * (Not named like the {@code refused} property the routes read: Camel's simple language would call it.)
     */
    static void refuse(Exchange exchange, String reason) {
        record(exchange, "REFUSED", reason);
    }

    private static String action(Delivery d) {
        if (d.officialCode() == null) {
            return "clear";
        }
        if (d.target() == AbsenceRecord.SourceSystem.INFORMAT) {
            return "code " + (d.informatCode() != null ? d.informatCode() : d.officialCode());
        }
        return "code " + (d.smartschoolAlias() != null ? d.smartschoolAlias() : d.officialCode());
    }

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
