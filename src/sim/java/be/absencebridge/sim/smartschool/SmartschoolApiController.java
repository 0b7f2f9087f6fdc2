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

/**
 * Smartschool's partner endpoints of each platform ({@code /sim/smartschool/<platform>/partner/v1/...}: the link's
 * write, the switches) and the simulator controls of the board's platforms ({@code /sim/smartschool/admin/...}).
 */
@RestController
@RequestMapping("/sim/smartschool")
@ConditionalOnProperty(name = "bridge.sim.enabled", havingValue = "true", matchIfMissing = true)
public class SmartschoolApiController {

    private final SmartschoolPlatforms platforms;
    private final SimProperties props;
    private final SmartschoolAccessCodes accesscodes;
    private final be.absencebridge.sim.Interactions interactions;

    public SmartschoolApiController(SmartschoolPlatforms platforms, SimProperties props, SmartschoolAccessCodes accesscodes,
                                    be.absencebridge.sim.Interactions smartschoolInteractions) {
        this.platforms = platforms;
        this.props = props;
        this.accesscodes = accesscodes;
        this.interactions = smartschoolInteractions;
    }

    public record PlatformView(String name, String baseUrl, List<String> institutions) {
    }

    /** The board's platforms and the institutions each holds. */
    @GetMapping("/admin/platforms")
    public List<PlatformView> platforms(jakarta.servlet.http.HttpServletRequest request) {
        String base = request.getRequestURL().toString().replaceFirst("/admin/platforms$", "");
        List<PlatformView> out = new ArrayList<>();
        for (SmartschoolSimulator sim : platforms.all()) {
            out.add(new PlatformView(sim.name(), base + "/" + sim.name(), sim.population().institutions()));
        }
        return out;
    }

    /** The last calls of the partner endpoints, request and answer (the contract tests read them). */
    @GetMapping("/admin/interactions")
    public List<be.absencebridge.sim.Interactions.Interaction> interactions() {
        return interactions.list();
    }

    public record PupilView(String platform, String username, String internalNumber, String institutionNumber,
                            String registrationNumber, String classCode) {
    }

    /** One half-day of the partner write: the pupil by username, as the public reads key pupils. */
    public record PartnerCell(String username, String date, String part, String code, String alias, String motivation,
                              String registeredAt) {
    }

    public record SettingsView(boolean absenceSyncEnabled, List<String> discimusInstitutions, List<Alias> aliases) {
    }

    /**
     * {@code accesscode}: the platform's web-services password changed by its administrator (a control, test only);
     * {@code platform}: the platform changed (null: every platform).
     */
    public record SettingsChange(String platform, Boolean absenceSyncEnabled, List<String> discimusInstitutions, List<Alias> aliases,
                                 String accesscode) {
    }

    // ---- partner endpoints (the product's model: contracts/partner-smartschool.yaml) ----

    /** The seed's switches: "synchronise absences", the Discimus link per institution, and the platform's aliases. */
    @GetMapping("/{platform}/partner/v1/settings")
    public SettingsView partnerSettings(@org.springframework.web.bind.annotation.PathVariable("platform") String platform,
                                        @RequestHeader(name = "Authorization", required = false) String authorization) {
        SmartschoolSimulator sim = platforms.require(platform);
        authorise(sim, authorization);
        return settings(sim);
    }

