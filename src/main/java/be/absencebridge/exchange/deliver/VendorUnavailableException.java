package be.absencebridge.exchange.deliver;

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

    /**
     * The exception for a vendor's answer worth another try ({@link #retryable}): a 429 is a
     * {@link VendorThrottledException}, the others this, each with the vendor's {@code Retry-After} if it gave one.
     */
    public static VendorUnavailableException answered(String vendor, int status, Object retryAfterHeader) {
        String message = vendor + " answered " + status;
        long after = retryAfter(retryAfterHeader);
        return status == 429 ? new VendorThrottledException(message, after) : new VendorUnavailableException(message, after);
    }

    /**
     * Whether a failed delivery call counts as one of the record's attempts: only a call that reached the vendor and
     * was not throttled with a {@code Retry-After}. A call the circuit breaker did not let through never left.
     */
    public static boolean attempted(Throwable e) {
        if (e == null) {
            return true;
        }
        if ("circuit-open".equals(kindOf(e))) {
            return false;
        }
        return !(e instanceof VendorThrottledException t && t.retryAfterSeconds() >= 0);
    }

    /** True for the HTTP statuses worth another try. */
    public static boolean retryable(int status) {
        return status == 401 || status == 408 || status == 429 || status >= 500 || status == 0;
    }

    /** A {@code Retry-After} header in seconds; -1 when absent or not a number of seconds. */
    public static long retryAfter(Object header) {
        if (header == null) {
            return -1;
        }
        try {
            return Math.max(0, Long.parseLong(header.toString().trim()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The reason of a call the vendor's circuit breaker did not let through. */
    public static final String CIRCUIT_OPEN = "the vendor's circuit breaker is open";

    /** A bounded name for what made a delivery attempt fail (a metric tag, never free text). */
    public static String kindOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof VendorUnavailableException v && CIRCUIT_OPEN.equals(v.getMessage())) {
                return "circuit-open";
            }
            if (t instanceof VendorThrottledException) {
                return "throttled";
            }
            if (t instanceof VendorUnavailableException) {
                return "unavailable";
            }
            if (t instanceof io.github.resilience4j.circuitbreaker.CallNotPermittedException
                    || t.getClass().getSimpleName().equals("CallNotPermittedException")) {
                return "circuit-open";
            }
            if (t instanceof java.net.http.HttpTimeoutException || t instanceof java.net.SocketTimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return "timeout";
            }
            if (t instanceof java.net.ConnectException) {
                return "unreachable";
            }
        }
        return "error";
    }
}
