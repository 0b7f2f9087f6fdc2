package be.absencebridge.config;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BridgeProperties.class)
public class ClockConfiguration {

    /**
     * The system clock; {@code bridge.clock-start} (an ISO-8601 moment) starts it elsewhere in time, for demos
     * and the backfill benchmark (a school year's end). Only for the sim profile's simulators and the bridge
     * together: real vendors judge times by their own clocks.
     */
    @Bean
    @ConditionalOnMissingBean
    Clock clock(org.springframework.core.env.Environment env) {
        String start = env.getProperty("bridge.clock-start");
        if (start == null || start.isBlank()) {
            return Clock.systemUTC();
        }
        return Clock.offset(Clock.systemUTC(), java.time.Duration.between(java.time.Instant.now(),
                java.time.OffsetDateTime.parse(start).toInstant()));
    }
}
