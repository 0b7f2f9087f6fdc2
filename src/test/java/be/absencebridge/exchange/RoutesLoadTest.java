package be.absencebridge.exchange;

import be.absencebridge.support.BridgeTest;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every file of {@code routes/} loads on its own into a Camel context (the YAML validator plugin is not
 * available here), and the running product has started every route those files declare but the integration team's
 * examples, which ship off (docs/extending.md).
 */
class RoutesLoadTest extends BridgeTest {

    @Test
    void everyRouteFileLoadsAndEveryDeclaredRouteIsStarted() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            files = s.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        Set<String> declared = new HashSet<>();
        for (Path file : files) {
            try (CamelContext ctx = new DefaultCamelContext()) {
                ctx.getPropertiesComponent().setLocation("classpath:application.yaml");
                Resource resource = ResourceHelper.resolveMandatoryResource(ctx, "file:" + file.toAbsolutePath());
                PluginHelper.getRoutesLoader(ctx).loadRoutes(resource);
                for (var def : ((org.apache.camel.model.ModelCamelContext) ctx).getRouteDefinitions()) {
                    assertThat(def.getId()).as("every route in %s has a stable id", file).isNotBlank();
                    assertThat(declared.add(def.getId())).as("route id %s is unique", def.getId()).isTrue();
                }
            }
        }
        assertThat(declared).contains("smartschool-webhook", "informat-deliver", "informat-webhook", "smartschool-deliver");
        // the integration team's example routes ship off (bridge.extensions.<name>.enabled: false): loaded, not started
        Set<String> shippedOff = Set.of("dead-letter-chat");
        assertThat(declared).containsAll(shippedOff);
        for (String id : declared) {
            if (shippedOff.contains(id)) {
                // loaded (its definition is there) and left alone by the route controller: no consumer runs
                var def = ((org.apache.camel.model.ModelCamelContext) camel).getRouteDefinition(id);
                assertThat(def).as(id).isNotNull();
                assertThat(camel.resolvePropertyPlaceholders(def.getAutoStartup())).as(id).isEqualTo("false");
                assertThat(camel.getRouteController().getRouteStatus(id)).as(id).isNotEqualTo(ServiceStatus.Started);
                continue;
            }
            Route route = camel.getRoute(id);
            assertThat(route).as(id).isNotNull();
            assertThat(camel.getRouteController().getRouteStatus(id)).as(id).isEqualTo(ServiceStatus.Started);
        }
    }

    @Autowired
    private org.quartz.Scheduler quartzScheduler;

    /** The nightly reconciliation runs at its hour in Brussels, whatever the machine's zone (containers run in UTC). */
    @Test
    void theNightlyRunIsScheduledInBrusselsTime() throws Exception {
        org.quartz.Trigger t = quartzScheduler.getTrigger(org.quartz.TriggerKey.triggerKey("reconciliation-nightly", "absence-bridge"));
        assertThat(t).isInstanceOf(org.quartz.CronTrigger.class);
        assertThat(((org.quartz.CronTrigger) t).getTimeZone().getID()).isEqualTo("Europe/Brussels");
        // 03:30 in Brussels on the night daylight saving time ends (the hour 02:00-03:00 comes twice)
        java.util.Date next = t.getFireTimeAfter(java.util.Date.from(java.time.Instant.parse("2027-10-30T12:00:00Z")));
        assertThat(next.toInstant()).isEqualTo(java.time.Instant.parse("2027-10-31T02:30:00Z"));
    }
}
