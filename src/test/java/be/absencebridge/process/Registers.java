package be.absencebridge.process;

import be.absencebridge.domain.FlemishSchoolCalendar;
import be.absencebridge.domain.HalfDay;
import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The two simulated registers as a school's people fill them in, and the comparison that says whether they hold
 * the same official codes: for every pupil and half-day, Smartschool's code equals Informat's code brought back
 * to its official main code (subcodes {@code Z01}, {@code R03}), and a Smartschool {@code |} (present) matches
 * an empty Informat half-day (or a stored {@code |} of a non-compulsory kindergarten pupil).
 */
public final class Registers {

    /** A pupil known to both packages, by the keys the bridge matches on. */
    public record Pupil(String internalNumber, String personId, String institutionNumber, String registrationNumber,
                        boolean kindergarten) {
        String key() {
            return institutionNumber + "/" + registrationNumber;
        }
    }

    private final Http sims;
    public final List<Pupil> pupils = new ArrayList<>();
    public final List<LocalDate> days;

    public Registers(Http sims) {
        this.sims = sims;
        Map<String, String> internal = new HashMap<>();
        for (JsonNode p : sims.get("/sim/smartschool/admin/pupils").json()) {
            internal.put(p.path("institutionNumber").asText() + "/" + p.path("registrationNumber").asText(),
                    p.path("internalNumber").asText());
        }
        for (JsonNode s : sims.get("/sim/informat/admin/students").json()) {
            String key = s.path("instituteNo").asText() + "/" + s.path("studentNo").asText();
            if (s.path("endDate").isNull() && s.path("startDate").asText().compareTo("2026-09-01") <= 0 && internal.containsKey(key)) {
                pupils.add(new Pupil(internal.get(key), s.path("personId").asText(), s.path("instituteNo").asText(),
                        s.path("studentNo").asText(), s.path("level").asText().equals("kleuter")));
            }
        }
        // the two most recent instruction days: within the Smartschool poller's reach (bridge.pollers.smartschool-days)
        FlemishSchoolCalendar calendar = new FlemishSchoolCalendar(be.absencebridge.domain.SchoolYear.parse("2026-27"));
        this.days = calendar.instructionDaysUpTo(LocalDate.now(), 2);
    }

    /**
     * One registration by a person, in a random package, of a code both packages accept for that pupil. Smartschool
     * is never asked to clear a half-day: its SOAP read cannot show a clear, so a clear pushed while the bridge is
     * down could not be found again (README "What is guaranteed"). Returns the key registered.
     */
    public String registerRandom(List<Pupil> among) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        Pupil p = among.get(r.nextInt(among.size()));
        LocalDate date = days.get(r.nextInt(days.size()));
        HalfDay part = r.nextBoolean() ? HalfDay.AM : HalfDay.PM;
        if (date.getDayOfWeek() == java.time.DayOfWeek.WEDNESDAY) {
            part = HalfDay.AM;
        }
        return register(p, date, part, true);
    }

    /** Every instruction half-day of the days, for each pupil, in a random order: keys to register once each. */
    public List<Object[]> shuffledHalfDays(List<Pupil> among) {
        List<Object[]> out = new ArrayList<>();
        for (Pupil p : among) {
            for (LocalDate d : days) {
                out.add(new Object[] {p, d, HalfDay.AM});
                if (d.getDayOfWeek() != java.time.DayOfWeek.WEDNESDAY) {
                    out.add(new Object[] {p, d, HalfDay.PM});
                }
            }
        }
        java.util.Collections.shuffle(out);
        return out;
    }

    /** One registration of a code for that half-day in a random package; {@code allowClear}: Informat may clear. */
    public String register(Pupil p, LocalDate date, HalfDay part, boolean allowClear) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        if (r.nextBoolean()) {
            String[][] options = {{"Z", null}, {"Z", "ZM"}, {"R", null}, {"R", "RB"}, {"B", null}, {"P", null}, {"|", null}};
            String[] o = options[r.nextInt(options.length)];
            Map<String, Object> body = new HashMap<>();
            body.put("internalNumber", p.internalNumber());
            body.put("date", date.toString());
            body.put("part", part.smartschool());
            body.put("code", o[0]);
            body.put("alias", o[1]);
            body.put("registeredBy", "leerkracht");
            expectOk(sims.postJson("/sim/smartschool/admin/register", body));
        } else {
            String[] codes = {"Z", "Z01", "R", "R03", "B", "P", null};
            Map<String, Object> body = new HashMap<>();
            body.put("personId", p.personId());
            body.put("date", date.toString());
            body.put("partOfDay", part.informat());
            body.put("absenceCode", codes[r.nextInt(allowClear ? codes.length : codes.length - 1)]);
            expectOk(sims.postJson("/sim/informat/admin/register", body));
        }
        return p.key() + " " + date + " " + part;
    }

    private static void expectOk(Http.Response r) {
        if (r.status() / 100 != 2) {
            throw new IllegalStateException("registration refused: " + r.status() + " " + r.text());
        }
    }

    /** The keys whose official codes differ between the two packages, with both sides' values. */
    public Map<String, String> differences() {
        Map<String, String> out = new TreeMap<>();
        Map<String, Pupil> byInternal = new HashMap<>();
        Map<String, Pupil> byPerson = new HashMap<>();
        pupils.forEach(p -> {
            byInternal.put(p.internalNumber(), p);
            byPerson.put(p.personId(), p);
        });
        for (LocalDate date : days) {
            Map<String, String> smartschool = new HashMap<>();
            for (JsonNode c : sims.get("/sim/smartschool/admin/register?date=" + date).json()) {
                Pupil p = byInternal.get(c.path("internalNumber").asText());
                if (p != null) {
                    smartschool.put(p.key() + " " + date + " " + HalfDay.fromSmartschool(c.path("part").asText()), c.path("code").asText());
                }
            }
            Map<String, String> informat = new HashMap<>();
            for (JsonNode a : sims.get("/sim/informat/admin/register?date=" + date).json()) {
                Pupil p = byPerson.get(a.path("personId").asText());
                if (p != null) {
                    informat.put(p.key() + " " + date + " " + HalfDay.fromInformat(a.path("partOfDay").asText()),
                            official(a.path("absenceCode").asText()));
                }
            }
            TreeSet<String> keys = new TreeSet<>(smartschool.keySet());
            keys.addAll(informat.keySet());
            for (String key : keys) {
                String s = smartschool.get(key);
                String i = informat.get(key);
                boolean same = s == null ? i == null
                        : s.equals("|") ? (i == null || i.equals("|")) : s.equals(i);
                if (!same) {
                    out.put(key, "smartschool=" + s + " informat=" + i);
                }
            }
        }
        return out;
    }

    private static String official(String informatCode) {
        return switch (informatCode) {
            case "Z01" -> "Z";
            case "R03" -> "R";
            default -> informatCode;
        };
    }

    /** What the link wrote into the simulator of {@code system}: linkWrites, distinctKeys, repeatedKeyCount. */
    public JsonNode linkWrites(String system) {
        return sims.get("/sim/" + system + "/admin/stats").json();
    }
}
