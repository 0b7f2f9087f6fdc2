package be.absencebridge.retention;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the bridge stores, per table: rows, the oldest row, bytes (table, indexes and TOAST:
 * {@code pg_total_relation_size}) and rows still holding free text; and the database's size. No personal data.
 * <p>
 * Rows are counted exactly where that is cheap (a table whose estimate is below {@code exact-rows-below}); a larger
 * table reports PostgreSQL's estimate ({@code pg_class.reltuples}, kept by autovacuum's analyze), its {@code exact} false.
 * The oldest row is read along an index where the table is large (its key, or the index on its date); free-text rows
 * along the partial indexes of V20. The gauges show the last report, taken on a schedule (retention.camel.yaml), never
 * on a scrape.
 */
@Component("storage")
public class Storage {

    /** A table, the expression of its oldest row, and the condition of its rows holding free text (null: none can). */
    private record Table(String name, String oldest, String freeText) {
    }

    private static final List<Table> TABLES = List.of(
            new Table("inbox", "(SELECT received_at FROM inbox ORDER BY id LIMIT 1)", Purge.INBOX_TEXT),
            new Table("outbox", "(SELECT created_at FROM outbox ORDER BY id LIMIT 1)", Purge.OUTBOX_TEXT),
            new Table("decision", "(SELECT min(date) FROM decision)", null),
            new Table("audit", "(SELECT at FROM audit ORDER BY id LIMIT 1)", null),
            new Table("dead_letter", "(SELECT min(created_at) FROM dead_letter)", null),
            new Table("smartschool_read", "(SELECT min(date) FROM smartschool_read)", null),
            new Table("smartschool_read_day", "(SELECT min(date) FROM smartschool_read_day)", null),
            new Table("backfill", "(SELECT min(created_at) FROM backfill)", null),
            new Table("backfill_source", "(SELECT min(date) FROM backfill_source)", Purge.SOURCE_TEXT),
            new Table("reconciliation", "(SELECT min(created_at) FROM reconciliation)", null),
            new Table("reconciliation_difference", "(SELECT min(date) FROM reconciliation_difference)", Purge.CELL_TEXT),
            new Table("admin_action", "(SELECT at FROM admin_action ORDER BY at LIMIT 1)", null),
            new Table("retention_run", "(SELECT min(created_at) FROM retention_run)", null),
            new Table("link_activation", "(SELECT min(changed_at) FROM link_activation)", null),
            new Table("poll_cursor", "(SELECT min(updated_at) FROM poll_cursor)", null),
            new Table("poll_run", null, null));

    private final NamedParameterJdbcTemplate jdbc;
    private final RetentionProperties settings;
    private volatile Map<String, Object> last = Map.of();

    public Storage(NamedParameterJdbcTemplate jdbc, RetentionProperties settings, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.settings = settings;
        for (Table t : TABLES) {
            Gauge.builder("bridge.storage.rows", this, s -> s.value(t.name(), "rows"))
                    .description("rows of the table (exact below bridge.retention.exact-rows-below, else PostgreSQL's estimate)")
                    .tag("table", t.name()).register(meters);
            Gauge.builder("bridge.storage.bytes", this, s -> s.value(t.name(), "bytes"))
                    .description("bytes of the table with its indexes and TOAST").tag("table", t.name()).register(meters);
            if (t.freeText() != null) {
                Gauge.builder("bridge.storage.free.text.rows", this, s -> s.value(t.name(), "freeTextRows"))
                        .description("rows of the table still holding a motivation or remark").tag("table", t.name()).register(meters);
            }
        }
        Gauge.builder("bridge.database.bytes", this, s -> s.number(s.last.get("databaseBytes")))
                .description("bytes of the bridge's database").register(meters);
        Gauge.builder("bridge.database.bytes.limit", this, s -> (double) s.settings.databaseBytesLimit().toBytes())
                .description("the database's size the alert fires at (bridge.retention.database-bytes-limit)").register(meters);
    }

    /** Takes the report for the gauges (retention.camel.yaml). */
    public void refresh() {
        report();
    }

    /** {@code {"tables":[{"table","rows","exact","oldest","bytes","freeTextRows"}],"databaseBytes","databaseBytesLimit"}}, now. */
    public Map<String, Object> report() {
        List<Map<String, Object>> tables = new ArrayList<>();
        for (Table t : TABLES) {
            Map<String, Object> size = jdbc.queryForMap("""
                    SELECT c.reltuples::bigint AS estimate, pg_total_relation_size(c.oid) AS bytes FROM pg_class c
                    WHERE c.oid = CAST(CAST(:t AS text) AS regclass)""", new MapSqlParameterSource("t", t.name()));
            long estimate = ((Number) size.get("estimate")).longValue();
            boolean exact = estimate < settings.exactRowsBelow();
            long rows = exact ? count("SELECT count(*) FROM " + t.name()) : estimate;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("table", t.name());
            row.put("rows", rows);
            row.put("exact", exact);
            Object oldest = t.oldest() == null ? null : jdbc.getJdbcOperations().queryForObject("SELECT " + t.oldest(), Object.class);
            row.put("oldest", oldest == null ? null : oldest instanceof java.sql.Timestamp ts ? ts.toInstant().toString()
                    : oldest.toString());
            row.put("bytes", ((Number) size.get("bytes")).longValue());
            row.put("freeTextRows", t.freeText() == null ? 0L : count("SELECT count(*) FROM " + t.name() + " WHERE " + t.freeText()));
            tables.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tables", tables);
        out.put("databaseBytes", count("SELECT pg_database_size(current_database())"));
        out.put("databaseBytesLimit", settings.databaseBytesLimit().toBytes());
        last = out;
        return out;
    }

    private long count(String sql) {
        Long n = jdbc.getJdbcOperations().queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

    private double value(String table, String field) {
        Object tables = last.get("tables");
        if (tables instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m && table.equals(m.get("table"))) {
                    return number(m.get(field));
                }
            }
        }
        return Double.NaN;
    }

    private double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
