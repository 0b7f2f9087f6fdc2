package be.absencebridge.config;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Closed by default: outside the {@code sim} profile the bridge starts only with every address and secret it needs
 * set, none of them one of the simulators' published values, and no simulator. Each missing or refused setting is
 * named (with its environment variable) in one message, so that a first start on a cluster says all there is to fix.
 * It runs before any bean is made: before the database is reached or a route starts.
 */
@Component
@ConditionalOnProperty(name = "bridge.sync.enabled", havingValue = "true", matchIfMissing = true)
public class StartupChecks implements BeanFactoryPostProcessor, EnvironmentAware {

    /** The simulators' credentials ({@code config/application-sim.yaml}, the demo): public, so never a secret. */
    static final Set<String> SIMULATOR_VALUES = Set.of("sim-accesscode", "sim-smartschool-webhook-secret",
            "sim-school2-webhook-secret", "sim-informat-client-secret", "sim-informat-webhook-secret");

    private Environment env;

    @Override
    public void setEnvironment(Environment environment) {
        this.env = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        if (env.acceptsProfiles(Profiles.of("sim"))) {
            return;
        }
        BridgeProperties bridge = Binder.get(env).bindOrCreate("bridge", BridgeProperties.class);
        List<String> problems = problems(bridge, env);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the bridge does not start with this configuration (outside the sim profile "
                    + "every address and secret is needed, none of the simulators' values):\n  - " + String.join("\n  - ", problems));
        }
    }

    static List<String> problems(BridgeProperties bridge, Environment env) {
        List<String> problems = new ArrayList<>();
        if (env.getProperty("bridge.sim.enabled", Boolean.class, false)) {
            problems.add("bridge.sim.enabled (BRIDGE_SIM_ENABLED) is true: the simulators run in the sim profile only");
        }
        // the product carries no database of its own (the local run's artifact does)
        address(problems, env.getProperty("spring.datasource.url"), "spring.datasource.url (SPRING_DATASOURCE_URL), the "
                + "bridge's PostgreSQL,");
        BridgeProperties.Smartschool smartschool = bridge.smartschool();
        List<BridgeProperties.Platform> platforms = smartschool == null ? List.of() : smartschool.platformList();
        if (platforms.isEmpty()) {
            problems.add("bridge.smartschool.platforms lists no platform (BRIDGE_SMARTSCHOOL_PLATFORMS_<NAME>_BASEURL)");
        }
        for (BridgeProperties.Platform p : platforms) {
            String prefix = "bridge.smartschool.platforms." + p.name() + ".";
            String envPrefix = "BRIDGE_SMARTSCHOOL_PLATFORMS_" + p.name().replace("-", "").toUpperCase(java.util.Locale.ROOT) + "_";
            secret(problems, p.accesscode(), prefix + "accesscode (" + envPrefix + "ACCESSCODE, or bridge.smartschool.accesscode)");
            if (p.partner()) {
                // its pushes are signed with it: without it every push is refused
                secret(problems, p.webhookSecret(), prefix + "webhook-secret (" + envPrefix
                        + "WEBHOOKSECRET, or bridge.smartschool.webhook-secret)");
            }
        }
        BridgeProperties.Informat informat = bridge.informat();
        if (informat == null) {
            problems.add("bridge.informat is not configured");
            return problems;
        }
        address(problems, informat.identityUrl(), "bridge.informat.identity-url (BRIDGE_INFORMAT_IDENTITYURL)");
        address(problems, informat.studentApiUrl(), "bridge.informat.student-api-url (BRIDGE_INFORMAT_STUDENTAPIURL)");
        address(problems, informat.pupilApiUrl(), "bridge.informat.pupil-api-url (BRIDGE_INFORMAT_PUPILAPIURL)");
        address(problems, informat.clientId(), "bridge.informat.client-id (BRIDGE_INFORMAT_CLIENT_ID)");
        secret(problems, informat.clientSecret(), "bridge.informat.client-secret (BRIDGE_INFORMAT_CLIENT_SECRET)");
        if (informat.partner()) {
            secret(problems, informat.webhookSecret(), "bridge.informat.webhook-secret (BRIDGE_INFORMAT_WEBHOOK_SECRET)");
        }
        return problems;
    }

    private static void address(List<String> problems, String value, String setting) {
        if (value == null || value.isBlank()) {
            problems.add(setting + " is not set");
        }
    }

    private static void secret(List<String> problems, String value, String setting) {
        if (value == null || value.isBlank()) {
            problems.add(setting + " is not set");
        } else if (SIMULATOR_VALUES.contains(value.trim())) {
            problems.add(setting + " is one of the simulators' published values: it is no secret");
        }
    }
}
