package be.absencebridge.backfill;

import be.absencebridge.domain.Direction;
import be.absencebridge.job.Refused;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedOperationParameter;
import org.springframework.jmx.export.annotation.ManagedOperationParameters;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/** Backfills for an operator in Hawtio (JMX tab, absence-bridge / Backfills) or any JMX client. */
@Component
@ManagedResource(objectName = "absence-bridge:name=Backfills", description = "Send existing codes (DOMAIN.md rule 3)")
public class BackfillOperations {

    private final Backfills backfills;

    private final be.absencebridge.vendor.smartschool.SmartschoolDirectory smartschool;

    public BackfillOperations(Backfills backfills, be.absencebridge.vendor.smartschool.SmartschoolDirectory smartschool) {
        this.smartschool = smartschool;
        this.backfills = backfills;
    }

    @ManagedOperation(description = "Start a backfill: SMARTSCHOOL_TO_INFORMAT with an institution number, "
            + "or INFORMAT_TO_SMARTSCHOOL with a locationIdDiscimus. Answers the id, or why it is refused.")
    @ManagedOperationParameters({
            @ManagedOperationParameter(name = "direction", description = "SMARTSCHOOL_TO_INFORMAT or INFORMAT_TO_SMARTSCHOOL"),
            @ManagedOperationParameter(name = "scope", description = "institution number or locationIdDiscimus"),
            @ManagedOperationParameter(name = "dryRun", description = "report only, write nothing")})
    public String start(String direction, String scope, boolean dryRun) throws java.io.IOException {
        try {
            Backfills.Request r = Direction.SMARTSCHOOL_TO_INFORMAT.name().equals(direction)
                    ? new Backfills.Request(direction, scope, null, dryRun)
                    : new Backfills.Request(direction, null, Integer.valueOf(scope.trim()), dryRun);
            return "started backfill " + backfills.start(r);
        } catch (Refused e) {
            return "refused: " + e.getMessage();
        } catch (NumberFormatException e) {
            return "refused: a locationIdDiscimus is a number";
        }
    }

    @ManagedOperation(description = "The backfills of a Smartschool platform's institutions and their branches, newest first "
            + "(platform empty: all)")
    @ManagedOperationParameters({@ManagedOperationParameter(name = "platform", description = "the platform's name, or empty")})
    public String list(String platform) throws java.io.IOException {
        java.util.Set<String> institutions = platform == null || platform.isBlank() ? null : smartschool.institutionsOf(platform.trim());
        if (platform != null && !platform.isBlank() && institutions == null) {
            return "no Smartschool platform " + platform.trim() + " is configured";
        }
        return backfills.list(institutions, 100).toString();
    }

    @ManagedOperation(description = "Progress of a backfill")
    public String status(long id) {
        Object s = backfills.status(id);
        return s == null ? "no backfill " + id : s.toString();
    }
}
