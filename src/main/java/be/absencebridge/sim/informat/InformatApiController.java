package be.absencebridge.sim.informat;

import be.absencebridge.domain.FlemishSchoolCalendar.HalfDaySlot;
import be.absencebridge.domain.SchoolYear;
import be.absencebridge.sim.Faults;
import be.absencebridge.sim.Population;
import be.absencebridge.sim.Population.Branch;
import be.absencebridge.sim.Population.Pupil;
import be.absencebridge.sim.Problems;
import be.absencebridge.sim.SimProperties;
import be.absencebridge.sim.SimValidationException;
import be.absencebridge.sim.Timestamps;
import be.absencebridge.sim.informat.InformatSimulator.Absence;
import be.absencebridge.sim.informat.InformatSimulator.AbsenceWrite;
import be.absencebridge.sim.informat.InformatSimulator.FeedItem;
import be.absencebridge.sim.informat.InformatSimulator.LocationSettings;
import be.absencebridge.sim.informat.InformatSimulator.Subcode;
import be.absencebridge.sim.informat.InformatSimulator.WriteResult;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Informat's identity server, public Student API (absences write), model reads and simulator controls. */
@RestController
@RequestMapping("/sim/informat")
@ConditionalOnProperty(name = "bridge.sim.enabled", havingValue = "true", matchIfMissing = true)
public class InformatApiController {

    private final InformatSimulator sim;
    private final TokenStore tokens;
    private final Faults faults;
    private final SimProperties props;
    private final String clientId;
    private final byte[] clientSecret;

    public InformatApiController(InformatSimulator sim, TokenStore tokens, Faults informatFaults, SimProperties props,
                                 @Value("${bridge.informat.client-id}") String clientId,
                                 @Value("${bridge.informat.client-secret}") String clientSecret) {
        this.sim = sim;
        this.tokens = tokens;
        this.faults = informatFaults;
        this.props = props;
        this.clientId = clientId;
        this.clientSecret = clientSecret.getBytes(StandardCharsets.UTF_8);
    }

    // ---- identity server ----

    @PostMapping(path = "/connect/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    public ResponseEntity<Map<String, Object>> token(@RequestParam MultiValueMap<String, String> form) {
        if (!"client_credentials".equals(form.getFirst("grant_type"))) {
            return oauthError("unsupported_grant_type");
        }
        String id = form.getFirst("client_id");
        String secret = form.getFirst("client_secret");
        if (id == null || secret == null || !id.equals(clientId)
                || !MessageDigest.isEqual(clientSecret, secret.getBytes(StandardCharsets.UTF_8))) {
            return oauthError("invalid_client");
        }
        String scope = form.getFirst("scope");
        if (scope == null || scope.isBlank()) {
            return oauthError("invalid_scope");
        }
        Set<String> institutes = new LinkedHashSet<>();
        for (String s : scope.trim().split("\\s+")) {
            String inst = s.startsWith(TokenStore.SCOPE_PREFIX) ? s.substring(TokenStore.SCOPE_PREFIX.length()) : null;
            if (inst == null || !sim.population().institutions().contains(inst)) {
                return oauthError("invalid_scope");
            }
            institutes.add(inst);
        }
        TokenStore.Token t = tokens.issue(id, institutes, props.getTokenTtlSeconds());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", t.value());
        body.put("token_type", "Bearer");
        body.put("expires_in", props.getTokenTtlSeconds());
        body.put("scope", scope.trim());
        return ResponseEntity.ok().header("Cache-Control", "no-store").body(body);
    }

