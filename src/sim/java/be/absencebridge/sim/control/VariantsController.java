package be.absencebridge.sim.control;

import be.absencebridge.sim.SimValidationException;
import be.absencebridge.sim.informat.InformatSimulator;
import be.absencebridge.sim.informat.InformatVariants;
import be.absencebridge.sim.smartschool.SmartschoolPlatforms;
import be.absencebridge.sim.smartschool.SmartschoolSimulator;
import be.absencebridge.sim.smartschool.SmartschoolSoapController;
import be.absencebridge.sim.smartschool.SmartschoolVariants;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Published variants (CONTRACTS.md, "Simulator controls"): switch the simulators between the readings the public sources
 * disagree on. Every boolean left out is false, so {@code {}} resets; every seed resets too. A switch must be a JSON
 * boolean (no {@code "true"}, no {@code 1}) and an unknown field is refused (model: a typo must not pass as a reset).
 */
@RestController
@ConditionalOnProperty(name = "bridge.sim.enabled", havingValue = "true", matchIfMissing = true)
public class VariantsController {

    private static final Set<String> SMARTSCHOOL = Set.of("classDataAsArray", "basisrolAsInteger", "emptyDayAsArray",
            "aliasAsLabel", "profileMethods", "platform");
    private static final Set<String> INFORMAT = Set.of("tokenWithoutScope", "problemJson");

    private final SmartschoolPlatforms platforms;
    private final InformatSimulator informat;

    public VariantsController(SmartschoolPlatforms platforms, InformatSimulator informat) {
        this.platforms = platforms;
        this.informat = informat;
    }

    /**
     * {@code {"classDataAsArray","basisrolAsInteger","emptyDayAsArray","aliasAsLabel","profileMethods","platform"}}: the
     * switches of one platform, or of every platform without {@code platform}. {@code profileMethods}: the V3 methods the
     * link's access code opens (a profile with restricted access; null or left out: the global password, every method).
     * Answers the switches of the platform(s) set.
     */
    @PostMapping("/sim/smartschool/admin/variants")
    public List<Map<String, Object>> smartschool(@RequestBody(required = false) JsonNode body) {
        JsonNode b = object(body, SMARTSCHOOL);
        JsonNode platform = b.get("platform");
        if (platform != null && !platform.isNull() && !platform.isTextual()) {
            throw new SimValidationException("platform must be a platform's name");
        }
        SmartschoolVariants v = new SmartschoolVariants(flag(b, "classDataAsArray"), flag(b, "basisrolAsInteger"),
                flag(b, "emptyDayAsArray"), flag(b, "aliasAsLabel"), methods(b.get("profileMethods")));
        List<SmartschoolSimulator> targets = platform == null || platform.isNull()
                ? new ArrayList<>(platforms.all()) : List.of(platforms.require(platform.asText()));
        List<Map<String, Object>> out = new ArrayList<>();
        for (SmartschoolSimulator sim : targets) {
            sim.variants(v);
            out.add(sim.variants().view(sim.name()));
        }
        return out;
    }

    /** Every platform's switches. */
    @GetMapping("/sim/smartschool/admin/variants")
    public List<Map<String, Object>> smartschool() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SmartschoolSimulator sim : platforms.all()) {
            out.add(sim.variants().view(sim.name()));
        }
        return out;
    }

    /** {@code {"tokenWithoutScope","problemJson"}}: answers the switches. */
    @PostMapping("/sim/informat/admin/variants")
    public Map<String, Object> informat(@RequestBody(required = false) JsonNode body) {
        JsonNode b = object(body, INFORMAT);
        informat.variants(new InformatVariants(flag(b, "tokenWithoutScope"), flag(b, "problemJson")));
        return informat.variants().view();
    }

    @GetMapping("/sim/informat/admin/variants")
    public Map<String, Object> informat() {
        return informat.variants().view();
    }

    /** The body as an object of known fields; no body is {@code {}}. */
    private static JsonNode object(JsonNode body, Set<String> fields) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!body.isObject()) {
            throw new SimValidationException("the body must be a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new SimValidationException("unknown field " + name + "; the fields are " + String.join(", ", fields.stream().sorted().toList()));
            }
        }
        return body;
    }

    /** The methods of a restricted profile: V3 methods the simulator answers; null when missing or null. */
    private static Set<String> methods(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw new SimValidationException("field profileMethods must be a list of method names, or null");
        }
        Set<String> out = new java.util.LinkedHashSet<>();
        for (JsonNode m : v) {
            if (!m.isTextual() || !SmartschoolSoapController.methods().contains(m.asText())) {
                throw new SimValidationException("profileMethods: " + m + " is not one of the methods "
                        + String.join(", ", SmartschoolSoapController.methods()));
            }
            out.add(m.asText());
        }
        return out;
    }

    /** A switch: a JSON boolean, false when missing or null. */
    private static boolean flag(JsonNode body, String name) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new SimValidationException("field " + name + " must be true or false");
        }
        return v.booleanValue();
    }
}
