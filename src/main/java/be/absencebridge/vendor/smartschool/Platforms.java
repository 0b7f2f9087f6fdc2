package be.absencebridge.vendor.smartschool;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.config.BridgeProperties.Platform;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The school board's Smartschool platforms as configured ({@code bridge.smartschool.platforms}), by name: one per
 * school, each with its own address, access code and push secret. Read once at start: a platform is added or removed
 * by configuration and a restart (a rollout on Kubernetes), no rebuild.
 */
@Component("smartschoolPlatforms")
public class Platforms {

    private final Map<String, Platform> byName = new LinkedHashMap<>();

    public Platforms(BridgeProperties props) {
        for (Platform p : props.smartschool().platformList()) {
            byName.put(p.name(), p);
        }
    }

    public List<Platform> all() {
        return List.copyOf(byName.values());
    }

    /** A platform by name, or null when none is configured by that name. */
    public Platform get(String name) {
        return name == null ? null : byName.get(name);
    }

    /** The platform that lists the institution in its configuration, or null (none lists it). */
    public Platform listing(String institutionNumber) {
        for (Platform p : byName.values()) {
            if (p.institutions().contains(institutionNumber)) {
                return p;
            }
        }
        return null;
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }
}
