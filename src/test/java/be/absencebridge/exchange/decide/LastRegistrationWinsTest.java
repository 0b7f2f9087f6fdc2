package be.absencebridge.exchange.decide;

import be.absencebridge.domain.AbsenceRecord;
import be.absencebridge.domain.Decision;
import be.absencebridge.domain.HalfDay;
import be.absencebridge.domain.Observation;
import be.absencebridge.domain.SourceSystem;
import be.absencebridge.exchange.decide.LastRegistrationWins.Stored;
import be.absencebridge.exchange.decide.LastRegistrationWins.Verdict;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.OffsetDateTime;

import static be.absencebridge.domain.SourceSystem.INFORMAT;
import static be.absencebridge.domain.SourceSystem.SMARTSCHOOL;
import static org.assertj.core.api.Assertions.assertThat;

/** Rule 5 as the one classification live processing and backfills share. */
class LastRegistrationWinsTest {

    private static final OffsetDateTime T = OffsetDateTime.parse("2026-11-27T10:00:00+01:00");

    private static AbsenceRecord record(SourceSystem source, String code, OffsetDateTime at) {
        return new AbsenceRecord(source, "e", "123456", "1001", LocalDate.parse("2026-11-27"), HalfDay.AM, code, null, null,
                at, "someone", null, null);
    }

    private static Verdict classify(SourceSystem source, String code, OffsetDateTime at, Stored stored) {
        return LastRegistrationWins.classify(record(source, code, at), code, stored);
    }

    @Test
    void aFirstRegistrationIsForwarded() {
        Verdict v = classify(SMARTSCHOOL, "Z", T, null);
        assertThat(v.decision()).isEqualTo(Decision.FORWARDED);
        assertThat(v.forward()).isTrue();
        assertThat(v.writeBack()).isFalse();
    }

    @Test
    void aNewerRegistrationWinsAndAnOlderOneIsStale() {
        Stored stored = new Stored("Z", T, SMARTSCHOOL);
        assertThat(classify(INFORMAT, "B", T.plusSeconds(1), stored).decision()).isEqualTo(Decision.FORWARDED);
        Verdict stale = classify(INFORMAT, "B", T.minusSeconds(1), stored);
        assertThat(stale.decision()).isEqualTo(Decision.STALE);
        assertThat(stale.forward()).isFalse();
        assertThat(stale.detail()).contains("smartschool");
    }

    @Test
    void aClearIsARegistrationLikeAnyOther() {
        Stored stored = new Stored("Z", T, SMARTSCHOOL);
        assertThat(classify(SMARTSCHOOL, null, T.plusSeconds(1), stored).decision()).isEqualTo(Decision.FORWARDED);
        assertThat(classify(SMARTSCHOOL, "Z", T.plusSeconds(1), new Stored(null, T, INFORMAT)).decision()).isEqualTo(Decision.FORWARDED);
    }

    @Test
    void theSameRegistrationAgainIsADuplicateFromItsOwnPackageAndAnEchoFromTheOther() {
        Stored stored = new Stored("Z", T, SMARTSCHOOL);
        assertThat(classify(SMARTSCHOOL, "Z", T, stored).decision()).isEqualTo(Decision.DUPLICATE);
        Verdict echo = LastRegistrationWins.classify(record(INFORMAT, "Z", T), "Z", new Stored("Z", T, INFORMAT));
        assertThat(echo.decision()).isEqualTo(Decision.DUPLICATE);
        // Smartschool's copy of what the bridge wrote there from Informat
        assertThat(classify(SMARTSCHOOL, "Z", T, new Stored("Z", T, INFORMAT)).decision()).isEqualTo(Decision.ECHO);
    }

    @Test
    void atTheSameMomentInformatWinsAndIsWrittenToBothPackages() {
        Verdict informatWins = classify(INFORMAT, "B", T, new Stored("Z", T, SMARTSCHOOL));
        assertThat(informatWins.decision()).isEqualTo(Decision.FORWARDED);
        assertThat(informatWins.writeBack()).as("the loser may already be written over the winner's own cell").isTrue();
        assertThat(classify(SMARTSCHOOL, "Z", T, new Stored("B", T, INFORMAT)).decision()).isEqualTo(Decision.STALE);
    }

