package be.absencebridge.bridge;

/** A vendor call that may succeed when tried again: 401 (token renewed), 408, 429 and 5xx answers, I/O errors. */
public class VendorUnavailableException extends RuntimeException {

    private final long retryAfterSeconds;

    public VendorUnavailableException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public VendorUnavailableException(String message) {
        this(message, -1);
    }

    /** The vendor's {@code Retry-After}, or -1 when it gave none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** True for the HTTP statuses worth another try. */
    public static boolean retryable(int status) {
        return status == 401 || status == 408 || status == 429 || status >= 500 || status == 0;
    }

    static long retryAfter(Object header) {
        if (header == null) {
            return -1;
        }
        try {
            return Math.max(0, Long.parseLong(header.toString().trim()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
