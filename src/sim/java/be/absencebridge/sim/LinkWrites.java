package be.absencebridge.sim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the link (the bridge) wrote into a simulator, counted per pupil, date and half-day, so that a test can
 * check that every delivery was made once and that no write of a half-day arrived after a write of a newer
 * registration of it ({@code GET {base}/admin/stats}). Emptied when the simulator is seeded.
 */
public final class LinkWrites {

    private static final class Key {
        long writes;
        java.time.Instant newest;
    }

    private final Map<String, Key> perKey = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();
    private final LongAdder olderAfterNewer = new LongAdder();

    /** A write of the half-day with the registration time it carries. */
    public void record(Object pupil, Object date, Object part, java.time.OffsetDateTime registeredAt) {
        Key k = perKey.computeIfAbsent(pupil + "|" + date + "|" + part, x -> new Key());
        synchronized (k) {
            k.writes++;
            java.time.Instant at = registeredAt.toInstant();
            if (k.newest != null && at.isBefore(k.newest)) {
                olderAfterNewer.increment();
            } else {
                k.newest = at;
            }
        }
        total.increment();
    }

    public void reset() {
        perKey.clear();
        total.reset();
        olderAfterNewer.reset();
    }

    /**
     * {@code linkWrites} (calls), {@code distinctKeys}, up to 100 {@code repeatedKeys} with their counts, and
     * {@code olderAfterNewer}: writes whose registration time is older than one the link wrote before for the half-day.
     */
    public Map<String, Object> view() {
        Map<String, Long> repeated = new LinkedHashMap<>();
        long repeatedCount = 0;
        for (Map.Entry<String, Key> e : perKey.entrySet()) {
            long n;
            synchronized (e.getValue()) {
                n = e.getValue().writes;
            }
            if (n > 1) {
                repeatedCount++;
                if (repeated.size() < 100) {
                    repeated.put(e.getKey(), n);
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("linkWrites", total.sum());
        out.put("distinctKeys", (long) perKey.size());
        out.put("repeatedKeyCount", repeatedCount);
        out.put("repeatedKeys", repeated);
        out.put("olderAfterNewer", olderAfterNewer.sum());
        return out;
    }
}
