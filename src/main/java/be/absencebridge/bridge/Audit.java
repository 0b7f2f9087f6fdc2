package be.absencebridge.bridge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Step 7: every decision, with a correlation id, queryable per pupil and date, and counted per decision
 * and direction ({@code bridge_decisions_total}). Codes and reasons only: no names, no free text.
 */
@Component("audit")
public class Audit {

    public record Entry(long id, String at, String correlationId, String direction, String institutionNumber,
                        String registrationNumber, String date, String part, String decision, String code,
                        String registeredAt, String detail) {
    }

    private static final String INSERT = """
            INSERT INTO audit (correlation_id, direction, institution_number, registration_number, date, part,
                               decision, code, registered_at, detail)
            VALUES (:cid, :direction, :inst, :reg, :date, :part, :decision, :code, :registeredAt, :detail)""";

    private final NamedParameterJdbcTemplate jdbc;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public Audit(NamedParameterJdbcTemplate jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.meters = meters;
    }

    public void record(String correlationId, String direction, String institution, String registration, LocalDate date,
                       String part, String decision, String code, OffsetDateTime registeredAt, String detail) {
        jdbc.update(INSERT, row(correlationId, direction, institution, registration, date, part, decision, code, registeredAt, detail));
        count(decision, direction);
    }

    /** One audit row, for {@link #recordAll}. */
    static MapSqlParameterSource row(String correlationId, String direction, String institution, String registration, LocalDate date,
                                     String part, String decision, String code, OffsetDateTime registeredAt, String detail) {
        return new MapSqlParameterSource()
                .addValue("cid", correlationId).addValue("direction", direction)
                .addValue("inst", institution).addValue("reg", registration)
                .addValue("date", date).addValue("part", part).addValue("decision", decision)
                .addValue("code", code)
                .addValue("registeredAt", registeredAt == null ? null : Timestamp.from(registeredAt.toInstant()))
                .addValue("detail", detail);
    }

    /** Many audit rows in one batch (the caller counts them once its transaction is committed). */
    void recordAll(List<MapSqlParameterSource> rows) {
        jdbc.batchUpdate(INSERT, rows.toArray(MapSqlParameterSource[]::new));
    }

    public void count(String decision, String direction) {
        counters.computeIfAbsent(decision + "|" + direction, k -> Counter.builder("bridge.decisions")
                .description("Decisions of the exchange, by kind and direction")
                .tag("decision", decision).tag("direction", direction).register(meters)).increment();
    }

    public List<Entry> find(String institution, String registration, LocalDate date, int limit) {
        StringBuilder sql = new StringBuilder("""
                SELECT id, at, correlation_id, direction, institution_number, registration_number, date, part,
                       decision, code, registered_at, detail FROM audit WHERE 1 = 1""");
        MapSqlParameterSource p = new MapSqlParameterSource().addValue("limit", limit);
        if (institution != null) {
            sql.append(" AND institution_number = :inst");
            p.addValue("inst", institution);
        }
        if (registration != null) {
            sql.append(" AND registration_number = :reg");
            p.addValue("reg", registration);
        }
        if (date != null) {
            sql.append(" AND date = :date");
            p.addValue("date", date);
        }
        sql.append(" ORDER BY id DESC LIMIT :limit");
        return jdbc.query(sql.toString(), p, (rs, i) -> new Entry(rs.getLong(1),
                rs.getTimestamp(2).toInstant().toString(), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getDate(7).toLocalDate().toString(), rs.getString(8), rs.getString(9),
                rs.getString(10), rs.getTimestamp(11) == null ? null : rs.getTimestamp(11).toInstant().toString(),
                rs.getString(12)));
    }
}