    @Test
    void withinOnePackageAtTheSameMomentTheCodeOrderDecides() {
        Stored stored = new Stored("B", T, SMARTSCHOOL);
        assertThat(classify(SMARTSCHOOL, "Z", T, stored).decision()).isEqualTo(Decision.FORWARDED);
        assertThat(classify(SMARTSCHOOL, "Z", T, stored).writeBack()).isFalse();
        assertThat(classify(SMARTSCHOOL, "A", T, stored).decision()).isEqualTo(Decision.STALE);
    }

    @Test
    void momentsCompareAcrossOffsets() {
        Stored stored = new Stored("Z", OffsetDateTime.parse("2026-11-27T09:00:00Z"), SMARTSCHOOL);
        assertThat(classify(SMARTSCHOOL, "Z", T, stored).decision()).as("10:00+01:00 is 09:00Z").isEqualTo(Decision.DUPLICATE);
    }

    /** A register read's record: changed after {@code since}, read from {@code readAt} on. */
    private static AbsenceRecord observed(String code, OffsetDateTime since, OffsetDateTime readAt, OffsetDateTime lastWrite) {
        return new AbsenceRecord(SMARTSCHOOL, "e", "123456", "1001", LocalDate.parse("2026-11-27"), HalfDay.AM, code, null, null,
                since, null, null, "i1", new Observation(readAt.toInstant(), lastWrite == null ? null : lastWrite.toInstant()));
    }

    @Test
    void aRegisterReadThatShowsWhatIsDecidedChangesNothingWhateverItsTime() {
        Verdict v = LastRegistrationWins.classify(observed("B", T.plusHours(1), T.plusHours(2), null), "B", new Stored("B", T, INFORMAT));
        assertThat(v.decision()).isEqualTo(Decision.ECHO);
        assertThat(v.forward()).isFalse();
        assertThat(LastRegistrationWins.classify(observed("B", T.minusHours(1), T.plusHours(2), null), "B",
                new Stored("B", T, SMARTSCHOOL)).decision()).isEqualTo(Decision.DUPLICATE);
    }

    /** Rule 6: the bridge writes an Informat clear to Smartschool as a presence; the read that shows it is its echo. */
    @Test
    void aRegisterReadThatShowsThePresenceTheBridgeWroteForAClearIsItsEcho() {
        OffsetDateTime since = T.minusMinutes(10);
        Verdict v = LastRegistrationWins.classify(observed("|", since, T.plusMinutes(5), T), "|", new Stored(null, T, INFORMAT));
        assertThat(v.decision()).isEqualTo(Decision.ECHO);
        assertThat(v.forward()).isFalse();
        // a teacher's presence after Smartschool's own clear is still a change
        assertThat(LastRegistrationWins.classify(observed("|", since, T.plusMinutes(5), null), "|",
                new Stored(null, T.minusMinutes(20), SMARTSCHOOL)).forward()).isTrue();
    }

    @Test
    void aRegisterReadReplacesWhatTheRegisterHeldBeforeItAndIsDatedJustAfterIt() {
        OffsetDateTime since = T.minusMinutes(10);
        OffsetDateTime readAt = T.plusMinutes(5);
        // Smartschool's own registration (a push) after the previous read: the register held it, and shows Z now
        Verdict own = LastRegistrationWins.classify(observed("Z", since, readAt, null), "Z", new Stored("B", T, SMARTSCHOOL));
        assertThat(own.decision()).isEqualTo(Decision.FORWARDED);
        assertThat(own.registeredAt().toInstant()).isEqualTo(T.toInstant().plusNanos(1000));
        // Informat's registration the bridge wrote into Smartschool before the read
        Verdict written = LastRegistrationWins.classify(observed("Z", since, readAt, T), "Z", new Stored("B", T, INFORMAT));
        assertThat(written.decision()).isEqualTo(Decision.FORWARDED);
        assertThat(written.registeredAt().toInstant()).isEqualTo(T.toInstant().plusNanos(1000));
        // never dated before the previous read
        Verdict older = LastRegistrationWins.classify(observed("Z", since, readAt, T.minusHours(1)), "Z",
                new Stored("B", T.minusHours(1), INFORMAT));
        assertThat(older.registeredAt()).isEqualTo(since);
    }

