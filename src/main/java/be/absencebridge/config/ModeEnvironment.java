package be.absencebridge.config;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * The process's modes read before anything starts: the preflight command ({@code bridge.preflight=true}) starts no
 * route; with {@code bridge.sync.enabled=false} the bridge itself is off (no database, no route): what is left is the
 * demo artifact's simulators, which can then run beside a bridge process without sharing its data folder.
 */
public class ModeEnvironment implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if ("true".equalsIgnoreCase(env.getProperty("bridge.preflight", "false"))) {
            // the preflight command: the vendors are only read, so no route starts (no poller, no delivery, no backfill).
            // The supervising route controller starts every route whatever the context's auto-startup says (PreflightCommandIT
            // saw all 33 started, the pollers scheduled): it is off in this mode, and so is the Quartz scheduler, which
            // would fire the pollers' triggers its endpoints still register
            env.getPropertySources().addFirst(new MapPropertySource("preflight", Map.of("camel.main.auto-startup", "false",
                    "camel.routecontroller.enabled", "false", "camel.component.quartz.auto-start-scheduler", "false")));
        }
        if ("false".equalsIgnoreCase(env.getProperty("bridge.sync.enabled", "true"))) {
            env.getPropertySources().addFirst(new MapPropertySource("simulatorsOnly", Map.of(
                    "spring.autoconfigure.exclude",
                    "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration,"
                            + "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration,"
                            + "org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration",
                    "camel.component.quartz.enabled", "false",
                    "management.endpoint.health.group.readiness.include", "readinessState",
                    // the simulators have no vendors of their own to watch
                    "management.endpoint.health.group.vendors.include", "ping",
                    "camel.main.routes-collector-enabled", "false",
                    // no webhooks to receive: no Camel servlet (its name is one per JVM, a bridge beside it has it)
                    "camel.servlet.mapping.enabled", "false")));
        }
    }
}
