package be.absencebridge.sim;

/** Bad input to a simulator: answered with a 4xx problem carrying the vendor's error code, never a 500. */
public class SimValidationException extends RuntimeException {

    private final int status;
    private final String code;

    public SimValidationException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public SimValidationException(String message) {
        this(400, null, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
