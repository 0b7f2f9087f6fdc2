package be.absencebridge.exchange.gate;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.vendor.informat.InformatDirectory;
import be.absencebridge.vendor.smartschool.SmartschoolDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;

/**
 * Both packages' pupil directories following the day (DOMAIN.md "Pupils and school years change"). Pupils enrol, leave
 * and move every day, and Smartschool's account of a new pupil appears later than Informat's enrolment: a pupil one
 * side does not know is normal. So a pupil not found asks for a read ({@link #missed}), which the {@code directories}
 * route makes at most every {@code bridge.exchange.directory-miss-interval} for the whole process (never a refusal of
 * the record: the record waits, see the gate). With public interfaces only, Informat's pupils are followed through the
 * older pupil API's changes ({@code changedSince}) every {@code bridge.exchange.directory-changes-interval}, and a
 * miss reads those changes, not the whole lists. The same route makes each directory's scheduled whole read
 * ({@code bridge.directory-refresh}, and at once when the school year turns), and after a read that brought other
 * pupils tells the exchange that the records waiting for a pupil may be decided now ({@link #check} answers true).
 */
@Component("directories")
public class Directories {

    private static final Logger LOG = LoggerFactory.getLogger(Directories.class);

    private final InformatDirectory informat;
    private final SmartschoolDirectory smartschool;
    private final BridgeProperties props;
    private volatile boolean informatMissed;
    private volatile boolean smartschoolMissed;
    /** When the last read a miss asked for was made (System.nanoTime: a rate, not a time of the school's day). */
    private long lastMissRead;
    private boolean missReadYet;
    private long lastChangesRead;
    private boolean changesReadYet;
    private long changesSeen;

    public Directories(InformatDirectory informat, SmartschoolDirectory smartschool, BridgeProperties props) {
        this.informat = informat;
        this.smartschool = smartschool;
        this.props = props;
    }

    /** A pupil one side does not know: that side is read again soon (at most every directory-miss-interval). */
    public void missed(boolean inInformat, boolean inSmartschool) {
        informatMissed |= inInformat;
        smartschoolMissed |= inSmartschool;
    }

    /**
     * Both directories read now: a backfill, a reconciliation or a resync starts on today's pupils, not on a copy up to
     * bridge.directory-refresh old. A vendor that cannot be read leaves its last copy in use (logged).
     */
    public void refresh() {
        try {
            informat.refresh();
        } catch (IOException e) {
            LOG.warn("Informat's pupils could not be read, the last copy is used: {}", e.getMessage());
        }
        try {
            smartschool.refresh();
        } catch (IOException e) {
            LOG.warn("Smartschool's pupils could not be read, the last copy is used: {}", e.getMessage());
        }
    }

    /**
     * The route's tick: the reads a miss asked for (when the interval allows), the scheduled ones; true when a read of
     * either directory (by this route, a job or a processing thread) brought other pupils since the last tick. Only
     * then are the waiting records tried again, so a record that still misses its pupil does not make the directories
     * read again and again: it waits for the next change, or for its recheck.
     */
    public synchronized boolean check() {
        long now = System.nanoTime();
        // a register read that showed an account the copy lacks (a teacher registered for a pupil whose account is new)
        smartschoolMissed |= smartschool.takeMissed();
        boolean missAllowed = !missReadYet || now - lastMissRead >= props.exchange().directoryMissInterval().toNanos();
        boolean readInformat = informatMissed && missAllowed;
        // public interfaces only: Informat's changes are read often (the older pupil API's changedSince), cheaply
        boolean changesDue = informat.readsChanges() && (!changesReadYet
                || now - lastChangesRead >= props.exchange().directoryChangesInterval().toNanos());
        boolean readSmartschool = smartschoolMissed && missAllowed;
        if ((informatMissed || smartschoolMissed) && missAllowed) {
            lastMissRead = now;
            missReadYet = true;
            informatMissed = false;
            smartschoolMissed = false;
        }
        try {
            if (informat.due()) {
                informat.refresh();
            } else if (readInformat || changesDue) {
                lastChangesRead = now;
                changesReadYet = true;
                informat.refreshChanges();
            }
        } catch (IOException e) {
            LOG.warn("Informat's pupils could not be read: {}", e.getMessage());
        }
        try {
            if (readSmartschool) {
                smartschool.refresh();
            } else {
                smartschool.refreshDue();
            }
        } catch (IOException e) {
            LOG.warn("Smartschool's pupils could not be read: {}", e.getMessage());
        }
        long changes = informat.changes() + smartschool.changes();
        boolean fresh = changes != changesSeen;
        changesSeen = changes;
        return fresh;
    }
}
