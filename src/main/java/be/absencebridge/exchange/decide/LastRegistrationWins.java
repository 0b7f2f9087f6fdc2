package be.absencebridge.exchange.decide;

import be.absencebridge.domain.AbsenceRecord;
import be.absencebridge.domain.Decision;
import be.absencebridge.domain.Observation;
import be.absencebridge.domain.SourceSystem;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Rule 5, last registration wins, as a pure function: a record against the registration stored for its pupil and
 * half-day. Order: registration time, then the tie rule (Informat before Smartschool), then the code. A record equal
 * to the stored one is a duplicate (same package) or the bridge's own write coming back (the other package). A tie won
 * against the other package is written to both packages, since the loser may already have been written over the
 * winner's own cell.
 * <p>
 * A record seen only by a register read without registration times ({@link AbsenceRecord#observation()}) is dated by
 * what is known of the register: one that shows what is decided is no change at all; a stored registration made after
 * the read began is newer than what the read showed; a stored registration the register held before the read (its own,
 * or the bridge's write it took) was replaced by what the read shows, so the read's record is newer than it, dated
 * just after it (never earlier than the previous read). Otherwise the read's record carries the previous read's
 * moment, the earliest it can have been registered.
 */
public final class LastRegistrationWins {

    /** The registration the decision table holds for a key. */
    public record Stored(String officialCode, OffsetDateTime registeredAt, SourceSystem source) {
    }

    /**
     * What becomes of a record.
     *
     * @param forward   the record wins: it is stored and written to the other package
     * @param writeBack the record won a tie against the other package: it is written to its own package too
     * @param detail    the audit's detail (no personal data), or null
     * @param registeredAt the time the record is stored and written with when it wins: its own, or a register read's
     *                  record dated after the registration it replaced
     */
    public record Verdict(Decision decision, boolean forward, boolean writeBack, String detail, OffsetDateTime registeredAt) {
    }

    private LastRegistrationWins() {
    }

    /** The verdict on a record with this official code (null: cleared) against what is stored (null: nothing). */
    public static Verdict classify(AbsenceRecord r, String officialCode, Stored stored) {
        if (stored == null) {
            return new Verdict(Decision.FORWARDED, true, false, null, r.registeredAt());
        }
        Observation seen = r.observation();
        if (seen != null) {
            if (Objects.equals(stored.officialCode(), officialCode)) {
                // a register read that shows what is decided changed nothing, whatever the time its window gives
                return stored.source() == r.source()
                        ? new Verdict(Decision.DUPLICATE, false, false, "the register read shows what is decided", null)
                        : new Verdict(Decision.ECHO, false, false, "the register read shows what the bridge wrote from "
                        + stored.source().label(), null);
            }
            Instant storedAt = stored.registeredAt().toInstant();
            if (seen.readAt() != null && !storedAt.isBefore(seen.readAt())) {
                return new Verdict(Decision.STALE, false, false, "a registration made after the register read is stored ("
                        + stored.source().label() + ", " + stored.registeredAt() + ")", null);
            }
            if (seen.readAt() != null && seen.held(storedAt, stored.source() == r.source())) {
                // the register held the stored registration and shows something else: it was replaced after it
                Instant after = storedAt.plus(1, ChronoUnit.MICROS);
                OffsetDateTime at = after.isAfter(r.registeredAt().toInstant()) ? after.atOffset(ZoneOffset.UTC) : r.registeredAt();
                return new Verdict(Decision.FORWARDED, true, false, "the register read shows a change of what it held", at);
            }
        }
        boolean sameTime = stored.registeredAt().toInstant().equals(r.registeredAt().toInstant());
        if (compare(r, officialCode, stored) > 0) {
            boolean tie = sameTime && stored.source() != r.source();
            return new Verdict(Decision.FORWARDED, true, tie,
                    tie ? "won a tie at the same registration time: written to both packages" : null, r.registeredAt());
        }
        if (!sameTime || !Objects.equals(stored.officialCode(), officialCode)) {
            return new Verdict(Decision.STALE, false, false,
                    "a newer registration is stored (" + stored.source().label() + ", " + stored.registeredAt() + ")", null);
        }
        return stored.source() == r.source()
                ? new Verdict(Decision.DUPLICATE, false, false, "already decided", null)
                : new Verdict(Decision.ECHO, false, false, "equal to what the bridge wrote from " + stored.source().label(), null);
    }

    private static int compare(AbsenceRecord r, String officialCode, Stored s) {
        int c = r.registeredAt().toInstant().compareTo(s.registeredAt().toInstant());
        if (c != 0) {
            return c;
        }
        c = Integer.compare(r.source().rank(), s.source().rank());
        if (c != 0) {
            return c;
        }
        return Objects.toString(officialCode, "").compareTo(Objects.toString(s.officialCode(), ""));
    }
}
