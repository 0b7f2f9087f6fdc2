package be.absencebridge.config.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationFailureLockedEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses a user name of the local accounts for a while after too many failed logins, whatever the password: on the
 * login form and HTTP Basic alike, since both check passwords through {@link #guard}. Counted per process, in memory:
 * with two replicas each counts its own (an attacker gets twice the tries, still a handful per period), and a restart
 * forgets. The board's identity provider has its own lockout; this one guards the local and break-glass accounts.
 */
@Component
@EnableConfigurationProperties(LoginProperties.class)
public class LoginLockout {

    private static final Logger LOG = LoggerFactory.getLogger(LoginLockout.class);
    /** Names tried without success, the unknown ones too: bounded, so that a flood of made-up names cannot fill memory. */
    private static final int MAX_NAMES = 10_000;

    private final LoginProperties.Lockout settings;
    private final Clock clock;
    private final Counter badCredentials;
    private final Counter refusedWhileLocked;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    /** Failed logins since {@code since}; {@code lockedUntil} set once there were too many. */
    private record Failures(int count, Instant since, Instant lockedUntil) {
    }

    public LoginLockout(LoginProperties properties, Clock clock, MeterRegistry meters) {
        this.settings = properties.lockout();
        this.clock = clock;
        // no user names as labels: the log says whose
        this.badCredentials = Counter.builder("bridge.login.failures").tag("reason", "bad-credentials")
                .description("Failed logins of the local accounts").register(meters);
        this.refusedWhileLocked = Counter.builder("bridge.login.failures").tag("reason", "locked")
                .description("Failed logins of the local accounts").register(meters);
    }

    /** The users, with a name that is locked out marked locked: Spring Security then refuses it before the password. */
    public UserDetailsService guard(UserDetailsService users) {
        return name -> {
            UserDetails user = users.loadUserByUsername(name);
            return locked(name) ? User.withUserDetails(user).accountLocked(true).build() : user;
        };
    }

    public boolean locked(String name) {
        Failures f = failures.get(key(name));
        return f != null && f.lockedUntil() != null && clock.instant().isBefore(f.lockedUntil());
    }

    @EventListener
    void failed(AuthenticationFailureBadCredentialsEvent event) {
        String name = nameOf(event.getAuthentication());
        if (name == null) {
            return;
        }
        badCredentials.increment();
        Instant now = clock.instant();
        if (failures.size() >= MAX_NAMES) {
            failures.values().removeIf(f -> expired(f, now));
        }
        Failures after = failures.compute(key(name), (k, f) -> {
            if (f == null || expired(f, now)) {
                f = new Failures(0, now, null);
            }
            int count = f.count() + 1;
            return count >= settings.maxFailures() ? new Failures(0, now, now.plus(settings.duration()))
                    : new Failures(count, f.since(), null);
        });
        if (after.lockedUntil() != null && after.since().equals(now)) {
            LOG.warn("Login of user name '{}' refused until {}: {} failed logins", name, after.lockedUntil(), settings.maxFailures());
        } else {
            LOG.info("Failed login of user name '{}' ({} of {})", name, after.count(), settings.maxFailures());
        }
    }

    @EventListener
    void refused(AuthenticationFailureLockedEvent event) {
        refusedWhileLocked.increment();
        LOG.info("Login of user name '{}' refused: locked after failed logins", nameOf(event.getAuthentication()));
    }

    @EventListener
    void succeeded(AuthenticationSuccessEvent event) {
        if (event.getAuthentication() instanceof UsernamePasswordAuthenticationToken) {
            String name = nameOf(event.getAuthentication());
            if (name != null) {
                failures.remove(key(name));
            }
        }
    }

    /** A count that ran its period without reaching the lock, or a lock that has passed. */
    private boolean expired(Failures f, Instant now) {
        return f.lockedUntil() != null ? !now.isBefore(f.lockedUntil()) : !now.isBefore(f.since().plus(settings.duration()));
    }

    private static String nameOf(Authentication authentication) {
        return authentication instanceof UsernamePasswordAuthenticationToken && authentication.getName() != null
                ? authentication.getName() : null;
    }

    private static String key(String name) {
        return name.trim().toLowerCase(java.util.Locale.ROOT);
    }
}
