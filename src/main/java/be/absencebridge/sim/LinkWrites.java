package be.absencebridge.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the link (the bridge) wrote into a simulator, counted per pupil, date and half-day, so that a test can
 * check that every delivery was made once ({@code GET {base}/admin/stats}). Emptied when the simulator is seeded.
 */
public final class LinkWrites {

    private final Map<String, LongAdder> perKey = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    public void record(Object pupil, Object date, Object part) {
        perKey.computeIfAbsent(pupil + "|" + date + "|" + part, k -> new LongAdder()).increment();
        total.increment();
    }

    public void reset() {
        perKey.clear();
        total.reset();
    }

    /** {@code linkWrites} (calls), {@code distinctKeys}, and up to 100 {@code repeatedKeys} with their counts. */
    public Map<String, Object> view() {
        Map<String, Long> repeated = new LinkedHashMap<>();
        long repeatedCount = 0;
        for (Map.Entry<String, LongAdder> e : perKey.entrySet()) {
            long n = e.getValue().sum();
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
        return out;
    }
}
