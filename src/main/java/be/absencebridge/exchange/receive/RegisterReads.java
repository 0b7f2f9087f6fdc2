package be.absencebridge.exchange.receive;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one owner of {@code smartschool_read} and {@code smartschool_read_day}: what the Smartschool poller read last of
 * each platform's days, and when. A day's row is locked while its read is compared, and while a cell of it is
 * forgotten, so the two take turns. Writes join the caller's transaction.
 */
@Component
public class RegisterReads {

    /** A cell as a read showed it. */
    public record Read(String code, String alias) {
    }

    /** A half-day of the previous read whose content is not known: never equal to a read, so the next read emits it. */
    public static final String UNKNOWN = "";

    private final NamedParameterJdbcTemplate jdbc;

    public RegisterReads(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Locks the day's row, if the day was read before; when that read began, or null. */
    public Instant lockDay(String platform, LocalDate date) {
        List<Timestamp> previous = jdbc.queryForList(
                "SELECT read_at FROM smartschool_read_day WHERE platform = :platform AND date = :date FOR UPDATE",
                day(platform, date), Timestamp.class);
        return previous.isEmpty() ? null : previous.get(0).toInstant();
    }

    /** The previous read of the day, keyed {@code username|part}. */
    public Map<String, Read> previous(String platform, LocalDate date) {
        Map<String, Read> before = new HashMap<>();
        jdbc.query("SELECT username, part, code, alias FROM smartschool_read WHERE platform = :platform AND date = :date",
                day(platform, date), rs -> {
                    before.put(rs.getString(1) + "|" + rs.getString(2), new Read(rs.getString(3), rs.getString(4)));
                });
        return before;
    }

    /** A cell of a read to store ({@link #UNKNOWN} as its code: compared again by the next read). */
    public static MapSqlParameterSource cell(String platform, LocalDate date, String username, String part, String code, String alias) {
        return new MapSqlParameterSource("platform", platform).addValue("date", Date.valueOf(date)).addValue("username", username)
                .addValue("part", part).addValue("code", code).addValue("alias", alias);
    }

    /** The new read of a day: its cells, the cells it no longer shows, and when it began. */
    public void store(String platform, LocalDate date, List<MapSqlParameterSource> cells, List<MapSqlParameterSource> gone,
                      Instant readStart) {
        jdbc.batchUpdate("""
                INSERT INTO smartschool_read (platform, date, username, part, code, alias)
                VALUES (:platform, :date, :username, :part, :code, :alias)
                ON CONFLICT (platform, date, username, part) DO UPDATE SET code = EXCLUDED.code, alias = EXCLUDED.alias""",
                cells.toArray(MapSqlParameterSource[]::new));
        jdbc.batchUpdate("DELETE FROM smartschool_read WHERE platform = :platform AND date = :date AND username = :username AND part = :part",
                gone.toArray(MapSqlParameterSource[]::new));
        jdbc.update("""
                INSERT INTO smartschool_read_day (platform, date, read_at) VALUES (:platform, :date, :at)
                ON CONFLICT (platform, date) DO UPDATE SET read_at = EXCLUDED.read_at""",
                day(platform, date).addValue("at", Timestamp.from(readStart)));
    }

    /**
     * Forgets what a read showed of one cell: the next read of the day emits it, whatever it shows (a change not decided
     * from the read that saw it). Behind the day's lock, so that a read being compared cannot write its view over it.
     */
    public void forget(String platform, LocalDate date, String username, String part) {
        if (lockDay(platform, date) == null) {
            // never read (or forgotten with its day): the next read is a day's first, which emits every cell
            return;
        }
        jdbc.update("""
                INSERT INTO smartschool_read (platform, date, username, part, code, alias)
                VALUES (:platform, :date, :username, :part, :code, NULL)
                ON CONFLICT (platform, date, username, part) DO UPDATE SET code = EXCLUDED.code, alias = NULL""",
                cell(platform, date, username, part, UNKNOWN, null));
    }

    private static MapSqlParameterSource day(String platform, LocalDate date) {
        return new MapSqlParameterSource("date", Date.valueOf(date)).addValue("platform", platform);
    }
}
