package be.absencebridge.config;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * The bridge itself, on unless {@code bridge.sync.enabled=false}: the steps of the exchange (the routes' beans), the
 * vendor adapters, backfills, reconciliations and the admin API's services (its
 * controllers are on the management port, {@code admin.AdminApi}). The simulators ({@code sim}) are not part of it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "bridge.sync.enabled", havingValue = "true", matchIfMissing = true)
@ComponentScan(value = {"be.absencebridge.exchange", "be.absencebridge.vendor", "be.absencebridge.backfill",
        "be.absencebridge.reconcile", "be.absencebridge.retention", "be.absencebridge.admin"},
        // the admin API's controllers belong to the management port's context (admin.AdminApi)
        excludeFilters = @ComponentScan.Filter({org.springframework.web.bind.annotation.RestController.class,
                org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration.class}))
public class BridgeConfiguration {
}
