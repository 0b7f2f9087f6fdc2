package be.absencebridge.sim.informat;

import be.absencebridge.sim.support.SchoolYear;
import be.absencebridge.sim.Population;
import be.absencebridge.sim.Population.Branch;
import be.absencebridge.sim.Population.Pupil;
import be.absencebridge.sim.SimValidationException;
import be.absencebridge.sim.Timestamps;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Informat's older public pupil API ({@code https://leerlingenapi.informatsoftware.be}), the reads a link needs:
 * {@code 1/students}, {@code 1/students/{id}} and {@code 1/registrations}, with the field names of the public PHP client's
 * response classes, wrapped as {@code {"students": [...]}}, {@code {"student": {...}}} and {@code {"registrations": [...]}};
 * header {@code InstituteNo} and the identity server's bearer token. Names are synthetic (the population has none): the
 * bridge must read past them.
 * <p>
 * Every error is answered in the older API's own shape ({@link PupilApiError}), by this controller's own handlers, not
 * the simulators' shared problem bodies: 401 without a valid token; 400 {@code BR035A} without {@code InstituteNo},
 * {@code BR035B} with one that is not 6 digits; 403 when the token's scope does not cover the institute; 400
 * {@code BR034B} for a school year not written {@code yyyy-yy}; 400 {@code BR000} for a {@code changedSince},
 * {@code refdate} or student id that cannot be read as its type; 404 {@code DNF001} for a student id nobody has.
 */
@RestController
@RequestMapping("/sim/informat-leerlingen/1")
@ConditionalOnProperty(name = "bridge.sim.enabled", havingValue = "true", matchIfMissing = true)
public class PupilApiController {

    private final InformatSimulator sim;
    private final InformatAuth auth;

    public PupilApiController(InformatSimulator sim, InformatAuth auth) {
        this.sim = sim;
        this.auth = auth;
    }

    @GetMapping("/students")
    public Map<String, Object> students(@RequestHeader(name = "Authorization", required = false) String authorization,
                                        @RequestHeader(name = "InstituteNo", required = false) String instituteNo,
                                        @RequestParam(name = "schoolYear", required = false) String schoolYear,
                                        @RequestParam(name = "refdate", required = false) String refdate,
                                        @RequestParam(name = "changedSince", required = false) String changedSince) {
        String institute = institute(authorization, instituteNo);
        Population pop = sim.population();
        List<Map<String, Object>> out = new ArrayList<>();
        SchoolYear year = year(schoolYear);
        Instant since = changedSince == null || changedSince.isBlank() ? null : instant(changedSince);
        LocalDate ref = refdate == null || refdate.isBlank() ? null : within(date(refdate), year);
        if (pop.covers(year)) {
            for (Pupil p : pop.pupils()) {
                if (p.institutionNumber().equals(institute) && Population.overlaps(p, year) && (ref == null || p.enrolledOn(ref))
                        && (since == null || !pop.personChangedAt(p.personId()).isBefore(since))) {
                    out.add(student(p, registrationId(pop, p)));
                }
            }
        }
        return Map.of("students", out);
    }

    /**
     * {@code 1/students/{id}}: one student by its {@code persoonId}, as {@code {"student": {...}}}. The institute, school
     * year and reference date only pick the student's actual registration ({@code inschrijvingsId}: a realised one at
     * that institute in that year whose dates hold the reference date, else null); they do not limit the answer, as
     * the public client's comments have it. Without {@code refdate} the reference date is today, moved into the school
     * year when outside it (a guess).
     */
    @GetMapping("/students/{id}")
    public Map<String, Object> student(@RequestHeader(name = "Authorization", required = false) String authorization,
                                       @RequestHeader(name = "InstituteNo", required = false) String instituteNo,
                                       @PathVariable("id") String id,
                                       @RequestParam(name = "schoolYear", required = false) String schoolYear,
                                       @RequestParam(name = "refdate", required = false) String refdate) {
        String institute = institute(authorization, instituteNo);
        SchoolYear year = year(schoolYear);
        LocalDate ref = within(refdate == null || refdate.isBlank() ? sim.today() : date(refdate), year);
        UUID personId;
        try {
            personId = UUID.fromString(id.trim());
        } catch (IllegalArgumentException e) {
            throw PupilApiError.badRequest(PupilApiError.BR000, "The student id must be a GUID.");
        }
        Population pop = sim.population();
        List<Pupil> enrolments = pop.enrolments(personId);
        if (enrolments.isEmpty()) {
            throw new PupilApiError(404, PupilApiError.DNF001, "No student found for this id.");
        }
        Pupil actual = null;
        Pupil here = null;
        for (Pupil p : enrolments) {
            if (p.institutionNumber().equals(institute)) {
                here = p;
                if (Population.overlaps(p, year) && p.enrolledOn(ref)) {
                    actual = p;
                }
            }
        }
        Pupil shown = here != null ? here : enrolments.get(enrolments.size() - 1);
        return Map.of("student", student(shown, actual == null ? null : registrationId(pop, actual)));
    }

