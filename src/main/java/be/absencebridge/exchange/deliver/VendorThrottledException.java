package be.absencebridge.exchange.deliver;

/**
 * A vendor answered 429: it is up and asks for time. Not a failure of the vendor (the writers do not fail the call: its circuit breaker counts none), and,
 * with a {@code Retry-After}, not an attempt of the record: it waits what the vendor asked, its backoff does not grow.
 */
public class VendorThrottledException extends VendorUnavailableException {

    public VendorThrottledException(String message, long retryAfterSeconds) {
        super(message, retryAfterSeconds);
    }
}
