package be.absencebridge.admin;

import be.absencebridge.config.security.AdminActionRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * The one owner of the admin actions' table: every state-changing admin action with its person, as
 * {@link AdminActionRecorder} sees it answered, in the log (one INFO line) and the table, readable by admins newest
 * first. No body and no path values are kept (a pupil's key), only the path template.
 */
@Component
public class AdminActions {

    private static final Logger LOG = LoggerFactory.getLogger(AdminActions.class);

    /** One action as the API shows it. */
    public record Entry(long id, String at, String person, String login, String action, int status) {
    }

    private final NamedParameterJdbcTemplate jdbc;

    public AdminActions(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    public void record(AdminActionRecorder.Action action) {
        LOG.info("Admin action by {} ({} login): {} -> {}", action.person(), action.login(), action.action(), action.status());
        try {
            jdbc.update("INSERT INTO admin_action (at, person, login, action, status) VALUES (:at, :person, :login, :action, :status)",
                    new MapSqlParameterSource(Map.of("at", Timestamp.from(action.at()), "person", action.person(),
                            "login", action.login(), "action", action.action(), "status", action.status())));
        } catch (RuntimeException e) {
            // the action was done and answered: a lost row must not turn it into an error; the line above stays
            LOG.error("Admin action by {} not stored: {}", action.person(), e.toString());
        }
    }

    /** A page of the actions, newest first. */
    public List<Entry> page(int page, int size) {
        return jdbc.query("""
                        SELECT id, at, person, login, action, status FROM admin_action
                        ORDER BY at DESC, id DESC LIMIT :size OFFSET :offset""",
                new MapSqlParameterSource(Map.of("size", size, "offset", (long) page * size)),
                (rs, i) -> new Entry(rs.getLong("id"), rs.getObject("at", OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                        rs.getString("person"), rs.getString("login"), rs.getString("action"), rs.getInt("status")));
    }

    public long count() {
        Long n = jdbc.getJdbcOperations().queryForObject("SELECT count(*) FROM admin_action", Long.class);
        return n == null ? 0 : n;
    }
}