    @GetMapping("/registrations")
    public Map<String, Object> registrations(@RequestHeader(name = "Authorization", required = false) String authorization,
                                             @RequestHeader(name = "InstituteNo", required = false) String instituteNo,
                                             @RequestParam(name = "schoolYear", required = false) String schoolYear,
                                             @RequestParam(name = "changedSince", required = false) String changedSince) {
        String institute = institute(authorization, instituteNo);
        Population pop = sim.population();
        List<Map<String, Object>> out = new ArrayList<>();
        SchoolYear year = year(schoolYear);
        LocalDate since = changedSince == null || changedSince.isBlank() ? null : sinceDate(changedSince);
        if (pop.covers(year)) {
            for (Pupil p : pop.pupils()) {
                if (!p.institutionNumber().equals(institute) || !Population.overlaps(p, year)) {
                    continue;
                }
                if (since != null && LocalDate.ofInstant(pop.changedAt(p), Timestamps.BRUSSELS).isBefore(since)) {
                    continue;
                }
                Branch b = pop.branch(p.locationIdDiscimus());
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("inschrijvingsId", registrationId(pop, p));
                m.put("pPersoon", pPersoon(p));
                m.put("persoonId", p.personId().toString());
                m.put("instelnr", p.institutionNumber());
                m.put("hfdstructuur", structure(p.level()));
                m.put("stamnr", p.registrationNumber());
                // the branch's own code: the older API has no Discimus location id (a board maps one onto the other)
                m.put("vestCode", "V" + b.locationIdDiscimus());
                m.put("vestiging", b.name());
                m.put("begindatum", p.startDate().toString());
                m.put("einddatum", p.endDate() == null ? null : p.endDate().toString());
                m.put("status", 0);
                m.put("inschrKlassen", List.of(Map.of("klasCode", p.classCode(), "groepType", 0,
                        "begindatum", p.startDate().toString())));
                out.add(m);
            }
        }
        return Map.of("registrations", out);
    }

    /** The structure code of a level: 111 kindergarten, 211 primary, 311 secondary (the 211 for primary is a guess). */
    static String structure(Population.Level level) {
        return switch (level) {
            case KLEUTER -> "111";
            case LAGER -> "211";
            case SECUNDAIR -> "311";
        };
    }

    private static int pPersoon(Pupil p) {
        return Math.abs(p.personId().hashCode() % 10_000_000);
    }

