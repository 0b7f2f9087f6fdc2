package be.absencebridge.sim.informat;

import be.absencebridge.sim.support.SchoolCalendar;
import be.absencebridge.sim.support.SchoolCalendar.Slot;
import be.absencebridge.sim.support.SchoolYear;
import be.absencebridge.sim.Population;
import be.absencebridge.sim.Population.Branch;
import be.absencebridge.sim.Population.Pupil;
import be.absencebridge.sim.SimValidationException;
import be.absencebridge.sim.Timestamps;
import be.absencebridge.sim.informat.InformatSimulator.Absence;
import be.absencebridge.sim.informat.InformatSimulator.AbsenceWrite;
import be.absencebridge.sim.informat.InformatSimulator.FeedItem;
import be.absencebridge.sim.informat.InformatSimulator.LocationSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Informat would expose to the link and does not publish (the product's partner contract,
 * {@code contracts/informat-partner.yaml}): the change feed, the register of a day, the write with remark and clear for
 * every level, the branches with their switches and subcodes, the calendar, and the pupils the older pupil API lacks.
 * Writes and the register of a day need the same bearer token as the public API; the other reads take it when one is
 * given and are then limited to its institutes (a model choice: the partner contract leaves reads to the vendor's own
 * access rules).
 */
@RestController
@RequestMapping("/sim/informat/partner/v1")
@ConditionalOnProperty(name = "bridge.sim.enabled", havingValue = "true", matchIfMissing = true)
public class InformatPartnerController {

    private final InformatSimulator sim;
    private final InformatAuth auth;

    public InformatPartnerController(InformatSimulator sim, InformatAuth auth) {
        this.sim = sim;
        this.auth = auth;
    }

    @PutMapping("/students/{personId}/absences")
    public ResponseEntity<?> put(@PathVariable("personId") String personId,
                                 @RequestHeader(name = "Authorization", required = false) String authorization,
                                 @RequestHeader(name = "instituteNo", required = false) String instituteNo,
                                 @RequestBody AbsenceWrite body) {
        TokenStore.Token token = auth.forInstitute(authorization, instituteNo);
        return StudentApiController.answer(sim.put(instituteNo.trim(), StudentApiController.studentId(personId), body,
                token.clientId(), true));
    }

    @DeleteMapping("/students/{personId}/absences")
    public ResponseEntity<?> delete(@PathVariable("personId") String personId,
                                    @RequestHeader(name = "Authorization", required = false) String authorization,
                                    @RequestHeader(name = "instituteNo", required = false) String instituteNo,
                                    @RequestParam(name = "date", required = false) String date,
                                    @RequestParam(name = "partOfDay", required = false) String partOfDay,
                                    @RequestParam(name = "timestamp", required = false) String timestamp) {
        TokenStore.Token token = auth.forInstitute(authorization, instituteNo);
        boolean cleared = sim.delete(instituteNo.trim(), StudentApiController.studentId(personId), date, partOfDay, timestamp,
                token.clientId());
        return cleared ? ResponseEntity.ok().build() : ResponseEntity.noContent().build();
    }

