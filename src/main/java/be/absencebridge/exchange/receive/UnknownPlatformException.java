package be.absencebridge.exchange.receive;

/** A push to a webhook path that names no configured Smartschool platform (or names one for Informat): answered 404. */
public class UnknownPlatformException extends RuntimeException {
    public UnknownPlatformException(String message) {
        super(message);
    }
}
