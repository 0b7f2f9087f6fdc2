package be.absencebridge.exchange.receive;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.domain.AbsenceRecord;
import be.absencebridge.domain.SourceSystem;
import org.springframework.stereotype.Component;

/**
 * The accounts the bridge writes under in each package: Smartschool's link account, Informat's client. A record
 * registered by one of them is the bridge's own write coming back (an echo), recognised where it arrives: the
 * webhooks (through the gate's first check) and the change feed store it as decided at once.
 */
@Component
public class BridgeAccounts {

    /** Why an echo goes no further (its audit row's detail). */
    public static final String ECHO_REASON = "registered by the bridge's own account";

    private final String smartschoolAccount;
    private final String informatClientId;

    public BridgeAccounts(BridgeProperties props) {
        this.smartschoolAccount = props.smartschool().account();
        this.informatClientId = props.informat().clientId();
    }

    /** The bridge's own write coming back: registered by the link's account in the package that sent it. */
    public boolean isEcho(AbsenceRecord r) {
        String bridgeAccount = r.source() == SourceSystem.SMARTSCHOOL ? smartschoolAccount : informatClientId;
        return bridgeAccount.equals(r.registeredBy());
    }
}
