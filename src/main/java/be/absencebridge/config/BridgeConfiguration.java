package be.absencebridge.config;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * The bridge itself, on unless {@code bridge.sync.enabled=false}: the steps of the exchange (the routes' beans), the
 * vendor adapters, backfills, reconciliations and the admin API. The simulators ({@code sim}) are not part of it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "bridge.sync.enabled", havingValue = "true", matchIfMissing = true)
@ComponentScan({"be.absencebridge.exchange", "be.absencebridge.vendor", "be.absencebridge.backfill", "be.absencebridge.reconcile",
        "be.absencebridge.admin"})
public class BridgeConfiguration {
}
