package be.absencebridge.sim;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Fault injection of one simulator: a share of vendor calls answers 500/503, a share 429 with
 * {@code Retry-After}, a share a broken answer (an HTML error page, a cut-off body, a SOAP fault, nothing:
 * {@code garbageRate}, not in the vendors' contract), every call waits {@code latencyMs}, every write ({@code PUT},
 * {@code DELETE}, Smartschool's partner write of cells) waits {@code writeLatencyMs} more, and pushes can be switched
 * off. With {@code echo} the
 * simulator also pushes the link's own writes back to it, as a vendor that notifies every change would (the partner
 * contract does not: the link hears what people register in the package; the bridge recognises its echo either way).
 * {@code errorCodeRate} (Smartschool only): a share of V3 calls answered with Smartschool's error code 23, an unknown
 * processing error, as its {@code <return>}.
 */
public final class Faults {

    /** {@code platform}: the Smartschool platform they apply to (null: every platform; unused by Informat). */
    public record Settings(Double errorRate, Long latencyMs, Double throttleRate, Boolean push, Integer retryAfterSeconds,
                           Double garbageRate, Long writeLatencyMs, String platform, Boolean echo, Double errorCodeRate) {

        public static final Settings NONE = new Settings(0.0, 0L, 0.0, true, 1, 0.0, 0L, null, false, 0.0);

        public Settings normalised() {
            double e = errorRate == null ? 0.0 : errorRate;
            double t = throttleRate == null ? 0.0 : throttleRate;
            long l = latencyMs == null ? 0L : latencyMs;
            int r = retryAfterSeconds == null ? 1 : retryAfterSeconds;
            double g = garbageRate == null ? 0.0 : garbageRate;
            if (e < 0 || e > 1 || t < 0 || t > 1 || g < 0 || g > 1 || e + t + g > 1) {
                throw new SimValidationException("errorRate, throttleRate and garbageRate must be between 0 and 1, together at most 1");
            }
            long w = writeLatencyMs == null ? 0L : writeLatencyMs;
            if (l < 0 || l > 60_000 || w < 0 || w > 60_000) {
                throw new SimValidationException("latencyMs and writeLatencyMs must be between 0 and 60000");
            }
            if (r < 0 || r > 3600) {
                throw new SimValidationException("retryAfterSeconds must be between 0 and 3600");
            }
            double c = errorCodeRate == null ? 0.0 : errorCodeRate;
            if (c < 0 || c > 1) {
                throw new SimValidationException("errorCodeRate must be between 0 and 1");
            }
            return new Settings(e, l, t, push == null || push, r, g, w, platform, echo != null && echo, c);
        }
    }

    /** What to do with one call. */
    public enum Outcome { PASS, ERROR_500, ERROR_503, THROTTLE, GARBAGE }

    private volatile Settings settings = Settings.NONE;

    public Settings settings() {
        return settings;
    }

    public void set(Settings s) {
        this.settings = s.normalised();
    }

    public boolean pushEnabled() {
        return settings.push();
    }

    /** Whether the link's own writes are pushed back to it too (not by the partner contract: a test of the echo). */
    public boolean echoEnabled() {
        return settings.echo();
    }

    /**
     * Whether a Smartschool V3 call that passed the other faults is answered with the platform's error code for an
     * unknown processing error ({@code errorCodeRate}; Smartschool only).
     */
    public boolean drawErrorCode() {
        double c = settings.errorCodeRate();
        return c > 0 && (c >= 1 || ThreadLocalRandom.current().nextDouble() < c);
    }

    public Outcome draw() {
        Settings s = settings;
        if (s.errorRate() == 0 && s.throttleRate() == 0 && s.garbageRate() == 0) {
            return Outcome.PASS;
        }
        double r = ThreadLocalRandom.current().nextDouble();
        if (r < s.errorRate()) {
            return r < s.errorRate() / 2 ? Outcome.ERROR_500 : Outcome.ERROR_503;
        }
        if (r < s.errorRate() + s.throttleRate()) {
            return Outcome.THROTTLE;
        }
        if (r < s.errorRate() + s.throttleRate() + s.garbageRate()) {
            return Outcome.GARBAGE;
        }
        return Outcome.PASS;
    }
}
