package be.absencebridge.admin;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.web.bind.annotation.RestController;

/**
 * The admin API lives on the management port (CONTRACTS.md): the public port, which the vendors must reach from the
 * internet, serves the webhooks and nothing else of the product. Spring Boot runs the management port as a child
 * context with its own dispatcher; this configuration (listed in
 * {@code META-INF/spring/...ManagementContextConfiguration.imports}, never component-scanned) puts the admin
 * package's controllers there, where they use the bridge's beans of the parent context. With the management port
 * equal to the public one ({@code ANY}) they are in the one context.
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
@ConditionalOnProperty(name = "bridge.sync.enabled", havingValue = "true", matchIfMissing = true)
@ComponentScan(basePackageClasses = AdminApi.class, useDefaultFilters = false,
        includeFilters = @ComponentScan.Filter(RestController.class))
public class AdminApi {
}