    /**
     * The id of an enrolment: a person's first keeps the id it always had, a later one (after a move) is told apart by
     * its start date (a person's enrolments never start on the same day).
     */
    private static String registrationId(Population pop, Pupil p) {
        List<Pupil> periods = pop.enrolments(p.personId());
        String name = "inschrijving:" + p.personId() + (periods.isEmpty() || periods.get(0) == p ? "" : ":" + p.startDate());
        return java.util.UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    /** A student as the list and the single read write it. */
    private static Map<String, Object> student(Pupil p, String registrationId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pPersoon", pPersoon(p));
        m.put("persoonId", p.personId().toString());
        m.put("naam", "Naam" + p.registrationNumber());
        m.put("voornaam", "Voornaam" + p.registrationNumber());
        m.put("geboortedatum", p.dateOfBirth().toString());
        m.put("inschrijvingsId", registrationId);
        return m;
    }

    /**
     * The institute of a request, checked in the order a service checks it: the bearer token (401), the
     * {@code InstituteNo} header (400 {@code BR035A} missing, {@code BR035B} not 6 digits), the token's scope (403);
     * then the error set by the control {@code admin/pupil-api/error}, if any.
     */
    private String institute(String authorization, String instituteNo) {
        TokenStore.Token token = auth.token(authorization);
        if (instituteNo == null || instituteNo.isBlank()) {
            throw PupilApiError.badRequest(PupilApiError.BR035A, "The InstituteNo header is required.");
        }
        String institute = instituteNo.trim();
        if (!institute.matches("[0-9]{6}")) {
            throw PupilApiError.badRequest(PupilApiError.BR035B, "InstituteNo must be an institute number of 6 digits.");
        }
        if (!token.institutes().contains(institute)) {
            throw new PupilApiError(403, null, "The token's scope does not cover institute " + institute + ".");
        }
        InformatSimulator.PupilApiRefusal refusal = sim.pupilApiRefusal();
        if (refusal != null && refusal.covers(institute)) {
            // the control admin/pupil-api/error: what the vendor may answer the link one day
            throw new PupilApiError(refusal.status(), refusal.code(), refusal.message());
        }
        return institute;
    }

    /** {@code schoolYear}: {@code yyyy-yy} as the public client sends it (400 {@code BR034B} otherwise); missing: this one. */
    private SchoolYear year(String schoolYear) {
        if (schoolYear == null || schoolYear.isBlank()) {
            return sim.currentYear();
        }
        try {
            return SchoolYear.parse(schoolYear);
        } catch (IllegalArgumentException e) {
            throw PupilApiError.badRequest(PupilApiError.BR034B, "schoolYear is not valid: write it yyyy-yy, like 2026-27.");
        }
    }

    /** A reference date outside the school year is moved to its first or last day, as the public client's comments say. */
    private static LocalDate within(LocalDate ref, SchoolYear year) {
        return ref.isBefore(year.firstDay()) ? year.firstDay() : ref.isAfter(year.lastDay()) ? year.lastDay() : ref;
    }

    /**
     * {@code students?changedSince=}: an ISO-8601 moment (with an offset, or Belgian local time without one). A person
     * counts as changed when one of its enrolments was made, ended or moved at or after it; seeded people changed at the
     * seed (model: what the vendor counts as a change of a student is not published).
     */
    private static Instant instant(String text) {
        try {
            return Timestamps.parse(text, "changedSince").toInstant();
        } catch (SimValidationException e) {
            throw PupilApiError.badRequest(PupilApiError.BR000,
                    "changedSince must be an ISO-8601 date-time like 2026-11-27T08:00:00+01:00.");
        }
    }

    /** {@code registrations?changedSince=}: a date ({@code Y-m-d}); registrations changed on that day (Brussels) or later. */
    private static LocalDate sinceDate(String text) {
        try {
            return LocalDate.parse(text.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw PupilApiError.badRequest(PupilApiError.BR000, "changedSince must be a date like 2026-11-27.");
        }
    }

    private static LocalDate date(String text) {
        try {
            return LocalDate.parse(text.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw PupilApiError.badRequest(PupilApiError.BR000, "refdate must be a date like 2026-09-01.");
        }
    }

    @ExceptionHandler(PupilApiError.class)
    public ResponseEntity<Map<String, Object>> error(PupilApiError e) {
        return e.answer();
    }

    @ExceptionHandler(InformatAuth.UnauthorizedException.class)
    public ResponseEntity<Map<String, Object>> unauthorized(InformatAuth.UnauthorizedException e) {
        return new PupilApiError(401, null, "Unauthorized: " + e.getMessage() + ".").answer();
    }

    /** Anything else this controller refuses (its status kept; no published code fits). */
    @ExceptionHandler(SimValidationException.class)
    public ResponseEntity<Map<String, Object>> refused(SimValidationException e) {
        return new PupilApiError(e.status(), e.code(), e.getMessage()).answer();
    }

    /** A fault of the simulator itself: a 500 in the same shape, without the details. */
    @ExceptionHandler(RuntimeException.class)
    public ResponseEntity<Map<String, Object>> fault(RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(PupilApiController.class).error("the older pupil API's simulator failed", e);
        return new PupilApiError(500, null, "An internal error occurred.").answer();
    }
}