    private static ResponseEntity<Map<String, Object>> oauthError(String error) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(Map.of("error", error));
    }

    // ---- public Student API: absences ----

    @PutMapping("/api/v1/students/{personId}/absences")
    public ResponseEntity<?> put(@PathVariable("personId") String personId,
                                 @RequestHeader(name = "Authorization", required = false) String authorization,
                                 @RequestHeader(name = "instituteNo", required = false) String instituteNo,
                                 @RequestBody AbsenceWrite body) {
        TokenStore.Token token = authorise(authorization, instituteNo);
        WriteResult r = sim.put(instituteNo, personId(personId), body, token.clientId());
        if (r.outcome() == InformatSimulator.Outcome.UNCHANGED) {
            return ResponseEntity.noContent().build();
        }
        return ResponseEntity.ok(Map.of("id", r.id()));
    }

    @DeleteMapping("/api/v1/students/{personId}/absences")
    public ResponseEntity<?> delete(@PathVariable("personId") String personId,
                                    @RequestHeader(name = "Authorization", required = false) String authorization,
                                    @RequestHeader(name = "instituteNo", required = false) String instituteNo,
                                    @RequestParam(name = "date", required = false) String date,
                                    @RequestParam(name = "partOfDay", required = false) String partOfDay,
                                    @RequestParam(name = "timestamp", required = false) String timestamp) {
        TokenStore.Token token = authorise(authorization, instituteNo);
        boolean cleared = sim.delete(instituteNo, personId(personId), date, partOfDay, timestamp, token.clientId());
        return cleared ? ResponseEntity.ok().build() : ResponseEntity.noContent().build();
    }

    /** 401 without a valid token, 403 when its scope does not cover the institute. */
    private TokenStore.Token authorise(String authorization, String instituteNo) {
        TokenStore.Token token = bearer(authorization, true);
        if (instituteNo == null || instituteNo.isBlank()) {
            throw new SimValidationException(400, "BR050", "header instituteNo is missing");
        }
        if (!token.institutes().contains(instituteNo.trim())) {
            throw new SimValidationException(403, null, "the token's scope does not cover institute " + instituteNo.trim());
        }
        return token;
    }

    /** A token is checked when one is given; the write API requires one. */
    private TokenStore.Token bearer(String authorization, boolean required) {
        TokenStore.Check check = tokens.check(authorization);
        if (check.rejection() == TokenStore.Rejection.MISSING && !required && authorization == null) {
            return null;
        }
        if (check.rejection() != null) {
            throw new UnauthorizedException(switch (check.rejection()) {
                case MISSING -> "a bearer token is required";
                case UNKNOWN -> "the token is not valid";
                case EXPIRED -> "the token has expired";
            });
        }
        return check.token();
    }

    /** Answered 401 with {@code WWW-Authenticate: Bearer}. */
    public static final class UnauthorizedException extends RuntimeException {
        public UnauthorizedException(String message) {
            super(message);
        }
    }

    private static UUID personId(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new SimValidationException(409, "DNF002", "student not found (personId is not a UUID)");
        }
    }

    // ---- model reads ----

    @GetMapping("/api/v1/absences/changes")
    public Map<String, Object> changes(@RequestHeader(name = "Authorization", required = false) String authorization,
                                       @RequestParam(name = "since", required = false) String since,
                                       @RequestParam(name = "limit", required = false, defaultValue = "100") int limit) {
        TokenStore.Token token = bearer(authorization, false);
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

    @GetMapping("/api/v1/students")
    public List<Map<String, Object>> students(@RequestHeader(name = "Authorization", required = false) String authorization,
                                              @RequestParam(name = "schoolYear", required = false) String schoolYear) {
        TokenStore.Token token = bearer(authorization, false);
        Population pop = sim.population();
        if (!year(schoolYear, pop).equals(pop.schoolYear())) {
            return List.of();
        }
        List<Map<String, Object>> out = new ArrayList<>(pop.pupils().size());
        for (Pupil p : pop.pupils()) {
            if (token != null && !token.institutes().contains(p.institutionNumber())) {
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

    @GetMapping("/api/v1/locations")
    public List<Map<String, Object>> locations(@RequestHeader(name = "Authorization", required = false) String authorization) {
        TokenStore.Token token = bearer(authorization, false);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Branch b : sim.population().branches()) {
            if (token != null && !token.institutes().contains(b.institutionNumber())) {
                continue;
            }
            out.add(location(b));
        }
        return out;
    }

    private Map<String, Object> location(Branch b) {
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

    @GetMapping("/api/v1/calendar")
    public List<Map<String, String>> calendar(@RequestHeader(name = "Authorization", required = false) String authorization,
                                              @RequestParam(name = "schoolYear", required = false) String schoolYear) {
        bearer(authorization, false);
        Population pop = sim.population();
        SchoolYear year = year(schoolYear, pop);
        be.absencebridge.domain.FlemishSchoolCalendar cal = year.equals(pop.schoolYear())
                ? pop.calendar() : new be.absencebridge.domain.FlemishSchoolCalendar(year);
        List<Map<String, String>> out = new ArrayList<>(400);
        for (HalfDaySlot slot : cal.instructionHalfDays()) {
            out.add(Map.of("date", slot.date().toString(), "partOfDay", slot.part().informat()));
        }
        return out;
    }

    private static SchoolYear year(String schoolYear, Population pop) {
        if (schoolYear == null || schoolYear.isBlank()) {
            return pop.schoolYear();
        }
        try {
            return SchoolYear.parse(schoolYear);
        } catch (IllegalArgumentException e) {
            throw new SimValidationException(400, "BR050", "schoolYear: " + e.getMessage());
        }
    }

    // ---- simulator controls ----

    public record Registration(String personId, String date, String partOfDay, String absenceCode, String remark,
                               String timestamp, String registeredBy) {
    }

    public record SettingsChange(Integer locationIdDiscimus, Boolean smartschoolLink, Boolean exchangeAbsences,
                                 Boolean discimusActive, List<Subcode> subcodes) {
    }

    @PostMapping("/admin/register")
    public Map<String, Object> register(@RequestBody Registration r) {
        UUID id;
        try {
            id = UUID.fromString(String.valueOf(r.personId()));
        } catch (IllegalArgumentException e) {
            throw new SimValidationException(404, "DNF002", "student not found");
        }
        Absence a = sim.registerByPerson(id, r.date(), r.partOfDay(), r.absenceCode(), r.remark(), r.timestamp(), r.registeredBy());
        if (a == null) {
            return Map.of("status", "nothing to clear");
        }
        return InformatSimulator.feed(a, sim.population().byPersonId(id), a.code() == null);
    }

    @GetMapping("/admin/register")
    public List<Map<String, Object>> registerOf(@RequestParam("date") String date) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Absence a : sim.registerOf(Timestamps.parseDate(date, "date"))) {
            Pupil p = sim.population().byPersonId(a.personId());
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

    /** Not in the vendor's API: what the link wrote here, per pupil and half-day (tests count deliveries). */
    @GetMapping("/admin/stats")
    public Map<String, Object> stats() {
        return sim.linkWrites().view();
    }

    /** Not in the vendor's API: every token issued so far stops working, as when they expire mid-run. */
    @PostMapping("/admin/tokens/expire")
    public ResponseEntity<Void> expireTokens() {
        tokens.clear();
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/admin/faults")
    public Faults.Settings faults(@RequestBody(required = false) Faults.Settings settings) {
        faults.set(settings == null ? Faults.Settings.NONE : settings);
        return faults.settings();
    }

    @PutMapping("/admin/settings")
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
            out.add(location(b));
        }
        return out;
    }

    static ResponseEntity<?> unauthorized(String message) {
        return ResponseEntity.status(401).header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(Problems.problem(401, "Unauthorized", message));
    }
}
