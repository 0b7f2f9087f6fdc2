package be.absencebridge.exchange.receive;

/** An inbound event that cannot be read: answered 400 with a problem body, nothing else is affected. */
public class MalformedEventException extends RuntimeException {
    public MalformedEventException(String message) {
        super(message);
    }
}