    /** The link's write of half-day cells (at most {@code bridge.sim.max-cells-per-write}): one result per cell, in order. */
    @PostMapping("/{platform}/partner/v1/absences")
    public List<WriteResult> absences(@org.springframework.web.bind.annotation.PathVariable("platform") String platform,
                                      @RequestHeader(name = "Authorization", required = false) String authorization,
                                      @RequestBody List<PartnerCell> cells) {
        SmartschoolSimulator sim = platforms.require(platform);
        authorise(sim, authorization);
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
    private void authorise(SmartschoolSimulator sim, String authorization) {
        String expected = accesscodes.of(sim);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || !java.security.MessageDigest.isEqual(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                authorization.substring(7).trim().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            throw new SimValidationException(401, null, "the platform's access code is required as a bearer token");
        }
    }

    // ---- simulator controls ----

    /** The pupils as the platforms hold them (the tests' bookkeeping; the bridge reads the public accounts reads). */
    @GetMapping("/admin/pupils")
    public List<PupilView> pupils() {
        List<PupilView> out = new ArrayList<>();
        for (SmartschoolSimulator sim : platforms.all()) {
            for (Pupil p : sim.population().pupils()) {
                out.add(new PupilView(sim.name(), p.username(), p.internalNumber(), p.institutionNumber(), p.registrationNumber(),
                        p.classCode()));
            }
        }
        return out;
    }

    /** A platform's settings ({@code platform} may be left out: the first platform's). */
    @GetMapping("/admin/settings")
    public SettingsView settings(@RequestParam(name = "platform", required = false) String platform) {
        return settings(platform == null ? platforms.all().iterator().next() : platforms.require(platform));
    }

    private static SettingsView settings(SmartschoolSimulator sim) {
        return new SettingsView(sim.absenceSyncEnabled(), sim.discimusInstitutions().stream().sorted().toList(), sim.aliases());
    }

    @PostMapping("/admin/register")
    public Map<String, Object> register(@RequestBody Registration registration) {
        SmartschoolSimulator sim = platforms.of(registration.platform(), registration.internalNumber(), registration.username());
        return view(sim, sim.registerByPerson(registration));
    }

    @GetMapping("/admin/register")
    public List<Map<String, Object>> registerOf(@RequestParam("date") String date) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SmartschoolSimulator sim : platforms.all()) {
            for (Cell c : sim.registerOf(Timestamps.parseDate(date, "date"))) {
                out.add(view(sim, c));
            }
        }
        return out;
    }

    /** Not in the vendor's API: what the link wrote, over all platforms and per platform (tests count deliveries). */
    @GetMapping("/admin/stats")
    public Map<String, Object> stats() {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> repeated = new LinkedHashMap<>();
        Map<String, Object> each = new LinkedHashMap<>();
        long[] sums = new long[4];
        String[] names = {"linkWrites", "distinctKeys", "repeatedKeyCount", "olderAfterNewer"};
        for (SmartschoolSimulator sim : platforms.all()) {
            Map<String, Object> v = sim.linkWrites().view();
            for (int i = 0; i < names.length; i++) {
                sums[i] += ((Number) v.get(names[i])).longValue();
            }
            ((Map<?, ?>) v.get("repeatedKeys")).forEach((k, n) -> {
                if (repeated.size() < 100) {
                    repeated.put(sim.name() + ":" + k, n);
                }
            });
            each.put(sim.name(), v);
        }
        for (int i = 0; i < names.length; i++) {
            out.put(names[i], sums[i]);
        }
        out.put("repeatedKeys", repeated);
        out.put("platforms", each);
        return out;
    }

    /** A platform's faults, or every platform's when {@code platform} is left out. */
    @PostMapping("/admin/faults")
    public Faults.Settings faults(@RequestBody(required = false) Faults.Settings settings) {
        Faults.Settings s = settings == null ? Faults.Settings.NONE : settings;
        platforms.setFaults(s.platform(), s);
        return platforms.faults(s.platform() != null ? s.platform() : platforms.names().get(0)).settings();
    }

    @PutMapping("/admin/settings")
    public List<SettingsView> changeSettings(@RequestBody SettingsChange change) {
        List<SettingsView> out = new ArrayList<>();
        java.util.Collection<SmartschoolSimulator> which = change.platform() == null ? platforms.all() : List.of(platforms.require(change.platform()));
        if (change.platform() == null && change.discimusInstitutions() != null) {
            // for every platform: each takes the institutions it holds; one no platform holds is refused
            for (String inst : change.discimusInstitutions()) {
                if (which.stream().noneMatch(sim -> sim.population().institutions().contains(inst))) {
                    throw new SimValidationException("unknown institution number in discimusInstitutions");
                }
            }
        }
        for (SmartschoolSimulator sim : which) {
            List<String> discimus = change.discimusInstitutions() == null || change.platform() != null ? change.discimusInstitutions()
                    : change.discimusInstitutions().stream().filter(sim.population().institutions()::contains).toList();
            sim.updateSettings(change.absenceSyncEnabled(), discimus, change.aliases());
            if (change.accesscode() != null) {
                sim.accesscode(change.accesscode().isBlank() ? null : change.accesscode());
            }
            out.add(settings(sim));
        }
        return out;
    }

    static Map<String, Object> view(SmartschoolSimulator sim, Cell c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("platform", sim.name());
        Pupil p = sim.population().byInternalNumber(c.internalNumber());
        m.put("username", p == null ? null : p.username());
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
