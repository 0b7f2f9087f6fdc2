package be.absencebridge.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * How people log in ({@code bridge.security.*}); defaults in {@code config/application.yaml}.
 */
@ConfigurationProperties(prefix = "bridge.security")
public record LoginProperties(Lockout lockout) {

    /** After {@code maxFailures} failed logins of one user name, that name is refused for {@code duration}. */
    public record Lockout(int maxFailures, Duration duration) {
    }
}
