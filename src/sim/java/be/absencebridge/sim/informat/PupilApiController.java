package be.absencebridge.sim.informat;

import be.absencebridge.sim.support.SchoolYear;
import be.absencebridge.sim.Population;
import be.absencebridge.sim.Population.Branch;
import be.absencebridge.sim.Population.Pupil;
import be.absencebridge.sim.SimValidationException;
import be.absencebridge.sim.Timestamps;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
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

/**
 * Informat's older public pupil API ({@code https://leerlingenapi.informatsoftware.be}), the two reads a link needs:
 * {@code 1/students} and {@code 1/registrations}, with the field names of the public PHP client's response classes,
 * wrapped as {@code {"students": [...]}} and {@code {"registrations": [...]}}; header {@code InstituteNo} and the identity
 * server's bearer token. Names are synthetic (the population has none): the bridge must read past them.
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
        auth.forInstitute(authorization, instituteNo);
        Population pop = sim.population();
        List<Map<String, Object>> out = new ArrayList<>();
        Instant since = changedSince == null || changedSince.isBlank() ? null : instant(changedSince);
        SchoolYear year = InformatPartnerController.year(schoolYear, sim);
        if (pop.covers(year)) {
            LocalDate ref = refdate == null || refdate.isBlank() ? null : date(refdate);
            for (Pupil p : pop.pupils()) {
                if (p.institutionNumber().equals(instituteNo.trim()) && Population.overlaps(p, year) && (ref == null || p.enrolledOn(ref))
                        && (since == null || !pop.personChangedAt(p.personId()).isBefore(since))) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("pPersoon", pPersoon(p));
                    m.put("persoonId", p.personId().toString());
                    m.put("naam", "Naam" + p.registrationNumber());
                    m.put("voornaam", "Voornaam" + p.registrationNumber());
                    m.put("geboortedatum", p.dateOfBirth().toString());
                    m.put("inschrijvingsId", registrationId(pop, p));
                    out.add(m);
                }
            }
        }
        return Map.of("students", out);
    }

    @GetMapping("/registrations")
    public Map<String, Object> registrations(@RequestHeader(name = "Authorization", required = false) String authorization,
                                             @RequestHeader(name = "InstituteNo", required = false) String instituteNo,
                                             @RequestParam(name = "schoolYear", required = false) String schoolYear,
                                             @RequestParam(name = "changedSince", required = false) String changedSince) {
        auth.forInstitute(authorization, instituteNo);
        Population pop = sim.population();
        List<Map<String, Object>> out = new ArrayList<>();
        LocalDate since = changedSince == null || changedSince.isBlank() ? null : sinceDate(changedSince);
        SchoolYear year = InformatPartnerController.year(schoolYear, sim);
        if (pop.covers(year)) {
            for (Pupil p : pop.pupils()) {
                if (!p.institutionNumber().equals(instituteNo.trim()) || !Population.overlaps(p, year)) {
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

    /**
     * {@code students?changedSince=}: an ISO-8601 moment (with an offset, or Belgian local time without one). A person
     * counts as changed when one of its enrolments was made, ended or moved at or after it; seeded people changed at the
     * seed (model: what the vendor counts as a change of a student is not published).
     */
    private static Instant instant(String text) {
        try {
            return Timestamps.parse(text, "changedSince").toInstant();
        } catch (SimValidationException e) {
            throw new SimValidationException(400, null, "changedSince must be an ISO-8601 date-time like 2026-11-27T08:00:00+01:00");
        }
    }

    /** {@code registrations?changedSince=}: a date ({@code Y-m-d}); registrations changed on that day (Brussels) or later. */
    private static LocalDate sinceDate(String text) {
        try {
            return LocalDate.parse(text.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new SimValidationException(400, null, "changedSince must be a date like 2026-11-27");
        }
    }

    private static LocalDate date(String text) {
        try {
            return LocalDate.parse(text.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new SimValidationException(400, null, "refdate must be a date like 2026-09-01");
        }
    }
}
