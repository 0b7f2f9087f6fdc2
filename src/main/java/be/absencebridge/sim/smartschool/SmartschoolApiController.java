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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Smartschool's model endpoints: pupils, settings, the link's presences write, and the simulator controls. */
@RestController
@RequestMapping("/sim/smartschool")
@ConditionalOnProperty(name = "bridge.sim.enabled", havingValue = "true", matchIfMissing = true)
public class SmartschoolApiController {

    private final SmartschoolSimulator sim;
    private final Faults faults;
    private final SimProperties props;

    public SmartschoolApiController(SmartschoolSimulator sim, Faults smartschoolFaults, SimProperties props) {
        this.sim = sim;
        this.faults = smartschoolFaults;
        this.props = props;
    }

    public record PupilView(String internalNumber, String institutionNumber, String registrationNumber, String classCode) {
    }

    public record SettingsView(boolean absenceSyncEnabled, List<String> discimusInstitutions, List<Alias> aliases) {
    }

    /** {@code accesscode}: the platform's web-services password changed by its administrator (a control, test only). */
    public record SettingsChange(Boolean absenceSyncEnabled, List<String> discimusInstitutions, List<Alias> aliases,
                                 String accesscode) {
    }

    @GetMapping("/api/v1/pupils")
    public List<PupilView> pupils() {
        List<Pupil> pupils = sim.population().pupils();
        List<PupilView> out = new ArrayList<>(pupils.size());
        for (Pupil p : pupils) {
            out.add(new PupilView(p.internalNumber(), p.institutionNumber(), p.registrationNumber(), p.classCode()));
        }
        return out;
    }

    @GetMapping("/api/v1/settings")
    public SettingsView settings() {
        return new SettingsView(sim.absenceSyncEnabled(), sim.discimusInstitutions().stream().sorted().toList(), sim.aliases());
    }

    @PostMapping("/api/v1/presences")
    public List<WriteResult> presences(@RequestBody List<CellWrite> cells) {
        if (cells.size() > props.getMaxCellsPerWrite()) {
            throw new SimValidationException("at most " + props.getMaxCellsPerWrite() + " cells per write");
        }
        return sim.write(cells);
    }

    // ---- simulator controls ----

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
