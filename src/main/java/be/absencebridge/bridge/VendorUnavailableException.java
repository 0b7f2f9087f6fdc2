package be.absencebridge.bridge;

/** A vendor call that may succeed when tried again: 401 (token renewed), 408, 429 and 5xx answers. */
public class VendorUnavailableException extends RuntimeException {
    public VendorUnavailableException(String message) {
        super(message);
    }

    /** True for the HTTP statuses worth another try. */
    public static boolean retryable(int status) {
        return status == 401 || status == 408 || status == 429 || status >= 500 || status == 0;
    }
}
