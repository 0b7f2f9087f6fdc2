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
     * The system clock; {@code bridge.sim.clock} (an ISO-8601 moment; its older name {@code bridge.clock-start} is still
     * read) starts it at that instant, running on from there, for demos and tests of the night the school year turns
     * and the backfill benchmark (a school year's end). Only in the sim profile, where the simulators and the bridge
     * share it: real vendors judge times by their own clocks, so elsewhere the setting stops the start.
     */
    @Bean
    @ConditionalOnMissingBean
    Clock clock(org.springframework.core.env.Environment env) {
        String start = env.getProperty("bridge.sim.clock", env.getProperty("bridge.clock-start", ""));
        if (start.isBlank()) {
            return Clock.systemUTC();
        }
        if (!env.acceptsProfiles(org.springframework.core.env.Profiles.of("sim"))) {
            throw new IllegalStateException("bridge.sim.clock is for the sim profile only: with real vendors the bridge "
                    + "keeps the real time");
        }
        return Clock.offset(Clock.systemUTC(), java.time.Duration.between(java.time.Instant.now(),
                java.time.OffsetDateTime.parse(start).toInstant()));
    }
}
