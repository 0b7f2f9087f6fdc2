package be.absencebridge.exchange.decide;

import be.absencebridge.domain.AbsenceCodes;
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
 * moment, the earliest it can have been registered. A read's change of a half-day whose write by the bridge to that
 * package had not settled when the read began is not decided from it ({@link Decision#DEFERRED}): the read may show
 * the register before the write, and the next read after it decides. A push that then brings the registration such a
 * read stored (same code, alias and motivation) is no newer registration: it corrects the stored time and is a
 * duplicate.
 */
public final class LastRegistrationWins {

    /**
     * The registration the decision table holds for a key.
     *
     * @param observed true when it was decided from a register read without registration times (dated by the read)
     * @param alias    the alias of the event it was decided from (Smartschool), null if none or not known
     * @param text     the motivation or remark of that event, null if none or not known
     */
    public record Stored(String officialCode, OffsetDateTime registeredAt, SourceSystem source, boolean observed,
                         String alias, String text) {

        /** A registration decided from an event with its registration time. */
        public Stored(String officialCode, OffsetDateTime registeredAt, SourceSystem source) {
            this(officialCode, registeredAt, source, false, null, null);
        }
    }

    /**
     * What becomes of a record.
     *
     * @param forward   the record wins: it is stored and written to the other package
     * @param writeBack the record won a tie against the other package: it is written to its own package too
     * @param detail    the audit's detail (no personal data), or null
     * @param registeredAt the time the record is stored with when it wins: its own, or a register read's record dated
     *                  after the registration it replaced; for a {@code restamp}, the corrected time
     * @param restamp   the record is the stored registration itself, which a register read saw first: only the stored
     *                  time (and the event it was decided from) is corrected, nothing is written to a package
     * @param restore   the record lost to the other package's registration and its own package holds another meaning:
     *                  the stored winner is written back to the record's package (rule 5, "in both")
     */
    public record Verdict(Decision decision, boolean forward, boolean writeBack, String detail, OffsetDateTime registeredAt,
                          boolean restamp, boolean restore) {

        public Verdict(Decision decision, boolean forward, boolean writeBack, String detail, OffsetDateTime registeredAt) {
            this(decision, forward, writeBack, detail, registeredAt, false, false);
        }

        public Verdict(Decision decision, boolean forward, boolean writeBack, String detail, OffsetDateTime registeredAt,
                       boolean restamp) {
            this(decision, forward, writeBack, detail, registeredAt, restamp, false);
        }

        /** The decision row is written: the record won, or its stored time is corrected. */
        public boolean stores() {
            return forward || restamp;
        }
    }

    private LastRegistrationWins() {
    }

    /** The verdict on a record with this official code (null: cleared) against what is stored (null: nothing). */
    public static Verdict classify(AbsenceRecord r, String officialCode, Stored stored) {
        return classify(r, officialCode, stored, false);
    }

    /**
     * The same, where {@code writeOnItsWay} says that a write of the bridge to the record's package, of this half-day,
     * had not settled when the record's register read began (waiting, in flight, retried, in the dead letters, or
     * settled during the read): such a read's change is deferred, since the read may show the register before that
     * write (a superseded write of the bridge's own, say) and nothing in it tells that from a change made there.
     */
    public static Verdict classify(AbsenceRecord r, String officialCode, Stored stored, boolean writeOnItsWay) {
        if (stored == null) {
            return new Verdict(Decision.FORWARDED, true, false, null, r.registeredAt());
        }
        Observation seen = r.observation();
        if (seen != null) {
            // rule 6: an Informat clear is written to Smartschool as a presence, so a read that shows that presence
            // against the decided clear shows the bridge's own write, not a teacher's registration
            boolean clearWrittenAsPresence = stored.source() != r.source() && stored.officialCode() == null
                    && AbsenceCodes.PRESENT.equals(officialCode);
            if (Objects.equals(stored.officialCode(), officialCode) || clearWrittenAsPresence) {
                // a register read that shows what is decided changed nothing, whatever the time its window gives
                return stored.source() == r.source()
                        ? new Verdict(Decision.DUPLICATE, false, false, "the register read shows what is decided", null)
                        : new Verdict(Decision.ECHO, false, false, "the register read shows what the bridge wrote from "
                        + stored.source().label(), null);
            }
            if (writeOnItsWay && seen.readAt() != null) {
                // the first read after the write has settled shows what this one cannot tell: the write landed (then the
                // read shows what is decided), or the package held something newer and refused it (then that is dated
                // after the write, by lastWrite)
                return new Verdict(Decision.DEFERRED, false, false,
                        "a write of the bridge to this half-day is on its way: the next register read after it decides", null);
            }
            Instant storedAt = stored.registeredAt().toInstant();
            if (seen.readAt() != null && !storedAt.isBefore(seen.readAt())) {
                return stale(r, officialCode, stored, "a registration made after the register read is stored");
            }
            if (seen.readAt() != null && seen.held(storedAt, stored.source() == r.source())) {
                // the register held the stored registration and shows something else: it was replaced after it
                Instant after = storedAt.plus(1, ChronoUnit.MICROS);
                OffsetDateTime at = after.isAfter(r.registeredAt().toInstant()) ? after.atOffset(ZoneOffset.UTC) : r.registeredAt();
                return new Verdict(Decision.FORWARDED, true, false, "the register read shows a change of what it held", at);
            }
        }
        if (stored.observed() && stored.source() == r.source() && sameRegistration(r, officialCode, stored)) {
            // a register read saw this registration before its push was processed, and dated it by the read: the push
            // is no newer registration, it says when this one was made (a later push with other content still goes)
            return r.registeredAt().isAfter(stored.registeredAt())
                    ? new Verdict(Decision.DUPLICATE, false, false, "a register read saw this registration first: its time corrected",
                    r.registeredAt(), true)
                    : new Verdict(Decision.DUPLICATE, false, false, "a register read saw this registration first", null);
        }
        if (stored.observed() && stored.source() == r.source() && !r.observed() && sameCode(r, officialCode, stored)
                && blankToNull(r.text()) != null && !r.registeredAt().isAfter(stored.registeredAt())) {
            // the registration a register read saw first (dated by the read, which shows no motivation), pushed with its
            // motivation and a time before that dating (the platform's clock a little behind): the same registration,
            // whose motivation must still reach the other package; stored with its own time
            return new Verdict(Decision.FORWARDED, true, false,
                    "the registration a register read saw first, with its motivation", r.registeredAt());
        }
        boolean sameTime = stored.registeredAt().toInstant().equals(r.registeredAt().toInstant());
        if (compare(r, officialCode, stored) > 0) {
            boolean tie = sameTime && stored.source() != r.source();
            return new Verdict(Decision.FORWARDED, true, tie,
                    tie ? "won a tie at the same registration time: written to both packages" : null, r.registeredAt());
        }
        if (!sameTime || !Objects.equals(stored.officialCode(), officialCode)) {
            return stale(r, officialCode, stored, "a newer registration is stored");
        }
        return stored.source() == r.source()
                ? new Verdict(Decision.DUPLICATE, false, false, "already decided", null)
                : new Verdict(Decision.ECHO, false, false, "equal to what the bridge wrote from " + stored.source().label(), null);
    }

    /**
     * A record older than the stored registration. When the stored one came from the other package and the record's
     * package holds another meaning (a late push, a clock behind, a change made after the bridge's write), the winner
     * goes back to the record's package, so that both hold it; the outbox decides whether a write is due (one that
     * package took after it showed the record is not repeated).
     */
    private static Verdict stale(AbsenceRecord r, String officialCode, Stored stored, String why) {
        boolean restore = stored.source() != r.source() && !sameMeaning(officialCode, stored.officialCode());
        return new Verdict(Decision.STALE, false, false, why + " (" + stored.source().label() + ", " + stored.registeredAt() + ")"
                + (restore ? "; " + r.source().label() + " holds another code: the winner goes back to it unless it is on its way"
                + " or that code was replaced there already"
                : ""), null, false, restore);
    }

    /**
     * Whether two official codes mean the same in the registers: equal, or a presence against an empty half-day (rule 6:
     * for most pupils Informat shows a presence as nothing; a kindergarten pupil's stored presence is left to the
     * reconciliation).
     */
    static boolean sameMeaning(String a, String b) {
        return Objects.equals(a, b) || (presenceOrEmpty(a) && presenceOrEmpty(b));
    }

    private static boolean presenceOrEmpty(String code) {
        return code == null || AbsenceCodes.PRESENT.equals(code);
    }

    /** The same code, alias and motivation (a read that shows no motivation matches only a push without one). */
    private static boolean sameRegistration(AbsenceRecord r, String officialCode, Stored s) {
        return sameCode(r, officialCode, s) && Objects.equals(blankToNull(r.text()), blankToNull(s.text()));
    }

    private static boolean sameCode(AbsenceRecord r, String officialCode, Stored s) {
        return Objects.equals(officialCode, s.officialCode()) && Objects.equals(r.alias(), s.alias());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
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