    @Test
    void aRegisterReadLosesToWhatWasRegisteredAfterItBeganAndComparesByItsWindowOtherwise() {
        OffsetDateTime since = T.minusMinutes(10);
        // a push registered after the read began: the read may not show it
        assertThat(LastRegistrationWins.classify(observed("Z", since, T, null), "Z", new Stored("B", T, SMARTSCHOOL)).decision())
                .isEqualTo(Decision.STALE);
        // Informat's registration not yet written to Smartschool: the read's change carries the previous read's moment
        assertThat(LastRegistrationWins.classify(observed("Z", since, T.plusMinutes(5), null), "Z", new Stored("B", T, INFORMAT))
                .decision()).isEqualTo(Decision.STALE);
        assertThat(LastRegistrationWins.classify(observed("Z", since, T.plusMinutes(5), T.minusMinutes(30)), "Z",
                new Stored("B", T, INFORMAT)).decision()).as("an older write than the stored registration").isEqualTo(Decision.STALE);
        Verdict newer = LastRegistrationWins.classify(observed("Z", since, T.plusMinutes(5), null), "Z",
                new Stored("B", T.minusMinutes(20), INFORMAT));
        assertThat(newer.decision()).isEqualTo(Decision.FORWARDED);
        assertThat(newer.registeredAt()).isEqualTo(since);
    }

    /**
     * Informat registers Z at T and corrects it to P at T + 10 s; Z's write reached Smartschool (lastWrite T), P's is
     * still on its way. The read at T + 45 s shows Z, changed since the previous read at T + 15 s: the bridge's own
     * superseded write, or a teacher's Z again; the read cannot tell, so it decides nothing.
     */
    @Test
    void aRegisterReadOfAHalfDayWhoseWriteIsOnItsWayIsDeferred() {
        OffsetDateTime since = T.plusSeconds(15);
        Stored p = new Stored("P", T.plusSeconds(10), INFORMAT);
        AbsenceRecord read = observed("Z", since, T.plusSeconds(45), T);
        Verdict v = LastRegistrationWins.classify(read, "Z", p, true);
        assertThat(v.decision()).isEqualTo(Decision.DEFERRED);
        assertThat(v.forward()).isFalse();
        assertThat(v.stores()).isFalse();
        assertThat(v.restore()).as("P is on its way already").isFalse();
        assertThat(v.detail()).contains("on its way");
        // without the write on its way the same read is a change after the previous read, as before
        assertThat(LastRegistrationWins.classify(read, "Z", p, false).decision()).isEqualTo(Decision.FORWARDED);
        // a read that shows what is decided changed nothing, write or not
        assertThat(LastRegistrationWins.classify(observed("P", since, T.plusSeconds(45), T), "P", p, true).decision())
                .isEqualTo(Decision.ECHO);
        // a push carries its own time: never deferred
        assertThat(LastRegistrationWins.classify(record(SMARTSCHOOL, "Z", T.plusSeconds(30)), "Z", p, true).decision())
                .isEqualTo(Decision.FORWARDED);
        // nor a backfill's read, which knows no moment of its read
        AbsenceRecord backfilled = new AbsenceRecord(SMARTSCHOOL, "e", "123456", "1001", LocalDate.parse("2026-11-27"), HalfDay.AM,
                "Z", null, null, since, null, null, "i1", new Observation(null, null));
        assertThat(LastRegistrationWins.classify(backfilled, "Z", p, true).decision()).isNotEqualTo(Decision.DEFERRED);
    }

    /**
     * The read after the write settled. The write landed: the read shows P, the bridge's write (ECHO). A teacher had
     * registered Z again meanwhile (its push lost) and Smartschool refused P as older: lastWrite names P's registration,
     * which the register held (or something newer), so the read's Z is dated after it and goes to Informat.
     */
    @Test
    void theReadAfterTheWriteSettledDecidesBetweenTheBridgesWriteAndATeachersChange() {
        Stored p = new Stored("P", T.plusSeconds(10), INFORMAT);
        assertThat(LastRegistrationWins.classify(observed("P", T.plusSeconds(45), T.plusSeconds(60), T.plusSeconds(10)), "P", p, false)
                .decision()).isEqualTo(Decision.ECHO);
        Verdict teacher = LastRegistrationWins.classify(observed("Z", T.plusSeconds(45), T.plusSeconds(60), T.plusSeconds(10)), "Z",
                p, false);
        assertThat(teacher.decision()).isEqualTo(Decision.FORWARDED);
        assertThat(teacher.registeredAt().toInstant()).isAfter(T.plusSeconds(10).toInstant());
    }

