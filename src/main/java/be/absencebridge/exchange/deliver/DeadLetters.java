package be.absencebridge.exchange.deliver;

import be.absencebridge.domain.AbsenceRecord;
import be.absencebridge.domain.Decision;
import be.absencebridge.exchange.DeadLetterEvent;
import be.absencebridge.exchange.Handoff;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;

/**
 * The one owner of the dead-letter table: records waiting for a person, with their reason. A record the gate or
 * translation parked (unknown pupil, unmapped code) points at its inbox row; a delivery the vendor refused for good at
 * its outbox row. A replay ({@code admin/Replays}) sends it back where it stopped. Writes join the caller's
 * transaction; once it commits, each dead letter recorded is published as a {@link DeadLetterEvent} for the
 * integration team's routes ({@link Handoff#DEAD_LETTERS}; at once when there is no transaction).
 */
@Component("deadLetters")
public class DeadLetters {

    public record Entry(long id, String createdAt, String stage, String direction, String institutionNumber,
                        String registrationNumber, String date, String part, String reason, String replayedAt) {
    }

    /** An open dead letter claimed for a replay: where it goes back to (one of the two ids is set). */
    public record Claimed(long id, String direction, String institutionNumber, String registrationNumber,
                          java.time.LocalDate date, String part, Long outboxId, Long inboxId) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final Handoff handoff;

    public DeadLetters(NamedParameterJdbcTemplate jdbc, Handoff handoff) {
        this.jdbc = jdbc;
        this.handoff = handoff;
    }

    /**
     * Parks a record the gate or translation stopped ({@code UNKNOWN_PUPIL}, {@code UNMAPPED}); false when the same
     * registration waits already (read again: a push, then a poll).
     */
    public boolean park(AbsenceRecord r, Decision stop, String reason, long inboxId) {
        String stage = stop == Decision.UNMAPPED ? "TRANSLATE" : "GATE";
        List<Long> id = jdbc.queryForList("""
                INSERT INTO dead_letter (stage, direction, institution_number, registration_number, date, part,
                                         reason, code, registered_at, inbox_id)
                SELECT :stage, :direction, :inst, :reg, :date, :part, :reason, :code, :at, :inbox
                WHERE NOT EXISTS (SELECT 1 FROM dead_letter
                                  WHERE replayed_at IS NULL AND direction = :direction AND institution_number = :inst
                                    AND registration_number = :reg AND date = :date AND part = :part
                                    AND registered_at = :at AND code IS NOT DISTINCT FROM :code)
                RETURNING id""",
                new MapSqlParameterSource()
                        .addValue("stage", stage)
                        .addValue("direction", r.direction().label()).addValue("inst", r.institutionNumber())
                        .addValue("reg", r.registrationNumber()).addValue("date", r.date()).addValue("part", r.part().name())
                        .addValue("reason", reason).addValue("code", r.code())
                        .addValue("at", Timestamp.from(r.registeredAt().toInstant())).addValue("inbox", inboxId), Long.class);
        if (id.isEmpty()) {
            return false;
        }
        // the gate's and the translation's reasons are the bridge's own words (a code, an alias, a branch)
        publishAfterCommit(new DeadLetterEvent(id.get(0), stage, r.direction().label(), r.institutionNumber(),
                r.registrationNumber(), r.date(), r.part().name(), reason, r.platform()));
        return true;
    }

    /**
     * A vendor's item a poller could not take (unreadable, or implausible where a push would be refused), stored as its
     * inbox row: stage RECEIVE, with what of the pupil and half-day could be read (null what could not); false when the
     * same item waits already.
     */
    public boolean received(String direction, String institution, String registration, java.time.LocalDate date, String part,
                            String reason, long inboxId) {
        List<Long> id = jdbc.queryForList("""
                INSERT INTO dead_letter (stage, direction, institution_number, registration_number, date, part, reason, inbox_id)
                SELECT 'RECEIVE', :direction, :inst, :reg, :date, :part, :reason, :inbox
                WHERE NOT EXISTS (SELECT 1 FROM dead_letter WHERE replayed_at IS NULL AND inbox_id = :inbox)
                RETURNING id""",
                new MapSqlParameterSource("direction", direction).addValue("inst", institution).addValue("reg", registration)
                        .addValue("date", date).addValue("part", part).addValue("reason", reason).addValue("inbox", inboxId),
                Long.class);
        if (id.isEmpty()) {
            return false;
        }
        // why an item could not be read is said in the bridge's words (a field, a rule), never with the item's values
        publishAfterCommit(new DeadLetterEvent(id.get(0), "RECEIVE", direction, institution, registration, date, part, reason, null));
        return true;
    }

