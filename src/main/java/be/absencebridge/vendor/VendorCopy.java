package be.absencebridge.vendor;

import org.slf4j.Logger;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/** The rules the bridge's copies of vendor reference data (pupils, branches, switches) share. */
public final class VendorCopy {

    public interface Read<T> {
        T read() throws IOException;
    }

    private VendorCopy() {
    }

    /** True when a copy read at {@code readAt} is too old, or the clock went back since. */
    public static boolean stale(Instant readAt, Duration maxAge, Instant now) {
        return now.isBefore(readAt) || !readAt.plus(maxAge).isAfter(now);
    }

    /**
     * Reads the vendor again; when that fails and a copy exists, the copy is used (and the next call tries
     * again), so a vendor hiccup does not stop every record.
     */
    public static <T> T readOrLast(Read<T> read, T last, Logger log) throws IOException {
        try {
            return read.read();
        } catch (IOException e) {
            if (last == null) {
                throw e;
            }
            log.debug("vendor read failed, the last copy is used: {}", e.getMessage());
            return last;
        }
    }
}