    @GetMapping("/absences/changes")
    public Map<String, Object> changes(@RequestHeader(name = "Authorization", required = false) String authorization,
                                       @RequestParam(name = "since", required = false) String since,
                                       @RequestParam(name = "limit", required = false, defaultValue = "100") int limit) {
        TokenStore.Token token = auth.optional(authorization);
        if (limit < 1 || limit > 1000) {
            throw new SimValidationException("limit must be between 1 and 1000");
        }
        InformatSimulator.Page page = sim.changes(since, limit, token == null ? null : token.institutes());
        List<Map<String, Object>> items = new ArrayList<>(page.items().size());
        for (FeedItem f : page.items()) {
            items.add(InformatSimulator.feed(f));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("next", page.next());
        return body;
    }

    /**
     * {@code GET absences?date=&locationIdDiscimus=} (or {@code instituteNo=}): the register of one day as it stands, silent
     * corrections included and cleared half-days gone (CONTRACTS.md: the state a reconciliation compares; the change feed
     * is the history). Unlike the other reads it needs a token and the {@code instituteNo} header, the token covering that
     * institute (model choice: the register names pupils, and the partner contract gives every call the same token and
     * header; no vendor publishes this read). The branch asked for must be one of that institute's and a query's
     * {@code instituteNo} that institute: anything else is a 400, as is a date that is missing or not a date. A day
     * outside the seeded school years is an empty register. Items in the register's order: by person id, morning first
     * (model choice).
     */
    @GetMapping("/absences")
    public List<Map<String, Object>> register(@RequestHeader(name = "Authorization", required = false) String authorization,
                                              @RequestHeader(name = "instituteNo", required = false) String instituteNo,
                                              @RequestParam(name = "date", required = false) String date,
                                              @RequestParam(name = "locationIdDiscimus", required = false) String locationIdDiscimus,
                                              @RequestParam(name = "instituteNo", required = false) String instituteQuery) {
        auth.forInstitute(authorization, instituteNo);
        String institute = instituteNo.trim();
        LocalDate day = Timestamps.parseDate(date, "date");
        if ((locationIdDiscimus == null || locationIdDiscimus.isBlank()) && (instituteQuery == null || instituteQuery.isBlank())) {
            throw new SimValidationException("give locationIdDiscimus or instituteNo");
        }
        if (instituteQuery != null && !instituteQuery.isBlank() && !instituteQuery.trim().equals(institute)) {
            throw new SimValidationException("the instituteNo asked for is not the one of the instituteNo header");
        }
        Integer location = null;
        if (locationIdDiscimus != null && !locationIdDiscimus.isBlank()) {
            try {
                location = Integer.valueOf(locationIdDiscimus.trim());
            } catch (NumberFormatException e) {
                throw new SimValidationException("locationIdDiscimus must be an integer");
            }
            Branch branch = sim.population().branch(location);
            if (branch == null || !branch.institutionNumber().equals(institute)) {
                throw new SimValidationException("locationIdDiscimus " + location + " is no branch of institute " + institute);
            }
        }
        return register(sim, institute, location, day);
    }

    /** The day's register of an institute, of one of its branches when {@code location} is given. */
    static List<Map<String, Object>> register(InformatSimulator sim, String institute, Integer location, LocalDate date) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Absence a : sim.registerOf(date)) {
            // the enrolment of the absence's day names the pupil's institute and branch (a pupil who moved has several)
            Pupil p = InformatAdminController.enrolment(sim, a);
            if (p == null || !p.institutionNumber().equals(institute) || (location != null && p.locationIdDiscimus() != location)) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("personId", a.personId().toString());
            m.put("studentNo", p.registrationNumber());
            m.put("instituteNo", p.institutionNumber());
            m.put("locationIdDiscimus", p.locationIdDiscimus());
            m.put("date", a.date().toString());
            m.put("partOfDay", a.part().informat());
            m.put("absenceCode", a.code());
            m.put("remark", a.remark());
            m.put("timestamp", a.timestamp().toString());
            m.put("registeredBy", a.registeredBy());
            out.add(m);
        }
        return out;
    }

    @GetMapping("/students")
    public List<Map<String, Object>> students(@RequestHeader(name = "Authorization", required = false) String authorization,
                                              @RequestParam(name = "schoolYear", required = false) String schoolYear) {
        TokenStore.Token token = auth.optional(authorization);
        return students(sim, token == null ? null : token.institutes(), schoolYear);
    }

    @GetMapping("/locations")
    public List<Map<String, Object>> locations(@RequestHeader(name = "Authorization", required = false) String authorization) {
        TokenStore.Token token = auth.optional(authorization);
        return locations(sim, token == null ? null : token.institutes());
    }

    @GetMapping("/calendar")
    public List<Map<String, String>> calendar(@RequestHeader(name = "Authorization", required = false) String authorization,
                                              @RequestParam(name = "schoolYear", required = false) String schoolYear) {
        auth.optional(authorization);
        return calendar(sim, schoolYear);
    }

    // the same views for the simulator's controls (institutes null: all)

    static List<Map<String, Object>> students(InformatSimulator sim, Set<String> institutes, String schoolYear) {
        Population pop = sim.population();
        SchoolYear year = year(schoolYear, sim);
        if (!pop.covers(year)) {
            return List.of();
        }
        List<Map<String, Object>> out = new ArrayList<>(pop.pupils().size());
        // one item per enrolment (period) of the year: a pupil who moved appears once per period
        for (Pupil p : pop.pupils()) {
            if ((institutes != null && !institutes.contains(p.institutionNumber())) || !Population.overlaps(p, year)) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("personId", p.personId().toString());
            m.put("studentNo", p.registrationNumber());
            m.put("instituteNo", p.institutionNumber());
            m.put("locationIdDiscimus", p.locationIdDiscimus());
            m.put("dateOfBirth", p.dateOfBirth().toString());
            m.put("level", p.level().json());
            m.put("startDate", p.startDate().toString());
            m.put("endDate", p.endDate() == null ? null : p.endDate().toString());
            out.add(m);
        }
        return out;
    }

    static List<Map<String, Object>> locations(InformatSimulator sim, Set<String> institutes) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Branch b : sim.population().branches()) {
            if (institutes == null || institutes.contains(b.institutionNumber())) {
                out.add(location(sim, b));
            }
        }
        return out;
    }

    static Map<String, Object> location(InformatSimulator sim, Branch b) {
        LocationSettings s = sim.location(b.locationIdDiscimus());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("locationIdDiscimus", b.locationIdDiscimus());
        m.put("instituteNo", b.institutionNumber());
        m.put("name", b.name());
        m.put("smartschoolLink", s.smartschoolLink());
        m.put("exchangeAbsences", s.exchangeAbsences());
        m.put("discimusActive", s.discimusActive());
        m.put("subcodes", s.subcodes());
        return m;
    }

    static List<Map<String, String>> calendar(InformatSimulator sim, String schoolYear) {
        Population pop = sim.population();
        SchoolYear year = year(schoolYear, sim);
        SchoolCalendar cal = pop.calendar(year);
        List<Map<String, String>> out = new ArrayList<>(400);
        for (Slot slot : cal.instructionHalfDays()) {
            out.add(Map.of("date", slot.date().toString(), "partOfDay", slot.part().informat()));
        }
        return out;
    }

    /** The school year asked for (none: the population's current one by the clock); 400 for one that is not a school year. */
    static SchoolYear year(String schoolYear, InformatSimulator sim) {
        if (schoolYear == null || schoolYear.isBlank()) {
            return sim.currentYear();
        }
        try {
            return SchoolYear.parse(schoolYear);
        } catch (IllegalArgumentException e) {
            throw new SimValidationException(400, null, "schoolYear: " + e.getMessage());
        }
    }
}
