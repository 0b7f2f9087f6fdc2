package be.absencebridge.sim.informat;

import be.absencebridge.sim.Faults;
import be.absencebridge.sim.Interactions;
import be.absencebridge.sim.Population.Branch;
import be.absencebridge.sim.Population.Pupil;
import be.absencebridge.sim.SimValidationException;
import be.absencebridge.sim.Timestamps;
import be.absencebridge.sim.informat.InformatSimulator.Absence;
import be.absencebridge.sim.informat.InformatSimulator.Subcode;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Informat simulator's controls (test only, never part of the vendor's interfaces): a person's registration in
 * Informat's own screen, the register as stored, the population, branches and calendar for the tests' bookkeeping,
 * faults, switches, token expiry and the link's writes.
 */
@RestController
@RequestMapping("/sim/informat/admin")
@ConditionalOnProperty(name = "bridge.sim.enabled", havingValue = "true", matchIfMissing = true)
public class InformatAdminController {

    private final InformatSimulator sim;
    private final TokenStore tokens;
    private final Faults faults;
    private final Interactions interactions;

    public InformatAdminController(InformatSimulator sim, TokenStore tokens, Faults informatFaults, Interactions informatInteractions) {
        this.sim = sim;
        this.tokens = tokens;
        this.faults = informatFaults;
        this.interactions = informatInteractions;
    }

    /** The last calls of the Student API and the partner endpoints, request and answer (the contract tests read them). */
    @GetMapping("/interactions")
    public List<Interactions.Interaction> interactions() {
        return interactions.list();
    }

    /** {@code silent}: a correction made inside Informat (a data fix, a restore): neither pushed nor in the change feed. */
    public record Registration(String personId, String date, String partOfDay, String absenceCode, String remark,
                               String timestamp, String registeredBy, Boolean silent) {
    }

    public record SettingsChange(Integer locationIdDiscimus, Boolean smartschoolLink, Boolean exchangeAbsences,
                                 Boolean discimusActive, List<Subcode> subcodes) {
    }

    @PostMapping("/register")
    public Map<String, Object> register(@RequestBody Registration r) {
        UUID id;
        try {
            id = UUID.fromString(String.valueOf(r.personId()));
        } catch (IllegalArgumentException e) {
            throw new SimValidationException(404, null, "no such student");
        }
        Absence a = sim.registerByPerson(id, r.date(), r.partOfDay(), r.absenceCode(), r.remark(), r.timestamp(),
                r.registeredBy(), Boolean.TRUE.equals(r.silent()));
        if (a == null) {
            return Map.of("status", "nothing to clear");
        }
        return InformatSimulator.feed(a, enrolment(sim, a), a.code() == null);
    }

    @GetMapping("/register")
    public List<Map<String, Object>> registerOf(@RequestParam("date") String date) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Absence a : sim.registerOf(Timestamps.parseDate(date, "date"))) {
            Pupil p = enrolment(sim, a);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("personId", a.personId().toString());
            m.put("studentNo", p.registrationNumber());
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

    /** The enrolment an absence belongs to: the one of its date (a person who moved has several). */
    static Pupil enrolment(InformatSimulator sim, Absence a) {
        Pupil p = sim.population().enrolmentOn(a.personId(), a.date());
        return p != null ? p : sim.population().byPersonId(a.personId());
    }

    @GetMapping("/students")
    public List<Map<String, Object>> students() {
        return InformatPartnerController.students(sim, null, null);
    }

    @GetMapping("/locations")
    public List<Map<String, Object>> locations() {
        return InformatPartnerController.locations(sim, null);
    }

    @GetMapping("/calendar")
    public List<Map<String, String>> calendar(@RequestParam(name = "schoolYear", required = false) String schoolYear) {
        return InformatPartnerController.calendar(sim, schoolYear);
    }

    /** What the link wrote here, per pupil and half-day (tests count deliveries). */
    @GetMapping("/stats")
    public Map<String, Object> stats() {
        return sim.linkWrites().view();
    }

    /** Every token issued so far stops working, as when they expire mid-run. */
    @PostMapping("/tokens/expire")
    public ResponseEntity<Void> expireTokens() {
        tokens.clear();
        return ResponseEntity.noContent().build();
    }

    /**
     * The older pupil API answers every read (of {@code instituteNo}, or of every institute) with this error, in its own
     * shape, once the token and the institute are checked: {@code {"instituteNo","status","code","message"}}, status 400
     * to 599, code null or written like the API's ({@code BR034B}, {@code DNF001}); {@code {}} or no body clears it, and
     * so does every seed. What a school's vendor may answer the link one day, for the tests of the link's reading of it.
     */
    @PostMapping("/pupil-api/error")
    public Map<String, Object> pupilApiError(@RequestBody(required = false) InformatSimulator.PupilApiRefusal refusal) {
        if (refusal == null || (refusal.status() == null && refusal.code() == null && refusal.message() == null
                && refusal.instituteNo() == null)) {
            sim.pupilApiRefusal(null);
            return java.util.Collections.singletonMap("error", null);
        }
        if (refusal.status() == null || refusal.status() < 400 || refusal.status() > 599) {
            throw new SimValidationException("status must be between 400 and 599");
        }
        if (refusal.code() != null && !refusal.code().matches("[A-Z]{2,3}[0-9]{3}[A-Z]?")) {
            throw new SimValidationException("code must be written like the API's codes (BR034B, DNF001), or null");
        }
        String message = refusal.message() == null || refusal.message().isBlank() ? "The request was refused." : refusal.message();
        InformatSimulator.PupilApiRefusal set = new InformatSimulator.PupilApiRefusal(refusal.instituteNo(), refusal.status(),
                refusal.code(), message);
        sim.pupilApiRefusal(set);
        Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("instituteNo", set.instituteNo());
        view.put("status", set.status());
        view.put("code", set.code());
        view.put("message", set.message());
        return Map.of("error", view);
    }

    @PostMapping("/faults")
    public Faults.Settings faults(@RequestBody(required = false) Faults.Settings settings) {
        faults.set(settings == null ? Faults.Settings.NONE : settings);
        return faults.settings();
    }

    @PutMapping("/settings")
    public List<Map<String, Object>> changeSettings(@RequestBody SettingsChange change) {
        List<Branch> targets = new ArrayList<>();
        for (Branch b : sim.population().branches()) {
            if (change.locationIdDiscimus() == null || b.locationIdDiscimus() == change.locationIdDiscimus()) {
                targets.add(b);
            }
        }
        if (targets.isEmpty()) {
            throw new SimValidationException(404, null, "unknown locationIdDiscimus");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Branch b : targets) {
            sim.updateLocation(b.locationIdDiscimus(), change.smartschoolLink(), change.exchangeAbsences(),
                    change.discimusActive(), change.subcodes());
            out.add(InformatPartnerController.location(sim, b));
        }
        return out;
    }
}
