package be.absencebridge.bridge;

import org.apache.camel.ProducerTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Map;

/**
 * The dead-letter table: records waiting for a person, with their reason. A replay sends a record back
 * where it stopped: a refused delivery is delivered again, a parked record (unknown pupil, unmapped code)
 * goes through gate, translation and decision again, for instance after the mapping table was fixed.
 */
@Component("deadLetters")
public class DeadLetters {

    public record Entry(long id, String createdAt, String stage, String direction, String institutionNumber,
                        String registrationNumber, String date, String part, String reason, String replayedAt) {
    }

    /** What a replay did, for the API's answer. */
    public enum Replay { REPLAYED, NOT_FOUND, ALREADY_REPLAYED }

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Audit audit;
    private final ProducerTemplate producer;

    public DeadLetters(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, Audit audit, ProducerTemplate producer) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.audit = audit;
        this.producer = producer;
    }

    public List<Entry> list(boolean openOnly, int limit) {
        return jdbc.query("""
                SELECT id, created_at, stage, direction, institution_number, registration_number, date, part, reason, replayed_at
                FROM dead_letter""" + (openOnly ? " WHERE replayed_at IS NULL" : "") + " ORDER BY id DESC LIMIT :limit",
                new MapSqlParameterSource("limit", limit), (rs, i) -> new Entry(rs.getLong(1),
                        rs.getTimestamp(2).toInstant().toString(), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getDate(7).toLocalDate().toString(), rs.getString(8), rs.getString(9),
                        rs.getTimestamp(10) == null ? null : rs.getTimestamp(10).toInstant().toString()));
    }

    public long open() {
        return jdbc.queryForObject("SELECT count(*) FROM dead_letter WHERE replayed_at IS NULL", Map.of(), Long.class);
    }

    public Replay replay(long id) {
        Object[] resend = new Object[1];
        Replay result = tx.execute(s -> {
            List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM dead_letter WHERE id = :id FOR UPDATE",
                    new MapSqlParameterSource("id", id));
            if (rows.isEmpty()) {
                return Replay.NOT_FOUND;
            }
            Map<String, Object> row = rows.get(0);
            if (row.get("replayed_at") != null) {
                return Replay.ALREADY_REPLAYED;
            }
            jdbc.update("UPDATE dead_letter SET replayed_at = now() WHERE id = :id", new MapSqlParameterSource("id", id));
            if (row.get("outbox_id") != null) {
                long outboxId = ((Number) row.get("outbox_id")).longValue();
                jdbc.update("""
                        UPDATE outbox SET state = 'PENDING', attempts = 0, next_attempt_at = now(), locked_until = NULL, done_at = NULL
                        WHERE id = :id""", new MapSqlParameterSource("id", outboxId));
                String target = jdbc.queryForObject("SELECT lower(target) FROM outbox WHERE id = :id",
                        new MapSqlParameterSource("id", outboxId), String.class);
                resend[0] = new Object[] {"seda:deliver-" + target, outboxId};
            } else {
                long inboxId = ((Number) row.get("inbox_id")).longValue();
                jdbc.update("UPDATE inbox SET processed_at = NULL, retry_at = now() + interval '10 seconds' WHERE id = :id", new MapSqlParameterSource("id", inboxId));
                resend[0] = new Object[] {"seda:process", inboxId};
            }
            audit.record("dl-" + id, (String) row.get("direction"), (String) row.get("institution_number"),
                    (String) row.get("registration_number"), ((java.sql.Date) row.get("date")).toLocalDate(),
                    (String) row.get("part"), "REPLAYED", null, null, "dead letter " + id + " replayed");
            return Replay.REPLAYED;
        });
        if (result == Replay.REPLAYED) {
            Object[] r = (Object[]) resend[0];
            // after the commit; if this hand-off is lost, the recovery timers pick the row up
            producer.sendBody(r[0] + "?waitForTaskToComplete=Never", r[1]);
        }
        return result;
    }
}
