package be.absencebridge.reconcile;

import be.absencebridge.job.Refused;

import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedOperationParameter;
import org.springframework.jmx.export.annotation.ManagedOperationParameters;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.util.List;

/** Reconciliations and resyncs for an operator in Hawtio (JMX tab, absence-bridge / Reconciliations) or any JMX client. */
@Component
@ManagedResource(objectName = "absence-bridge:name=Reconciliations", description = "Check that both registers agree, and repair")
public class ReconciliationOperations {

    private final Reconciliations reconciliations;

    public ReconciliationOperations(Reconciliations reconciliations) {
        this.reconciliations = reconciliations;
    }

    @ManagedOperation(description = "Compare both registers for a scope and dates; repair false is a dry run. Answers the id, or why not.")
    @ManagedOperationParameters({
            @ManagedOperationParameter(name = "scopeKind", description = "INSTITUTION, BRANCH or PLATFORM"),
            @ManagedOperationParameter(name = "scope", description = "institution number, locationIdDiscimus or platform name"),
            @ManagedOperationParameter(name = "from", description = "first date, like 2026-09-01"),
            @ManagedOperationParameter(name = "to", description = "last date"),
            @ManagedOperationParameter(name = "repair", description = "write the winners (else only report)")})
    public String start(String scopeKind, String scope, String from, String to, boolean repair) throws IOException {
        try {
            String kind = scopeKind == null ? "" : scopeKind.trim().toUpperCase(java.util.Locale.ROOT);
            Reconciliations.Request r = switch (kind) {
                case "INSTITUTION" -> new Reconciliations.Request(scope, null, null, from, to, repair);
                case "BRANCH" -> new Reconciliations.Request(null, Integer.valueOf(scope.trim()), null, from, to, repair);
                case "PLATFORM" -> new Reconciliations.Request(null, null, scope, from, to, repair);
                default -> throw new Refused(400, "scopeKind must be INSTITUTION, BRANCH or PLATFORM");
            };
            return "started reconciliation " + reconciliations.start(r, "jmx");
        } catch (Refused e) {
            return "refused: " + e.getMessage();
        } catch (NumberFormatException e) {
            return "refused: a locationIdDiscimus is a number";
        }
    }

    @ManagedOperation(description = "Put one pupil's registers right for a date range, both directions")
    @ManagedOperationParameters({
            @ManagedOperationParameter(name = "institutionNumber", description = "the pupil's institution"),
            @ManagedOperationParameter(name = "registrationNumber", description = "the pupil's registration number"),
            @ManagedOperationParameter(name = "from", description = "first date"),
            @ManagedOperationParameter(name = "to", description = "last date")})
    public String resync(String institutionNumber, String registrationNumber, String from, String to) throws IOException {
        try {
            return "started resync " + reconciliations.resync(new Reconciliations.Resync(institutionNumber, registrationNumber,
                    List.of(), from, to), "jmx");
        } catch (Refused e) {
            return "refused: " + e.getMessage();
        }
    }

    @ManagedOperation(description = "Progress and result of a reconciliation or resync, with its first 100 differences")
    public String status(long id) throws IOException {
        Object s = reconciliations.status(id, 100);
        return s == null ? "no reconciliation " + id : s.toString();
    }

    @ManagedOperation(description = "The runs of the last 30 days, newest first")
    public String list() throws IOException {
        return reconciliations.list(30).toString();
    }

    @ManagedOperation(description = "Let a repair that the mass-change guard held write")
    public String approve(long id) {
        return reconciliations.approve(id, "jmx") ? "approved: reconciliation " + id + " repairs" : "reconciliation " + id + " does not wait for an approval";
    }
}
