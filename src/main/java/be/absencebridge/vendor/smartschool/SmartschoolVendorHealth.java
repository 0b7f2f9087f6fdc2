package be.absencebridge.vendor.smartschool;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.vendor.VendorHealth;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each Smartschool platform's health (the {@code vendors} group shows them one by one): reachable, its own circuit
 * breaker, and DOWN while it refuses its web-services access code or every call to it has failed for longer than
 * {@code bridge.vendor-failing-after} (whatever the cause: a wrong address, a proxy's page, a credential), and while the
 * link's restricted profile lacks a method the bridge calls.
 */
@Configuration(proxyBeanMethods = false)
public class SmartschoolVendorHealth {

    @Bean
    HealthContributor smartschoolHealth(CamelContext camel, MeterRegistry meters, Platforms platforms, SmartschoolSoap soap) {
        Map<String, HealthContributor> each = new LinkedHashMap<>();
        for (BridgeProperties.Platform p : platforms.all()) {
            each.put(p.name(), new VendorHealth.Vendor(camel, breaker(p.name()), p.baseUrl(),
                    // a refused access code or a method outside the link's profile; else (reachable is not usable) a
                    // wrong address answering a web page fails every call
                    () -> soap.alarm(p.name()) != null ? soap.alarm(p.name()) : soap.failing(p.name()))
                    .register(meters, "smartschool", p.name()));
        }
        return CompositeHealthContributor.fromMap(each);
    }

    /** The id of the platform's circuit breaker (the guarded-call route made for it: SmartschoolRoutes). */
    public static String breaker(String platform) {
        return "smartschool-" + platform + "-breaker";
    }
}
