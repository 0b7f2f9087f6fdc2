package be.absencebridge.sim.smartschool;

import be.absencebridge.sim.Faults;
import be.absencebridge.sim.Population.Pupil;
import be.absencebridge.sim.SimProperties;
import be.absencebridge.sim.SimValidationException;
import be.absencebridge.sim.Timestamps;
import be.absencebridge.sim.smartschool.SmartschoolSimulator.Alias;
import be.absencebridge.sim.smartschool.SmartschoolSimulator.Cell;
import be.absencebridge.sim.smartschool.SmartschoolSimulator.CellWrite;
import be.absencebridge.sim.smartschool.SmartschoolSimulator.Registration;
import be.absencebridge.sim.smartschool.SmartschoolSimulator.WriteResult;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Smartschool's partner endpoints (the link's write, the switches) and the simulator controls. */
@RestController
@RequestMapping("/sim/smartschool")
@ConditionalOnProperty(name = "bridge.sim.enabled", havingValue = "true", matchIfMissing = true)
public class SmartschoolApiController {

    private final SmartschoolSimulator sim;
    private final Faults faults;
    private final SimProperties props;

    private final String accesscode;
    private final be.absencebridge.sim.Interactions interactions;

    public SmartschoolApiController(SmartschoolSimulator sim, Faults smartschoolFaults, SimProperties props,
                                    @org.springframework.beans.factory.annotation.Value("${bridge.smartschool.accesscode}") String accesscode,
                                    be.absencebridge.sim.Interactions smartschoolInteractions) {
        this.sim = sim;
        this.faults = smartschoolFaults;
        this.props = props;
        this.accesscode = accesscode;
        this.interactions = smartschoolInteractions;
    }

    /** The last calls of the partner endpoints, request and answer (the contract tests read them). */
    @GetMapping("/admin/interactions")
    public List<be.absencebridge.sim.Interactions.Interaction> interactions() {
        return interactions.list();
    }

    public record PupilView(String username, String internalNumber, String institutionNumber, String registrationNumber,
                            String classCode) {
    }

    /** One half-day of the partner write: the pupil by username, as the public reads key pupils. */
    public record PartnerCell(String username, String date, String part, String code, String alias, String motivation,
                              String registeredAt) {
    }

    public record SettingsView(boolean absenceSyncEnabled, List<String> discimusInstitutions, List<Alias> aliases) {
    }

    /** {@code accesscode}: the platform's web-services password changed by its administrator (a control, test only). */
    public record SettingsChange(Boolean absenceSyncEnabled, List<String> discimusInstitutions, List<Alias> aliases,
                                 String accesscode) {
    }

    // ---- partner endpoints (the product's model: contracts/partner-smartschool.yaml) ----

    /** The seed's switches: "synchronise absences", the Discimus link per institution, and the platform's aliases. */
    @GetMapping("/partner/v1/settings")
    public SettingsView partnerSettings(@RequestHeader(name = "Authorization", required = false) String authorization) {
        authorise(authorization);
        return settings();
    }

    /** The link's write of half-day cells (at most {@code bridge.sim.max-cells-per-write}): one result per cell, in order. */
    @PostMapping("/partner/v1/absences")
    public List<WriteResult> absences(@RequestHeader(name = "Authorization", required = false) String authorization,
                                      @RequestBody List<PartnerCell> cells) {
        authorise(authorization);
        if (cells.size() > props.getMaxCellsPerWrite()) {
            throw new SimValidationException("at most " + props.getMaxCellsPerWrite() + " cells per write");
        }
        List<CellWrite> writes = new ArrayList<>(cells.size());
        for (PartnerCell c : cells) {
            Pupil p = c == null ? null : sim.byUsername(c.username());
            writes.add(new CellWrite(p == null ? null : p.internalNumber(), c == null ? null : c.date(), c == null ? null : c.part(),
                    c == null ? null : c.code(), c == null ? null : c.alias(), c == null ? null : c.motivation(),
                    c == null ? null : c.registeredAt()));
        }
        return sim.write(writes);
    }

    /** The partner endpoints take the platform's web-services access code as a bearer token (401 otherwise). */
    private void authorise(String authorization) {
        String expected = sim.accesscode() != null ? sim.accesscode() : accesscode;
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || !java.security.MessageDigest.isEqual(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                authorization.substring(7).trim().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            throw new SimValidationException(401, null, "the platform's access code is required as a bearer token");
        }
    }

    // ---- simulator controls ----

    /** The pupils as the platform holds them (the tests' bookkeeping; the bridge reads the public accounts reads). */
    @GetMapping("/admin/pupils")
    public List<PupilView> pupils() {
        List<Pupil> pupils = sim.population().pupils();
        List<PupilView> out = new ArrayList<>(pupils.size());
        for (Pupil p : pupils) {
            out.add(new PupilView(p.username(), p.internalNumber(), p.institutionNumber(), p.registrationNumber(), p.classCode()));
        }
        return out;
    }

    @GetMapping("/admin/settings")
    public SettingsView settings() {
        return new SettingsView(sim.absenceSyncEnabled(), sim.discimusInstitutions().stream().sorted().toList(), sim.aliases());
    }

    @PostMapping("/admin/register")
    public Map<String, Object> register(@RequestBody Registration registration) {
        return view(sim.registerByPerson(registration));
    }

    @GetMapping("/admin/register")
    public List<Map<String, Object>> registerOf(@RequestParam("date") String date) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Cell c : sim.registerOf(Timestamps.parseDate(date, "date"))) {
            out.add(view(c));
        }
        return out;
    }

    /** Not in the vendor's API: what the link wrote here, per pupil and half-day (tests count deliveries). */
    @GetMapping("/admin/stats")
    public Map<String, Object> stats() {
        return sim.linkWrites().view();
    }

    @PostMapping("/admin/faults")
    public Faults.Settings faults(@RequestBody(required = false) Faults.Settings settings) {
        faults.set(settings == null ? Faults.Settings.NONE : settings);
        return faults.settings();
    }

    @PutMapping("/admin/settings")
    public SettingsView changeSettings(@RequestBody SettingsChange change) {
        sim.updateSettings(change.absenceSyncEnabled(), change.discimusInstitutions(), change.aliases());
        if (change.accesscode() != null) {
            sim.accesscode(change.accesscode().isBlank() ? null : change.accesscode());
        }
        return settings();
    }

    static Map<String, Object> view(Cell c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("internalNumber", c.internalNumber());
        m.put("date", c.date().toString());
        m.put("part", c.part().smartschool());
        m.put("code", c.code());
        m.put("alias", c.alias());
        m.put("motivation", c.motivation());
        m.put("registeredAt", c.registeredAt().toString());
        m.put("registeredBy", c.registeredBy());
        return m;
    }
}
