package be.absencebridge.sim.smartschool;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Each simulated platform's web-services access code: the one its administrator set (a control), else the one the
 * bridge's configuration gives the platform ({@code bridge.smartschool.platforms.<name>.accesscode}), else
 * {@code bridge.smartschool.accesscode}.
 */
@Component
@ConditionalOnProperty(name = "bridge.sim.enabled", havingValue = "true", matchIfMissing = true)
public class SmartschoolAccessCodes {

    private final Environment env;

    public SmartschoolAccessCodes(Environment env) {
        this.env = env;
    }

    public String of(SmartschoolSimulator sim) {
        if (sim.accesscode() != null) {
            return sim.accesscode();
        }
        return env.getProperty("bridge.smartschool.platforms." + sim.name() + ".accesscode",
                env.getProperty("bridge.smartschool.accesscode", ""));
    }
}
