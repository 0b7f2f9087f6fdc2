package be.absencebridge.exchange.receive;

/** An inbound event whose signature or signed timestamp is missing, does not match, or is too far from the clock: answered 401. */
public class InvalidSignatureException extends RuntimeException {
    public InvalidSignatureException(String message) {
        super(message);
    }
}
