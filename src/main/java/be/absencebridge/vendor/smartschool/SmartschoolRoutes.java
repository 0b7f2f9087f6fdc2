package be.absencebridge.vendor.smartschool;

import be.absencebridge.config.BridgeProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The routes each configured Smartschool platform has of its own, made from the templates of {@code routes/} once the
 * routes are loaded: its poller ({@code smartschool-poller-<platform>}, template {@code smartschool-poller}), its
 * delivery lane ({@code smartschool-<platform>-deliver}, template {@code delivery}) and its circuit breaker
 * ({@code smartschool-<platform>-guarded}, template {@code guarded-call}, breaker {@code smartschool-<platform>-breaker}).
 * A platform that is down or refuses its access code fills its own queue and opens its own breaker; the others flow on.
 */
@Component
public class SmartschoolRoutes implements CamelContextConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SmartschoolRoutes.class);

    private final Platforms platforms;
    private final String defaultCron;

    public SmartschoolRoutes(Platforms platforms, BridgeProperties props) {
        this.platforms = platforms;
        this.defaultCron = props.pollers().smartschoolCron();
    }

    /**
     * Made before the context starts (the templates of {@code routes/} are loaded by then), so that the platforms'
     * routes start with the others: a Quartz job added to a running clustered scheduler races the other instances'
     * (two starting at once both store it, one fails), and a failure here must stop the start, not be ignored.
     */
    @Override
    public void beforeApplicationStart(CamelContext camel) {
        try {
            for (BridgeProperties.Platform p : platforms.all()) {
                String lane = "smartschool-" + p.name();
                TemplatedRouteBuilder.builder(camel, "guarded-call").routeId(lane + "-guarded").prefixId(lane + "-")
                        .parameter("vendor", lane).parameter("call", "direct:smartschool-call").add();
                TemplatedRouteBuilder.builder(camel, "delivery").routeId(lane + "-deliver")
                        .parameter("target", "smartschool").parameter("lane", lane).parameter("platform", p.name()).add();
                TemplatedRouteBuilder.builder(camel, "smartschool-poller").routeId("smartschool-poller-" + p.name())
                        .parameter("platform", p.name()).parameter("cron", p.pollCron() != null ? p.pollCron() : defaultCron).add();
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("the Smartschool platforms' routes could not be made: " + e.getMessage(), e);
        }
        LOG.info("Smartschool platforms: {} (each its own poller, delivery lane and circuit breaker)", platforms.names());
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        // made before the start
    }
}