    /**
     * A delivery the vendor refused for good, or one out of attempts: stored with the whole {@code reason}, published
     * with {@code ownReason} (the reason without the vendor's own text) and the lane's Smartschool {@code platform}
     * (empty for Informat).
     */
    void refused(long outboxId, Delivery d, String reason, String ownReason, String platform) {
        long id = jdbc.queryForObject("""
                INSERT INTO dead_letter (stage, direction, institution_number, registration_number, date, part, reason, outbox_id)
                VALUES ('DELIVER', :direction, :inst, :reg, :date, :part, :reason, :outbox) RETURNING id""", new MapSqlParameterSource()
                .addValue("direction", d.direction().label()).addValue("inst", d.institutionNumber())
                .addValue("reg", d.registrationNumber()).addValue("date", d.date()).addValue("part", d.part().name())
                .addValue("reason", reason).addValue("outbox", outboxId), Long.class);
        publishAfterCommit(new DeadLetterEvent(id, "DELIVER", d.direction().label(), d.institutionNumber(), d.registrationNumber(),
                d.date(), d.part().name(), ownReason, platform));
    }

    /**
     * Publishes the event once the caller's transaction has committed (none when it rolls back: the dead letter was not
     * recorded), or at once outside a transaction. Publishing never blocks and never fails ({@link Handoff#deadLetter}).
     */
    private void publishAfterCommit(DeadLetterEvent event) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    handoff.deadLetter(event);
                }
            });
        } else {
            handoff.deadLetter(event);
        }
    }

    public List<Entry> list(boolean openOnly, int limit) {
        return list(openOnly, null, limit);
    }

    /** The dead letters, newest first; {@code institutions} non-null: only of those (a platform's). */
    public List<Entry> list(boolean openOnly, java.util.Collection<String> institutions, int limit) {
        return jdbc.query("""
                SELECT id, created_at, stage, direction, institution_number, registration_number, date, part, reason, replayed_at
                FROM dead_letter WHERE 1 = 1""" + (openOnly ? " AND replayed_at IS NULL" : "")
                        + (institutions != null ? " AND institution_number = ANY(CAST(:insts AS text[]))" : "") + " ORDER BY id DESC LIMIT :limit",
                new MapSqlParameterSource("limit", limit).addValue("insts", institutions == null ? null : institutions.toArray(String[]::new)),
                (rs, i) -> new Entry(rs.getLong(1),
                        rs.getTimestamp(2).toInstant().toString(), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getDate(7) == null ? null : rs.getDate(7).toLocalDate().toString(), rs.getString(8), rs.getString(9),
                        rs.getTimestamp(10) == null ? null : rs.getTimestamp(10).toInstant().toString()));
    }

    public long open() {
        return jdbc.queryForObject("SELECT count(*) FROM dead_letter WHERE replayed_at IS NULL", Map.of(), Long.class);
    }

    /**
     * The open dead letters to replay at once, oldest first: those of {@code ids} (when given), else those of a stage
     * ({@code GATE}, {@code TRANSLATE}, {@code DELIVER}) whose reason contains {@code reason} (each null: any).
     */
    public List<Long> openIds(List<Long> ids, String stage, String reason) {
        return jdbc.queryForList("""
                SELECT id FROM dead_letter WHERE replayed_at IS NULL
                  AND (CAST(:noIds AS boolean) OR id = ANY(CAST(:ids AS bigint[])))
                  AND (CAST(:stage AS text) IS NULL OR stage = :stage)
                  AND (CAST(:reason AS text) IS NULL OR position(lower(CAST(:reason AS text)) IN lower(reason)) > 0)
                ORDER BY id""", new MapSqlParameterSource("noIds", ids == null)
                .addValue("ids", ids == null ? new Long[0] : ids.toArray(Long[]::new))
                .addValue("stage", stage, java.sql.Types.VARCHAR).addValue("reason", reason, java.sql.Types.VARCHAR), Long.class);
    }

    /** Whether a dead letter exists at all. */
    public boolean exists(long id) {
        return jdbc.queryForObject("SELECT count(*) FROM dead_letter WHERE id = :id", new MapSqlParameterSource("id", id),
                Integer.class) > 0;
    }

    /**
     * Marks an open dead letter replayed, in the caller's transaction; null when there is no open one of that id
     * (none, or replayed already).
     */
    public Claimed claimForReplay(long id) {
        List<Claimed> rows = jdbc.query("""
                UPDATE dead_letter SET replayed_at = now() WHERE id = :id AND replayed_at IS NULL
                RETURNING id, direction, institution_number, registration_number, date, part, outbox_id, inbox_id""",
                new MapSqlParameterSource("id", id), (rs, i) -> new Claimed(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getDate(5) == null ? null : rs.getDate(5).toLocalDate(), rs.getString(6),
                        rs.getObject(7) == null ? null : rs.getLong(7), rs.getObject(8) == null ? null : rs.getLong(8)));
        return rows.isEmpty() ? null : rows.get(0);
    }
}
