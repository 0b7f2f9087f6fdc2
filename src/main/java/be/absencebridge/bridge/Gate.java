package be.absencebridge.bridge;

import be.absencebridge.bridge.AbsenceRecord.SourceSystem;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Instant;

/**
 * Step 3 of the flow: is this record to be exchanged at all? Each "no" is a decision that is recorded,
 * not an error: the bridge's own write coming back (echo), a pupil one side does not know, a branch where
 * the exchange is not switched on in both packages (rule 1), a code registered before it was (rule 2).
 */
@Component("gate")
public class Gate {

    public static final String VERDICT = "bridgeGate";
    public static final String REASON = "bridgeReason";
    static final String ECHO_REASON = "registered by the bridge's own account";

    public enum Verdict { PASS, ECHO, UNKNOWN_PUPIL, NOT_ACTIVE, BEFORE_ACTIVATION }

    private final LinkSettings links;
    private final InformatDirectory informat;
    private final SmartschoolDirectory smartschool;
    private final String smartschoolAccount;
    private final String informatClientId;

    public Gate(LinkSettings links, InformatDirectory informat, SmartschoolDirectory smartschool,
                @Value("${bridge.smartschool.account}") String smartschoolAccount,
                @Value("${bridge.informat.client-id}") String informatClientId) {
        this.links = links;
        this.informat = informat;
        this.smartschool = smartschool;
        this.smartschoolAccount = smartschoolAccount;
        this.informatClientId = informatClientId;
    }

    public void check(Exchange exchange) throws IOException {
        AbsenceRecord r = exchange.getMessage().getBody(AbsenceRecord.class);
        Verdict v = verdict(r, exchange);
        exchange.setProperty(VERDICT, v.name());
    }

    /** The bridge's own write coming back: registered by the link's account in the package that pushed it. */
    public boolean isEcho(AbsenceRecord r) {
        String bridgeAccount = r.source() == SourceSystem.SMARTSCHOOL ? smartschoolAccount : informatClientId;
        return bridgeAccount.equals(r.registeredBy());
    }

    private Verdict verdict(AbsenceRecord r, Exchange exchange) throws IOException {
        if (isEcho(r)) {
            exchange.setProperty(REASON, ECHO_REASON);
            return Verdict.ECHO;
        }
        InformatDirectory.Student student = informat.student(r.institutionNumber(), r.registrationNumber());
        if (student == null) {
            exchange.setProperty(REASON, "pupil not found in Informat");
            return Verdict.UNKNOWN_PUPIL;
        }
        if (smartschool.internalNumber(r.institutionNumber(), r.registrationNumber()) == null) {
            exchange.setProperty(REASON, "pupil not found in Smartschool");
            return Verdict.UNKNOWN_PUPIL;
        }
        int branch = r.locationIdDiscimus() != null ? r.locationIdDiscimus() : student.locationIdDiscimus();
        LinkSettings.Snapshot s = links.current();
        if (!active(s, branch)) {
            s = links.fresh();
            if (!active(s, branch)) {
                exchange.setProperty(REASON, !s.smartschoolActive()
                        ? "absence synchronisation is off in Smartschool"
                        : "absence exchange is off for branch " + branch + " in Informat");
                return Verdict.NOT_ACTIVE;
            }
        }
        Instant smartschoolSince = s.since().get(LinkSettings.SMARTSCHOOL + "|*");
        Instant informatSince = s.since().get(LinkSettings.INFORMAT + "|" + branch);
        Instant since = smartschoolSince.isAfter(informatSince) ? smartschoolSince : informatSince;
        if (r.registeredAt().toInstant().isBefore(since)) {
            exchange.setProperty(REASON, "registered before the exchange was switched on at " + since
                    + " (a backfill sends such codes)");
            return Verdict.BEFORE_ACTIVATION;
        }
        return Verdict.PASS;
    }

    private static boolean active(LinkSettings.Snapshot s, int branch) {
        return s.smartschoolActive() && Boolean.TRUE.equals(s.informatActive().get(branch));
    }
}
