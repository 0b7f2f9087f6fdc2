package be.absencebridge.process;

import be.absencebridge.domain.FlemishSchoolCalendar;
import be.absencebridge.domain.HalfDay;
import be.absencebridge.domain.Presence;
import be.absencebridge.domain.SchoolYear;
import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A school year of history of a school board, written straight into the bridge's database in bulk ({@code INSERT ...
 * SELECT} over the board's pupils and the year's instruction half-days), in the shape the bridge's own statements leave
 * per registration (BenchIT's calibration registers the same mix through the running bridge and compares the rows per
 * table): every pupil is registered once on every instruction half-day, in Smartschool by the teacher in the morning or
 * the afternoon; most are presences, a few are absences registered in Smartschool (a motivation on some) or in Informat
 * by the secretariat (a remark on some). Per registration, as the exchange writes them:
 * <ul>
 *   <li>the push in the inbox ({@code WEBHOOK}), processed; the Smartschool poller's read of the half-day ({@code POLL},
 *   decided {@code DUPLICATE}, or {@code ECHO} when it shows the bridge's write from Informat); Informat's change feed's
 *   item of the bridge's write ({@code POLL}, {@code ECHO}) where Informat stores it (absences, and presences of
 *   kindergarten pupils below compulsory school age);</li>
 *   <li>the decision; the outbox row to the other package, delivered ({@code DONE}, {@code DELIVERED}, Informat's
 *   {@code saved} or {@code nothing to clear});</li>
 *   <li>the audit: {@code FORWARDED}, {@code DELIVERED}, and one row per echo or read;</li>
 *   <li>the register read's cell ({@code smartschool_read}) and its day ({@code smartschool_read_day}).</li>
 * </ul>
 * Times: the morning's registrations between 08:20 and 08:55, the afternoon's between 13:10 and 13:45 (Brussels), the
 * exchange's rows a fraction of a second later, the read 30 seconds later; inbox, outbox and audit rows are inserted in
 * time order (their BRIN indexes and the retention's walks rely on it), with their real indexes in place.
 */
final class YearOfHistory {

    /** A pupil of the board, with both packages' keys. */
    record Pupil(String institution, String registration, String platform, String username, String internalNumber,
                 String personId, int location, boolean presenceStored) {
    }

    /** What one registration is (the same choice in the fill, in SQL, and in the calibration, here). */
    enum Kind {
        /** A presence registered in Smartschool; Informat stores nothing (an empty half-day means present). */
        PRESENCE,
        /** A presence of a kindergarten pupil below compulsory school age: Informat stores it, its feed echoes it. */
        STORED_PRESENCE,
        /** An absence registered in Smartschool, a motivation on some. */
        SMARTSCHOOL_ABSENCE,
        /** An absence registered in Informat by the secretariat, a remark on some. */
        INFORMAT_ABSENCE
    }

    /** Per thousand registrations: presences up to 940, then Smartschool's absences up to 970, then Informat's. */
    static final int PRESENCES = 940;
    static final int SMARTSCHOOL_ABSENCES = 30;

    /** Smartschool's absence codes, 20 slots: sick 55%, late 15%, lawful 10%, personal 10%, problematic 10%. */
    static final String[] SMARTSCHOOL_CODES = {"Z", "Z", "Z", "Z", "Z", "Z", "Z", "Z", "Z", "Z", "Z", "L", "L", "L", "R", "R", "P", "P", "B", "B"};
    /** Informat's codes, 10 slots: sick with the branch's subcode 50% (Smartschool Z with alias ZM), lawful 30%, personal 20%. */
    static final String[] INFORMAT_CODES = {"Z01", "Z01", "Z01", "Z01", "Z01", "R", "R", "R", "P", "P"};
    /** Free text as people write it in a motivation or a remark. */
    static final String[] TEXTS = {
            "Ziek, briefje van de ouders volgt",
            "Griep, moeder belde om 8u10",
            "Doktersbezoek, komt na de middag naar school",
            "Tandarts om 10u30",
            "Medisch attest afgegeven op het secretariaat (3 dagen)",
            "Begrafenis grootvader",
            "Familiale omstandigheden, zie gesprek met de zorgcoördinator",
            "Te laat: de bus had vertraging",
            "Sportwedstrijd (topsportstatuut), attest volgt",
            "Ziekenhuisopname, de ouders verwittigen de klastitularis",
            "Consultatie CLB",
            "Hoofdpijn, opgehaald door vader om 11u"};

    private YearOfHistory() {
    }

    /**
     * The board: the simulators' pupils known to both packages and enrolled all year first (the steady traffic's people,
     * with their real keys), then as many more as {@code size} asks, in institutions of 1,000 pupils on platforms of their
     * own, a fifth of them kindergarten pupils below compulsory school age (about the simulators' share). Whether a
     * pupil's presence is stored in Informat is taken on {@code on}.
     */
    static List<Pupil> board(Http sims, int size, LocalDate on) {
        Map<String, JsonNode> smartschool = new LinkedHashMap<>();
        for (JsonNode p : sims.get("/sim/smartschool/admin/pupils").json()) {
            smartschool.put(p.path("institutionNumber").asText() + "/" + p.path("registrationNumber").asText(), p);
        }
        List<Pupil> out = new ArrayList<>();
        for (JsonNode s : sims.get("/sim/informat/admin/students").json()) {
            JsonNode ss = smartschool.get(s.path("instituteNo").asText() + "/" + s.path("studentNo").asText());
            // enrolled the whole school year (a pupil who came later or left is registered on part of it only)
            boolean wholeYear = s.path("endDate").isNull()
                    && s.path("startDate").asText().compareTo(SchoolYear.of(on).firstDay().toString()) <= 0;
            if (ss == null || !wholeYear || out.size() >= size) {
                continue;
            }
            out.add(new Pupil(s.path("instituteNo").asText(), s.path("studentNo").asText(), ss.path("platform").asText(),
                    ss.path("username").asText(), ss.path("internalNumber").asText(), s.path("personId").asText(),
                    s.path("locationIdDiscimus").asInt(), Presence.storedInInformat(s.path("level").asText(),
                    LocalDate.parse(s.path("dateOfBirth").asText()), on)));
        }
        for (int i = out.size(); i < size; i++) {
            int institution = i / 1000;
            String personId = HexFormat.of().formatHex(md5("person-" + i));
            out.add(new Pupil(String.valueOf(900_000 + institution), String.valueOf(1 + i % 1000), "board" + institution,
                    "leerling" + (100_000 + i), String.valueOf(100_000 + i),
                    personId.substring(0, 8) + "-" + personId.substring(8, 12) + "-4" + personId.substring(13, 16) + "-8"
                            + personId.substring(17, 20) + "-" + personId.substring(20, 32),
                    20_000 + institution, i % 10 < 2));
        }
        return out;
    }

    /** The kind of registration number {@code n} of a pupil (the fill's SQL chooses the same: {@link #KIND_SQL}). */
    static Kind kind(long n, boolean presenceStored) {
        if (presenceStored) {
            return Kind.STORED_PRESENCE;
        }
        int h1 = hash(n, 0) % 1000;
        return h1 < PRESENCES ? Kind.PRESENCE : h1 < PRESENCES + SMARTSCHOOL_ABSENCES ? Kind.SMARTSCHOOL_ABSENCE : Kind.INFORMAT_ABSENCE;
    }

    /** A Smartschool absence's code for registration {@code n}. */
    static String smartschoolCode(long n) {
        return SMARTSCHOOL_CODES[hash(n, 8) % 20];
    }

    /** An Informat absence's code for registration {@code n}. */
    static String informatCode(long n) {
        return INFORMAT_CODES[hash(n, 8) % 10];
    }

    /** The motivation or remark of registration {@code n}, or null (40% of Smartschool's absences, half of Informat's). */
    static String text(long n, Kind kind) {
        int h2 = hash(n, 8);
        boolean has = kind == Kind.SMARTSCHOOL_ABSENCE ? (h2 / 20) % 10 < 4 : kind == Kind.INFORMAT_ABSENCE && (h2 / 20) % 2 == 0;
        return has ? TEXTS[(h2 / 200) % TEXTS.length] : null;
    }

    /** 31 bits of md5(n as decimal text) from hex digit {@code at} on: the SQL's {@code ('x' || substr(md5(n::text), at + 1, 8))::bit(32)::int & 2147483647}. */
    static int hash(long n, int at) {
        String hex = HexFormat.of().formatHex(md5(Long.toString(n)));
        return (int) Long.parseLong(hex.substring(at, at + 8), 16) & 0x7fffffff;
    }

    private static byte[] md5(String s) {
        try {
            return MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String H1 = "((('x' || substr(md5(n::text), 1, 8))::bit(32)::int & 2147483647) % 1000)";
    private static final String H2 = "(('x' || substr(md5(n::text), 9, 8))::bit(32)::int & 2147483647)";
    private static final String KIND_SQL = "CASE WHEN stored THEN 'K' WHEN " + H1 + " < " + PRESENCES + " THEN 'P' WHEN " + H1
            + " < " + (PRESENCES + SMARTSCHOOL_ABSENCES) + " THEN 'S' ELSE 'I' END";

    /** What {@link #fill} wrote: registrations, rows per table, seconds. */
    record Filled(long registrations, Map<String, Long> rows, double seconds, double vacuumSeconds) {
    }

    /** The tables a registration writes to, as the calibration and the fill count them. */
    static final List<String> TABLES = List.of("inbox", "outbox", "decision", "audit", "dead_letter", "smartschool_read",
            "smartschool_read_day");

    /**
     * Fills the database (migrated, empty) with the school year {@code year} of the board, five instruction days per
     * statement and table, then {@code VACUUM (ANALYZE)} as autovacuum would have left a database that ran a year; prints
     * its progress.
     */
    static Filled fill(String jdbcUrl, List<Pupil> board, SchoolYear year) throws Exception {
        List<LocalDate> days = new ArrayList<>(new java.util.TreeSet<>(new FlemishSchoolCalendar(year).instructionHalfDays().stream()
                .map(FlemishSchoolCalendar.HalfDaySlot::date).toList()));
        int size = board.size();
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres"); Statement st = c.createStatement()) {
            st.execute("SET TIME ZONE 'Europe/Brussels'");
            st.execute("""
                    CREATE TEMP TABLE h_pupil (no int PRIMARY KEY, inst text, reg text, platform text, username text, internal text,
                                               person_id text, location int, stored boolean)""");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO h_pupil VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < size; i++) {
                    Pupil p = board.get(i);
                    ps.setInt(1, i);
                    ps.setString(2, p.institution());
                    ps.setString(3, p.registration());
                    ps.setString(4, p.platform());
                    ps.setString(5, p.username());
                    ps.setString(6, p.internalNumber());
                    ps.setString(7, p.personId());
                    ps.setInt(8, p.location());
                    ps.setBoolean(9, p.presenceStored());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            st.execute("CREATE TEMP TABLE h_day (no int PRIMARY KEY, date date, has_pm boolean)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO h_day VALUES (?, ?, ?)")) {
                FlemishSchoolCalendar calendar = new FlemishSchoolCalendar(year);
                for (int i = 0; i < days.size(); i++) {
                    ps.setInt(1, i);
                    ps.setObject(2, days.get(i));
                    ps.setBoolean(3, calendar.isInstruction(days.get(i), HalfDay.PM));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            st.execute("ANALYZE h_pupil");
            st.execute("ANALYZE h_day");
            // one registration per pupil and instruction half-day: n orders them by day, half-day and pupil (time order)
            st.execute("""
                    CREATE TEMP VIEW h_raw AS
                    SELECT (d.no * 2 + pt.part_no)::bigint * %1$d + p.no AS n, d.no AS day_no, d.date, pt.part_no, p.*,
                           (d.date + CASE pt.part_no WHEN 0 THEN time '08:20' ELSE time '13:10' END) AT TIME ZONE 'Europe/Brussels'
                               + make_interval(secs => p.no * 2100.0 / %1$d) AS t
                    FROM h_day d CROSS JOIN (VALUES (0), (1)) AS pt(part_no) CROSS JOIN h_pupil p
                    WHERE pt.part_no = 0 OR d.has_pm""".formatted(size));
            st.execute("""
                    CREATE TEMP VIEW h_kind AS
                    SELECT r.*, %s AS kind, %s AS h2 FROM h_raw r""".formatted(KIND_SQL, H2));
            String ssCodes = sqlArray(SMARTSCHOOL_CODES);
            String infCodes = sqlArray(INFORMAT_CODES);
            String texts = sqlArray(TEXTS);
            st.execute("""
                    CREATE TEMP VIEW h_reg AS
                    SELECT k.*,
                           CASE k.part_no WHEN 0 THEN 'AM' ELSE 'PM' END AS part,
                           CASE k.part_no WHEN 0 THEN 'am' ELSE 'pm' END AS ss_part,
                           CASE k.part_no WHEN 0 THEN 'VM' ELSE 'NM' END AS inf_part,
                           CASE k.kind WHEN 'S' THEN (%1$s)[k.h2 %% 20 + 1] WHEN 'I' THEN (%2$s)[k.h2 %% 10 + 1] ELSE '|' END AS code,
                           CASE k.kind WHEN 'S' THEN CASE WHEN (k.h2 / 20) %% 10 < 4 THEN (%3$s)[(k.h2 / 200) %% %4$d + 1] END
                                       WHEN 'I' THEN CASE WHEN (k.h2 / 20) %% 2 = 0 THEN (%3$s)[(k.h2 / 200) %% %4$d + 1] END END AS text,
                           to_char(k.t, 'YYYY-MM-DD"T"HH24:MI:SS.MSTZH:TZM') AS t_local,
                           k.t + interval '300 milliseconds' AS t_decided,
                           k.t + interval '500 milliseconds' AS t_done,
                           k.t + interval '30 seconds' AS t_read
                    FROM h_kind k""".formatted(ssCodes, infCodes, texts, TEXTS.length));
            // the official code, each package's code and alias
            st.execute("""
                    CREATE TEMP VIEW h AS
                    SELECT r.*,
                           CASE WHEN r.code = 'Z01' THEN 'Z' ELSE r.code END AS official,
                           CASE WHEN r.code = 'Z01' THEN 'Z' ELSE r.code END AS ss_code,
                           CASE WHEN r.code = 'Z01' THEN 'ZM' END AS ss_alias,
                           CASE r.kind WHEN 'I' THEN 'informat-to-smartschool' ELSE 'smartschool-to-informat' END AS direction,
                           CASE r.kind WHEN 'I' THEN 'SMARTSCHOOL' ELSE 'INFORMAT' END AS target,
                           CASE r.kind WHEN 'P' THEN 'nothing to clear' ELSE 'saved' END AS outcome
                    FROM h_reg r""");
            // five instruction days at a time: their registrations computed once (h_chunk), then each table's rows
            Map<String, Double> spent = new LinkedHashMap<>();
            for (int from = 0; from < days.size(); from += 5) {
                int to = Math.min(days.size() - 1, from + 4);
                timed(spent, "registrations", st, "CREATE TEMP TABLE h_chunk AS SELECT * FROM h WHERE day_no BETWEEN " + from + " AND " + to);
                timed(spent, "inbox", st, INBOX);
                timed(spent, "decision", st, DECISIONS);
                timed(spent, "outbox", st, OUTBOX);
                timed(spent, "audit", st, AUDIT);
                timed(spent, "smartschool_read", st, READS);
                st.execute("DROP TABLE h_chunk");
                if (to == days.size() - 1 || (from / 5) % 4 == 3) {
                    System.out.printf("history: %s to %s filled, %.0f s%n", days.get(0), days.get(to), (System.nanoTime() - start) / 1e9);
                }
            }
            Map<String, Long> rounded = new LinkedHashMap<>();
            spent.forEach((k, v) -> rounded.put(k, Math.round(v)));
            System.out.println("history: seconds per table " + rounded);
            // one decision per registration (its inbox rows: the push, the echo, the read, ids 3n+1 to 3n+3)
            long registrations = count(st, "SELECT count(*) FROM decision");
            st.execute("""
                    INSERT INTO smartschool_read_day (platform, date, read_at)
                    SELECT DISTINCT p.platform, d.date, (d.date + 4 + time '16:00') AT TIME ZONE 'Europe/Brussels' FROM h_pupil p CROSS JOIN h_day d""");
            st.execute("SELECT setval('inbox_id_seq', (SELECT max(id) FROM inbox))");
            st.execute("SELECT setval('outbox_id_seq', (SELECT max(id) FROM outbox))");
            double seconds = (System.nanoTime() - start) / 1e9;
            long vacuumStart = System.nanoTime();
            for (String t : TABLES) {
                st.execute("VACUUM (ANALYZE) " + t);
            }
            double vacuumSeconds = (System.nanoTime() - vacuumStart) / 1e9;
            Map<String, Long> rows = new TreeMap<>();
            for (String t : TABLES) {
                rows.put(t, count(st, "SELECT count(*) FROM " + t));
            }
            return new Filled(registrations, rows, seconds, vacuumSeconds);
        }
    }

    private static void timed(Map<String, Double> spent, String what, Statement st, String sql) throws java.sql.SQLException {
        long t0 = System.nanoTime();
        st.execute(sql);
        spent.merge(what, (System.nanoTime() - t0) / 1e9, Double::sum);
    }

    private static long count(Statement st, String sql) throws java.sql.SQLException {
        try (java.sql.ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String sqlArray(String[] values) {
        StringBuilder b = new StringBuilder("ARRAY[");
        for (int i = 0; i < values.length; i++) {
            b.append(i > 0 ? "," : "").append('\'').append(values[i].replace("'", "''")).append('\'');
        }
        return b.append("]::text[]").toString();
    }

    /** The push, Informat's echo of the bridge's write, the register read: in time order. Returns the pushes' count. */
    private static final String INBOX = """
            WITH x AS (
                SELECT 3 * n + 1 AS id, CASE kind WHEN 'I' THEN 'INFORMAT' ELSE 'SMARTSCHOOL' END AS source,
                       CASE kind WHEN 'I' THEN 'feed2:' ELSE 'soap:' END || md5(n || 'w') AS source_event_id, 'WEBHOOK' AS received_via,
                       CASE kind WHEN 'I' THEN jsonb_build_object('date', date::text, 'remark', text, 'deleted', false,
                                     'eventId', md5(n || 'u')::uuid::text, 'personId', person_id, 'partOfDay', inf_part,
                                     'studentNo', reg, 'timestamp', t_local, 'absenceCode', code, 'instituteNo', inst,
                                     'registeredBy', 'secretariaat', 'locationIdDiscimus', location)
                                 ELSE jsonb_build_object('code', ss_code, 'date', date::text, 'part', ss_part, 'alias', NULL,
                                     'eventId', md5(n || 'u')::uuid::text, 'platform', platform, 'username', username,
                                     'motivation', text, 'registeredAt', t_local, 'registeredBy', 'leerkracht',
                                     'internalNumber', internal, 'institutionNumber', inst, 'registrationNumber', reg) END AS payload,
                       t + interval '10 milliseconds' AS received_at, t + interval '10010 milliseconds' AS retry_at,
                       t_decided AS processed_at
                FROM h_chunk
                UNION ALL
                SELECT 3 * n + 2, 'INFORMAT', 'feed2:' || md5(n || 'e'), 'POLL',
                       jsonb_build_object('date', date::text, 'remark', text, 'deleted', false, 'eventId', 'feed2:' || md5(n || 'e'),
                           'personId', person_id, 'partOfDay', inf_part, 'studentNo', reg, 'timestamp', t_local,
                           'absenceCode', code, 'instituteNo', inst, 'registeredBy', 'absence-bridge', 'locationIdDiscimus', location),
                       t + interval '4 seconds', t + interval '4 seconds', t + interval '4 seconds'
                FROM h_chunk WHERE kind IN ('K', 'S')
                UNION ALL
                SELECT 3 * n + 3, 'SMARTSCHOOL', 'soap:' || md5(n || 'p'), 'POLL',
                       jsonb_build_object('code', ss_code, 'date', date::text, 'part', ss_part, 'alias', ss_alias,
                           'eventId', 'soap:' || md5(n || 'p'),
                           'observed', CASE kind WHEN 'I'
                               THEN jsonb_build_object('readAt', to_char(t_read AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                                   'username', username, 'lastWrite', to_char(t_done AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                               ELSE jsonb_build_object('readAt', to_char(t_read AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                                   'username', username) END,
                           'platform', platform, 'motivation', NULL,
                           'registeredAt', to_char((t - interval '5 seconds') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                           'registeredBy', NULL, 'internalNumber', internal, 'institutionNumber', inst, 'registrationNumber', reg),
                       t_read, t_read + interval '10 seconds', t_read + interval '30 milliseconds'
                FROM h_chunk)
            INSERT INTO inbox (id, source, source_event_id, received_via, payload, received_at, retry_at, processed_at)
            SELECT id, source, source_event_id, received_via, payload, received_at, retry_at, processed_at FROM x ORDER BY received_at""";

    private static final String DECISIONS = """
            INSERT INTO decision (institution_number, registration_number, date, part, official_code, registered_at, source,
                                  source_rank, inbox_id, backfill_id, decided_at, source_code)
            SELECT inst, reg, date, part, official, t, CASE kind WHEN 'I' THEN 'INFORMAT' ELSE 'SMARTSCHOOL' END,
                   CASE kind WHEN 'I' THEN 2 ELSE 1 END, 3 * n + 1, NULL, t_decided, code FROM h_chunk ORDER BY n""";

    private static final String OUTBOX = """
            INSERT INTO outbox (id, target, institution_number, registration_number, date, part, record, state, attempts,
                                next_attempt_at, locked_until, outcome, created_at, done_at, result)
            SELECT n + 1, target, inst, reg, date, part,
                   jsonb_build_object('date', date::text, 'part', part, 'text', text, 'target', target, 'backfillId', NULL,
                       'informatCode', code, 'officialCode', official, 'registeredAt', t_local, 'correlationId', 'in-' || (3 * n + 1),
                       'smartschoolCode', ss_code, 'smartschoolAlias', ss_alias, 'institutionNumber', inst, 'registrationNumber', reg),
                   'DONE', 1, t_decided, NULL, outcome, t_decided, t_done, 'DELIVERED' FROM h_chunk ORDER BY n""";

    private static final String AUDIT = """
            WITH x AS (
                SELECT t_decided AS at, 'in-' || (3 * n + 1) AS correlation_id, direction, inst, reg, date, part, 'FORWARDED' AS decision,
                       official, t AS registered_at, NULL AS detail FROM h_chunk
                UNION ALL
                SELECT t_done, 'in-' || (3 * n + 1), direction, inst, reg, date, part, 'DELIVERED', official, t, outcome FROM h_chunk
                UNION ALL
                SELECT t + interval '4 seconds', 'in-' || (3 * n + 2), 'informat-to-smartschool', inst, reg, date, part, 'ECHO', official, t,
                       'registered by the bridge''s own account' FROM h_chunk WHERE kind IN ('K', 'S')
                UNION ALL
                SELECT t_read + interval '30 milliseconds', 'in-' || (3 * n + 3), 'smartschool-to-informat', inst, reg, date, part,
                       CASE kind WHEN 'I' THEN 'ECHO' ELSE 'DUPLICATE' END, official, t - interval '5 seconds',
                       CASE kind WHEN 'I' THEN 'the register read shows what the bridge wrote from informat'
                                 ELSE 'the register read shows what is decided' END FROM h_chunk)
            INSERT INTO audit (at, correlation_id, direction, institution_number, registration_number, date, part, decision, code,
                               registered_at, detail)
            SELECT * FROM x ORDER BY at""";

    private static final String READS = """
            INSERT INTO smartschool_read (platform, date, username, part, code, alias)
            SELECT platform, date, username, ss_part, ss_code, ss_alias FROM h_chunk ORDER BY n""";
}
