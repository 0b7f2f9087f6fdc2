package be.absencebridge.exchange.audit;

import be.absencebridge.domain.AbsenceRecord;
import be.absencebridge.domain.Decision;
import be.absencebridge.domain.Direction;
import be.absencebridge.domain.HalfDay;
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
 * Step 7, the one owner of the audit table: every decision, with a correlation id, queryable per pupil and date, and
 * counted per decision and direction ({@code bridge_decisions_total}). Codes and reasons only: no names, no free text.
 * Rows are written in the caller's transaction (a decision and its audit commit together).
 */
@Component("audit")
public class Audit {

    /** One audit row as the API shows it. */
    public record Entry(long id, String at, String correlationId, String direction, String institutionNumber,
                        String registrationNumber, String date, String part, String decision, String code,
                        String registeredAt, String detail) {
    }

    /** One decision to record. */
    public record Row(String correlationId, Direction direction, String institutionNumber, String registrationNumber,
                      LocalDate date, HalfDay part, Decision decision, String code, OffsetDateTime registeredAt, String detail) {

        /** A decision about a record, with the record's own pupil, half-day and registration time. */
        public static Row of(AbsenceRecord r, String correlationId, Decision decision, String code, String detail) {
            return new Row(correlationId, r.direction(), r.institutionNumber(), r.registrationNumber(), r.date(), r.part(),
                    decision, code, r.registeredAt(), detail);
        }
    }

    private static final String INSERT = """
            INSERT INTO audit (correlation_id, direction, institution_number, registration_number, date, part,
                               decision, code, registered_at, detail)
            VALUES (:cid, :direction, :inst, :reg, :date, :part, :decision, :code, :registeredAt, :detail)""";

    private static final String INSERT_ALL = """
            INSERT INTO audit (correlation_id, direction, institution_number, registration_number, date, part,
                               decision, code, registered_at, detail)
            SELECT * FROM unnest(CAST(:cids AS text[]), CAST(:directions AS text[]), CAST(:insts AS text[]), CAST(:regs AS text[]),
                                 CAST(:dates AS date[]), CAST(:parts AS text[]), CAST(:decisions AS text[]), CAST(:codes AS text[]),
                                 CAST(:registeredAts AS timestamptz[]), CAST(:details AS text[]))""";

    private final NamedParameterJdbcTemplate jdbc;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public Audit(NamedParameterJdbcTemplate jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.meters = meters;
    }

    public void record(Row row) {
        jdbc.update(INSERT, values(row));
        count(row.decision(), row.direction(), row.institutionNumber(), row.part());
    }

    /** Many rows in one batch, each counted. */
    public void recordAll(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        if (rows.size() == 1) {
            record(rows.get(0));
            return;
        }
        // one statement for all (a backfill's day, a batch of echoes): a statement per row was a twentieth of the
        // database's time in a backfill
        jdbc.update(INSERT_ALL, new MapSqlParameterSource()
                .addValue("cids", rows.stream().map(Row::correlationId).toArray(String[]::new))
                .addValue("directions", rows.stream().map(r -> r.direction().label()).toArray(String[]::new))
                .addValue("insts", rows.stream().map(Row::institutionNumber).toArray(String[]::new))
                .addValue("regs", rows.stream().map(Row::registrationNumber).toArray(String[]::new))
                .addValue("dates", rows.stream().map(r -> r.date().toString()).toArray(String[]::new))
                .addValue("parts", rows.stream().map(r -> r.part().name()).toArray(String[]::new))
                .addValue("decisions", rows.stream().map(r -> r.decision().name()).toArray(String[]::new))
                .addValue("codes", rows.stream().map(Row::code).toArray(String[]::new))
                .addValue("registeredAts", rows.stream().map(r -> r.registeredAt() == null ? null : r.registeredAt().toString())
                        .toArray(String[]::new))
                .addValue("details", rows.stream().map(Row::detail).toArray(String[]::new)));
        rows.forEach(r -> count(r.decision(), r.direction(), r.institutionNumber(), r.part()));
    }

    private static MapSqlParameterSource values(Row r) {
        return new MapSqlParameterSource()
                .addValue("cid", r.correlationId()).addValue("direction", r.direction().label())
                .addValue("inst", r.institutionNumber()).addValue("reg", r.registrationNumber())
                .addValue("date", r.date()).addValue("part", r.part().name()).addValue("decision", r.decision().name())
                .addValue("code", r.code())
                .addValue("registeredAt", r.registeredAt() == null ? null : Timestamp.from(r.registeredAt().toInstant()))
                .addValue("detail", r.detail());
    }

    /**
     * One pupil's data erased on request ({@link Decision#ERASED}): the institution that asked and how many rows went,
     * without the person (no registration number, half-day or direction), in the caller's transaction.
     */
    public void recordErasure(String correlationId, String institution, long rows) {
        jdbc.update("""
                INSERT INTO audit (correlation_id, institution_number, decision, detail)
                VALUES (:cid, :inst, :decision, :detail)""", new MapSqlParameterSource("cid", correlationId)
                .addValue("inst", institution).addValue("decision", Decision.ERASED.name())
                .addValue("detail", rows + " rows of one pupil erased on request"));
    }

    /** Counts a decision that is recorded elsewhere (or not at all: a retry scheduled). */
    /**
     * Counts a decision by kind, direction, institution (its number: the school view of the dashboard) and half-day
     * ({@code AM}/{@code PM}; empty when a decision is about no one half-day).
     */
    public void count(Decision decision, Direction direction, String institution, HalfDay part) {
        String inst = institution == null ? "" : institution;
        String half = part == null ? "" : part.name();
        counters.computeIfAbsent(decision.name() + "|" + direction.label() + "|" + inst + "|" + half, k -> Counter.builder("bridge.decisions")
                .description("Decisions of the exchange, by kind, direction, institution and half-day")
                .tag("decision", decision.name()).tag("direction", direction.label()).tag("institution", inst).tag("part", half)
                .register(meters)).increment();
    }

    public List<Entry> find(String institution, String registration, LocalDate date, int limit) {
        return find(institution, registration, date, null, limit);
    }

    /** The decisions, newest first; {@code institutions} non-null: only of those (a platform's). */
    public List<Entry> find(String institution, String registration, LocalDate date, java.util.Collection<String> institutions, int limit) {
        return find(institution, registration, date, institutions, null, limit);
    }

    /** The same, older than the decision {@code beforeId} (the next page of a list that ended there). */
    public List<Entry> find(String institution, String registration, LocalDate date, java.util.Collection<String> institutions,
                            Long beforeId, int limit) {
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
        if (institutions != null) {
            sql.append(" AND institution_number = ANY(CAST(:insts AS text[]))");
            p.addValue("insts", institutions.toArray(String[]::new));
        }
        if (beforeId != null) {
            sql.append(" AND id < :before");
            p.addValue("before", beforeId);
        }
        sql.append(" ORDER BY id DESC LIMIT :limit");
        return jdbc.query(sql.toString(), p, (rs, i) -> new Entry(rs.getLong(1),
                rs.getTimestamp(2).toInstant().toString(), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getDate(7) == null ? null : rs.getDate(7).toLocalDate().toString(), rs.getString(8), rs.getString(9),
                rs.getString(10), rs.getTimestamp(11) == null ? null : rs.getTimestamp(11).toInstant().toString(),
                rs.getString(12)));
    }
}
