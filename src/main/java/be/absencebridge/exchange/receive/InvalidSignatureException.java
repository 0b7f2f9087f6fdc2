package be.absencebridge.exchange.receive;

/** An inbound event whose HMAC signature does not match: answered 401. */
public class InvalidSignatureException extends RuntimeException {
    public InvalidSignatureException(String message) {
        super(message);
    }
}
