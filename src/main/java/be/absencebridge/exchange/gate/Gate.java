package be.absencebridge.exchange.gate;

import be.absencebridge.domain.AbsenceRecord;
import be.absencebridge.domain.Decision;
import be.absencebridge.exchange.ExchangeProperties;
import be.absencebridge.exchange.receive.BridgeAccounts;
import be.absencebridge.vendor.informat.InformatDirectory;
import be.absencebridge.vendor.smartschool.SmartschoolDirectory;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Instant;

/**
 * Step 3 of the flow: is this record to be exchanged at all? Each "no" is a decision that is recorded,
 * not an error: the bridge's own write coming back (echo), a pupil one side does not know (yet: the record waits
 * for a directory read that knows the pupil), a day outside the pupil's enrolment, a branch where
 * the exchange is not switched on in both packages (rule 1), a code registered before it was (rule 2).
 * A "no" is set as {@code bridgeStop} (a {@link Decision}) with its {@code bridgeReason}; a "yes" sets nothing.
 */
@Component("gate")
public class Gate {

    private final LinkSettings links;
    private final InformatDirectory informat;
    private final SmartschoolDirectory smartschool;
    private final BridgeAccounts accounts;
    private final Directories directories;

    public Gate(LinkSettings links, InformatDirectory informat, SmartschoolDirectory smartschool, BridgeAccounts accounts,
                Directories directories) {
        this.directories = directories;
        this.links = links;
        this.informat = informat;
        this.smartschool = smartschool;
        this.accounts = accounts;
    }

    /** The first check, made when a push arrives (the webhooks store an echo as decided at once): the echo alone. */
    public void echo(Exchange exchange) {
        AbsenceRecord r = exchange.getProperty(ExchangeProperties.RECORD, AbsenceRecord.class);
        if (accounts.isEcho(r)) {
            stop(exchange, Decision.ECHO, BridgeAccounts.ECHO_REASON);
        }
    }

    /** Every check, for the record in the body. */
    public void check(Exchange exchange) throws IOException {
        AbsenceRecord r = exchange.getMessage().getBody(AbsenceRecord.class);
        if (accounts.isEcho(r)) {
            stop(exchange, Decision.ECHO, BridgeAccounts.ECHO_REASON);
            return;
        }
        // the enrolment of the half-day's date: its branch decides the switch (a pupil who moved has one per branch)
        InformatDirectory.Student student = informat.student(r.institutionNumber(), r.registrationNumber(), r.date());
        if (student == null) {
            if (!informat.known(r.institutionNumber(), r.registrationNumber())) {
                directories.missed(true, false);
                stop(exchange, Decision.UNKNOWN_PUPIL, "pupil not found in Informat");
                return;
            }
            if (informat.readAt().isBefore(r.registeredAt().toInstant())) {
                // Informat's copy is older than the registration: an enrolment made since may cover the day
                directories.missed(true, false);
                stop(exchange, Decision.UNKNOWN_PUPIL, "no enrolment in Informat covers the day yet");
                return;
            }
            stop(exchange, Decision.NOT_ENROLLED, "the day is outside the pupil's enrolments in Informat");
            return;
        }
        SmartschoolDirectory.Pupil pupil = smartschool.pupil(r.institutionNumber(), r.registrationNumber());
        if (pupil == null) {
            directories.missed(false, true);
            stop(exchange, Decision.UNKNOWN_PUPIL, "pupil not found in Smartschool");
            return;
        }
        if (r.platform() != null && !r.platform().equals(pupil.platform())) {
            // a platform's signature is good for its own pupils only (a pupil who just moved platform: read again)
            directories.missed(false, true);
            stop(exchange, Decision.UNKNOWN_PUPIL, "the pupil is not on Smartschool platform " + r.platform() + ", which sent it");
            return;
        }
        // the switch of the pupil's own platform
        String platform = pupil.platform();
        int branch = r.locationIdDiscimus() != null ? r.locationIdDiscimus() : student.locationIdDiscimus();
        LinkSettings.Snapshot s = links.current();
        if (!active(s, platform, branch)) {
            s = links.fresh();
            if (!active(s, platform, branch)) {
                stop(exchange, Decision.NOT_ACTIVE, !s.smartschoolActive(platform)
                        ? "absence synchronisation is off on Smartschool platform " + platform
                        : "absence exchange is off for branch " + branch + " in Informat");
                return;
            }
        }
        Instant smartschoolSince = s.since().get(LinkSettings.SMARTSCHOOL + "|" + platform);
        Instant informatSince = s.since().get(LinkSettings.INFORMAT + "|" + branch);
        Instant since = smartschoolSince.isAfter(informatSince) ? smartschoolSince : informatSince;
        if (r.registeredAt().toInstant().isBefore(since)) {
            if (straddles(r, since)) {
                // a change a register read saw between a read before the switch went on and one after it: it may have
                // been registered after the switch, and no read will show it as a change again. Dated at the switch
                // (the earliest moment it can have been exchanged), it goes
                exchange.getMessage().setBody(r.registeredAt(since.atOffset(java.time.ZoneOffset.UTC)));
                return;
            }
            stop(exchange, Decision.BEFORE_ACTIVATION, "registered before the exchange was switched on at " + since
                    + " (a backfill sends such codes)");
        }
    }

    /**
     * Whether a register read's change lies between a read of its day before {@code since} and one after it (its time
     * is that earlier read's; a day's first read, with no earlier one, carries the day's start and shows what was
     * registered before: those stay before the activation).
     */
    private static boolean straddles(AbsenceRecord r, Instant since) {
        return r.observed() && r.observation().readAt() != null && !r.observation().readAt().isBefore(since)
                && r.registeredAt().toInstant().isAfter(r.date().atStartOfDay(java.time.ZoneId.of("Europe/Brussels")).toInstant());
    }

    /** A record stopped by a step before the decision: why, for the audit and (when it parks) the dead letters. */
    public static void stop(Exchange exchange, Decision decision, String reason) {
        exchange.setProperty(ExchangeProperties.STOP, decision);
        exchange.setProperty(ExchangeProperties.REASON, reason);
    }

    private static boolean active(LinkSettings.Snapshot s, String platform, int branch) throws IOException {
        return s.smartschoolActive(platform) && Boolean.TRUE.equals(s.informatActive().get(branch));
    }
}
