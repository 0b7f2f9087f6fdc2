package be.absencebridge.admin;

import be.absencebridge.exchange.deliver.DeadLetters;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedOperationParameter;
import org.springframework.jmx.export.annotation.ManagedOperationParameters;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/** The dead letters for an operator in Hawtio (JMX tab, absence-bridge / DeadLetters) or any JMX client. */
@Component
@ManagedResource(objectName = "absence-bridge:name=DeadLetters", description = "Records that wait for a person, and their replay")
public class DeadLetterOperations {

    private final DeadLetters deadLetters;
    private final Replays replays;

    public DeadLetterOperations(DeadLetters deadLetters, Replays replays) {
        this.deadLetters = deadLetters;
        this.replays = replays;
    }

    @ManagedOperation(description = "The open dead letters, newest first (at most 100)")
    public String list() {
        return deadLetters.list(true, 100).toString();
    }

    @ManagedOperation(description = "Replay one dead letter")
    public String replay(long id) {
        return replays.replay(id).name();
    }

    @ManagedOperation(description = "Replay many: those of a stage (GATE, TRANSLATE, DELIVER; empty: any) whose reason contains a text "
            + "(empty: any); dryRun only counts them")
    @ManagedOperationParameters({
            @ManagedOperationParameter(name = "stage", description = "GATE, TRANSLATE, DELIVER, or empty"),
            @ManagedOperationParameter(name = "reason", description = "a part of the reason, or empty"),
            @ManagedOperationParameter(name = "dryRun", description = "count only")})
    public String replayAll(String stage, String reason, boolean dryRun) {
        try {
            Replays.Bulk b = replays.replayAll(null, stage, reason, dryRun);
            return dryRun ? b.count() + " dead letters would be replayed" : b.replayed() + " of " + b.count() + " dead letters replayed";
        } catch (IllegalArgumentException e) {
            return "refused: " + e.getMessage();
        }
    }
}
