package be.absencebridge.admin;

import be.absencebridge.domain.Decision;
import be.absencebridge.domain.Direction;
import be.absencebridge.domain.HalfDay;
import be.absencebridge.exchange.Handoff;
import be.absencebridge.exchange.audit.Audit;
import be.absencebridge.exchange.deliver.DeadLetters;
import be.absencebridge.exchange.deliver.Outbox;
import be.absencebridge.exchange.receive.Inbox;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Map;

/**
 * A replay sends a dead letter back where it stopped, in one transaction with its owners: a refused delivery is made due
 * again in the outbox, a parked record (unknown pupil, unmapped code) goes through gate, translation and decision again
 * from its inbox row, for instance after the mapping table was fixed. After the commit it is handed to its route.
 */
@Component
public class Replays {

    /** What a replay did, for the API's answer. */
    public enum Replay { REPLAYED, NOT_FOUND, ALREADY_REPLAYED }

    private final TransactionTemplate tx;
    private final DeadLetters deadLetters;
    private final Outbox outbox;
    private final Inbox inbox;
    private final Audit audit;
    private final Handoff handoff;

    public Replays(TransactionTemplate tx, DeadLetters deadLetters, Outbox outbox, Inbox inbox, Audit audit, Handoff handoff) {
        this.tx = tx;
        this.deadLetters = deadLetters;
        this.outbox = outbox;
        this.inbox = inbox;
        this.audit = audit;
        this.handoff = handoff;
    }

    /** A replay of many: how many dead letters matched, and how many were replayed (none for a dry run). */
    public record Bulk(int count, int replayed, boolean dryRun) {
    }

    /**
     * Replays many open dead letters at once (after a vendor's bad afternoon): a list of ids, or all of a stage and/or
     * whose reason contains a text (neither: every open one); each in its own transaction, as one replay. A dry run
     * only counts them.
     */
    public Bulk replayAll(List<Long> ids, String stage, String reason, boolean dryRun) {
        String s = stage == null || stage.isBlank() ? null : stage.trim().toUpperCase(java.util.Locale.ROOT);
        if (s != null && !List.of("GATE", "TRANSLATE", "DELIVER").contains(s)) {
            throw new IllegalArgumentException("stage must be GATE, TRANSLATE or DELIVER");
        }
        List<Long> matched = deadLetters.openIds(ids, s, reason == null || reason.isBlank() ? null : reason.trim());
        int replayed = 0;
        if (!dryRun) {
            for (long id : matched) {
                replayed += replay(id) == Replay.REPLAYED ? 1 : 0;
            }
        }
        return new Bulk(matched.size(), replayed, dryRun);
    }

    public Replay replay(long id) {
        Runnable[] resend = new Runnable[1];
        Replay result = tx.execute(s -> {
            DeadLetters.Claimed dl = deadLetters.claimForReplay(id);
            if (dl == null) {
                return deadLetters.exists(id) ? Replay.ALREADY_REPLAYED : Replay.NOT_FOUND;
            }
            if (dl.outboxId() != null) {
                String target = outbox.reopen(dl.outboxId());
                resend[0] = () -> handoff.deliver(List.of(Map.of("id", dl.outboxId(), "target", target,
                        "institution", dl.institutionNumber())));
            } else {
                inbox.reopen(dl.inboxId());
                resend[0] = () -> handoff.process(dl.inboxId());
            }
            if (dl.date() != null && dl.part() != null && dl.institutionNumber() != null && dl.registrationNumber() != null) {
                // (an item a poller could not read may not say whose half-day it is: the audit is per half-day)
                audit.record(new Audit.Row("dl-" + id, Direction.ofLabel(dl.direction()), dl.institutionNumber(),
                        dl.registrationNumber(), dl.date(), HalfDay.valueOf(dl.part()), Decision.REPLAYED, null, null,
                        "dead letter " + id + " replayed"));
            }
            return Replay.REPLAYED;
        });
        if (result == Replay.REPLAYED) {
            // after the commit; if this hand-off is lost, the recovery routes pick the row up
            resend[0].run();
        }
        return result;
    }
}
