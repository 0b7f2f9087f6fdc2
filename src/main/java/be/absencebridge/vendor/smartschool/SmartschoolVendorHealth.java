package be.absencebridge.vendor.smartschool;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.vendor.VendorHealth;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Smartschool's health: reachable, its circuit breaker, and DOWN while it refuses the web-services access code. */
@Configuration(proxyBeanMethods = false)
public class SmartschoolVendorHealth {

    @Bean
    HealthIndicator smartschoolHealth(CamelContext camel, MeterRegistry meters, BridgeProperties props, SmartschoolSoap soap) {
        return new VendorHealth.Vendor(camel, "smartschool-breaker", props.smartschool().baseUrl(),
                () -> soap.lastError() == SmartschoolSoap.WRONG_ACCESS_CODE
                        ? "Smartschool refuses the web-services access code (error 8): check bridge.smartschool.accesscode"
                        : null).register(meters, "smartschool");
    }
}