    private static AbsenceRecord push(String code, String alias, String motivation, OffsetDateTime at) {
        return new AbsenceRecord(SMARTSCHOOL, "e", "123456", "1001", LocalDate.parse("2026-11-27"), HalfDay.AM, code, alias,
                motivation, at, "someone", null, "i1");
    }

    @Test
    void aPushOfWhatARegisterReadSawFirstOnlyCorrectsTheStoredTime() {
        // the read forwarded R dated at the previous read (T); the teacher's push says it was registered at T + 5 s
        Stored seen = new Stored("R", T, SMARTSCHOOL, true, null, null);
        Verdict v = LastRegistrationWins.classify(push("R", null, null, T.plusSeconds(5)), "R", seen);
        assertThat(v.decision()).isEqualTo(Decision.DUPLICATE);
        assertThat(v.forward()).isFalse();
        assertThat(v.restamp()).isTrue();
        assertThat(v.stores()).isTrue();
        assertThat(v.registeredAt()).isEqualTo(T.plusSeconds(5));
        // an older time than the read's dating keeps the stored one
        Verdict older = LastRegistrationWins.classify(push("R", null, " ", T.minusSeconds(5)), "R", seen);
        assertThat(older.decision()).isEqualTo(Decision.DUPLICATE);
        assertThat(older.stores()).isFalse();
    }

    /**
     * The read saw Z before its push, and dated it by the read; the platform's clock is a few seconds behind, so the
     * push (Z with a motivation) is older than that dating. It was STALE and the motivation never reached Informat.
     */
    @Test
    void aPushOfWhatAReadSawFirstBringsItsMotivationEvenWhenThePlatformsClockIsBehind() {
        Stored seen = new Stored("Z", T, SMARTSCHOOL, true, null, null);
        Verdict v = LastRegistrationWins.classify(push("Z", null, "ziekenhuis", T.minusSeconds(4)), "Z", seen);
        assertThat(v.decision()).isEqualTo(Decision.FORWARDED);
        assertThat(v.forward()).isTrue();
        assertThat(v.registeredAt()).isEqualTo(T.minusSeconds(4));
        // another code is still an older registration
        assertThat(LastRegistrationWins.classify(push("B", null, "ziekenhuis", T.minusSeconds(4)), "B", seen).decision())
                .isEqualTo(Decision.STALE);
    }

    @Test
    void aPushWithOtherContentThanTheReadSawIsANewerRegistration() {
        Stored seen = new Stored("R", T, SMARTSCHOOL, true, null, null);
        assertThat(LastRegistrationWins.classify(push("R", null, "bij de tandarts", T.plusSeconds(5)), "R", seen).decision())
                .as("the motivation the read did not show must still reach Informat").isEqualTo(Decision.FORWARDED);
        assertThat(LastRegistrationWins.classify(push("R", "RZ", null, T.plusSeconds(5)), "R", seen).decision())
                .as("another alias").isEqualTo(Decision.FORWARDED);
        assertThat(LastRegistrationWins.classify(push("Z", null, null, T.plusSeconds(5)), "Z", seen).decision())
                .isEqualTo(Decision.FORWARDED);
        // the same content after a push (not a read) is the teacher registering it again: rule 5 as ever
        assertThat(LastRegistrationWins.classify(push("R", null, null, T.plusSeconds(5)), "R",
                new Stored("R", T, SMARTSCHOOL)).decision()).isEqualTo(Decision.FORWARDED);
        // and a read of Informat's write is no Smartschool registration to correct
        assertThat(LastRegistrationWins.classify(push("R", null, null, T.plusSeconds(5)), "R",
                new Stored("R", T, INFORMAT, true, null, null)).decision()).isEqualTo(Decision.FORWARDED);
    }
}
