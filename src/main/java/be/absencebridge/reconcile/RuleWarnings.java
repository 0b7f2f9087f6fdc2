package be.absencebridge.reconcile;

import be.absencebridge.domain.HalfDay;
import be.absencebridge.domain.SchoolYear;
import be.absencebridge.exchange.translate.CodeMappings;
import be.absencebridge.vendor.informat.InformatCalendar;
import be.absencebridge.vendor.informat.InformatDirectory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.sql.Date;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The attendance rules a register must respect (DOMAIN.md "Rules that the attendance register must respect"), as
 * warnings over what the bridge decided; they never block the exchange. Per institution and school year:
 * <ul>
 *   <li>{@code PARENTS_NOTE_TOO_LONG}: a parents' sick note (a {@code Z} whose alias, subcode or plain code the mapping
 *   table marks {@code means: parents-note}) covering more than 3 consecutive calendar days; a note is a run of such
 *   half-days with no instruction half-day between them without one (a weekend inside it counts: calendar days);</li>
 *   <li>{@code PARENTS_NOTES_OVER_4}: more than 4 such notes in the school year;</li>
 *   <li>both for pupils of compulsory school age only;</li>
 *   <li>{@code PROBLEMATIC_ABSENCE_PRIMARY}: a primary pupil with 5 or more half-days of {@code B}.</li>
 * </ul>
 * Pupils are named by institution and registration number only.
 */
@Component("ruleWarnings")
public class RuleWarnings {

    public static final String PARENTS_NOTE = "parents-note";
    private static final int MAX_NOTE_DAYS = 3;
    private static final int MAX_NOTES = 4;
    private static final int PRIMARY_B_HALF_DAYS = 5;

    private final NamedParameterJdbcTemplate jdbc;
    private final CodeMappings mappings;
    private final InformatDirectory informat;
    private final InformatCalendar calendar;

    public RuleWarnings(NamedParameterJdbcTemplate jdbc, CodeMappings mappings, InformatDirectory informat, InformatCalendar calendar) {
        this.jdbc = jdbc;
        this.mappings = mappings;
        this.informat = informat;
        this.calendar = calendar;
    }

    private record Slot(LocalDate date, HalfDay part) {
    }

    /** {@code [{"rule","institutionNumber","registrationNumber","count","dates"}]}, by registration number. */
    public List<Map<String, Object>> of(String institution, SchoolYear year) throws IOException {
        // the instruction half-days in order: a note runs over consecutive ones
        List<Slot> slots = new ArrayList<>();
        calendar.halfDays(year).forEach((date, parts) -> parts.stream().sorted().forEach(p -> slots.add(new Slot(date, p))));
        Map<Slot, Integer> order = new HashMap<>();
        for (int i = 0; i < slots.size(); i++) {
            order.put(slots.get(i), i);
        }
        Map<String, List<Slot>> notes = new TreeMap<>();
        Map<String, TreeSet<LocalDate>> problematic = new TreeMap<>();
        Map<String, Integer> problematicHalfDays = new HashMap<>();
        jdbc.query("""
                SELECT registration_number, date, part, official_code, source_code FROM decision
                WHERE institution_number = :inst AND date BETWEEN :from AND :to AND official_code IN ('Z', 'B')
                ORDER BY registration_number, date, part""", new MapSqlParameterSource("inst", institution)
                .addValue("from", Date.valueOf(year.firstDay())).addValue("to", Date.valueOf(year.lastDay())), rs -> {
            String reg = rs.getString(1);
            Slot slot = new Slot(rs.getDate(2).toLocalDate(), HalfDay.valueOf(rs.getString(3)));
            if ("Z".equals(rs.getString(4))) {
                String own = rs.getString(5) != null ? rs.getString(5) : rs.getString(4);
                if (PARENTS_NOTE.equals(mappings.means(institution, own))) {
                    notes.computeIfAbsent(reg, k -> new ArrayList<>()).add(slot);
                }
            } else {
                problematic.computeIfAbsent(reg, k -> new TreeSet<>()).add(slot.date());
                problematicHalfDays.merge(reg, 1, Integer::sum);
            }
        });
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<String, List<Slot>> e : notes.entrySet()) {
            InformatDirectory.Student s = informat.student(institution, e.getKey());
            if (s == null || s.dateOfBirth() == null || !year.isCompulsory(s.dateOfBirth())) {
                continue;
            }
            List<List<Slot>> runs = runs(e.getValue(), order);
            for (List<Slot> run : runs) {
                long days = ChronoUnit.DAYS.between(run.get(0).date(), run.get(run.size() - 1).date()) + 1;
                if (days > MAX_NOTE_DAYS) {
                    out.add(warning("PARENTS_NOTE_TOO_LONG", institution, e.getKey(), days,
                            run.stream().map(Slot::date).distinct().toList()));
                }
            }
            if (runs.size() > MAX_NOTES) {
                out.add(warning("PARENTS_NOTES_OVER_4", institution, e.getKey(), runs.size(),
                        runs.stream().map(r -> r.get(0).date()).toList()));
            }
        }
        for (Map.Entry<String, Integer> e : problematicHalfDays.entrySet()) {
            InformatDirectory.Student s = informat.student(institution, e.getKey());
            if (s != null && "lager".equals(s.level()) && e.getValue() >= PRIMARY_B_HALF_DAYS) {
                out.add(warning("PROBLEMATIC_ABSENCE_PRIMARY", institution, e.getKey(), e.getValue(),
                        List.copyOf(problematic.get(e.getKey()))));
            }
        }
        return out;
    }

    /** Half-days grouped into notes: a new note starts where an instruction half-day between two is not one of them. */
    private static List<List<Slot>> runs(List<Slot> halfDays, Map<Slot, Integer> order) {
        List<List<Slot>> runs = new ArrayList<>();
        int last = Integer.MIN_VALUE;
        for (Slot s : halfDays) {
            Integer at = order.get(s);
            if (at == null) {
                continue; // not an instruction half-day (Informat's calendar changed since)
            }
            if (runs.isEmpty() || at != last + 1) {
                runs.add(new ArrayList<>());
            }
            runs.get(runs.size() - 1).add(s);
            last = at;
        }
        return runs;
    }

    private static Map<String, Object> warning(String rule, String institution, String registration, long count, List<LocalDate> dates) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("rule", rule);
        w.put("institutionNumber", institution);
        w.put("registrationNumber", registration);
        w.put("count", count);
        w.put("dates", dates.stream().map(LocalDate::toString).toList());
        return w;
    }
}
