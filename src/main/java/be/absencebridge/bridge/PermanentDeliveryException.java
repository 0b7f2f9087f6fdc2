package be.absencebridge.bridge;

/** A vendor refused a write for a reason another try cannot fix (a business rule, a validation error). */
public class PermanentDeliveryException extends RuntimeException {
    public PermanentDeliveryException(String message) {
        super(message);
    }
}
