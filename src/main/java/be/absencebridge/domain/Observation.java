package be.absencebridge.domain;

import java.time.Instant;

/**
 * How a register read saw a half-day, for a package whose read carries no registration time (Smartschool's SOAP
 * register): the record's {@code registeredAt} is then the earliest moment the change can have happened (the previous
 * read), and this says what else is known.
 *
 * @param readAt    when the read began: the register showed the record's code from then on, so a registration of the
 *                  half-day stored with an earlier time was replaced by it if the register held that registration
 *                  (null: not known, as for a backfill's read)
 * @param lastWrite the registration time of the bridge's last write of the half-day that the package took before the
 *                  read (saved, unchanged, or refused as older than what it held), null if none: the register held
 *                  that registration, or a newer one, when the read began
 * @param username  the pupil's username on the platform read: the register's cell, whose read the poller forgets when
 *                  the change is not decided from it (null: not known, as in events stored before it was carried)
 */
public record Observation(Instant readAt, Instant lastWrite, String username) {

    public Observation(Instant readAt, Instant lastWrite) {
        this(readAt, lastWrite, null);
    }

    /** The package held the stored registration of this time before the read (a write it took, or its own). */
    public boolean held(Instant registeredAt, boolean storedFromThisPackage) {
        return storedFromThisPackage || (lastWrite != null && !lastWrite.isBefore(registeredAt));
    }
}
