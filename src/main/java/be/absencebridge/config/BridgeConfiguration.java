package be.absencebridge.config;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/** The bridge itself (routes' beans, admin API), on unless {@code bridge.sync.enabled=false}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "bridge.sync.enabled", havingValue = "true", matchIfMissing = true)
@ComponentScan("be.absencebridge.bridge")
public class BridgeConfiguration {
}
