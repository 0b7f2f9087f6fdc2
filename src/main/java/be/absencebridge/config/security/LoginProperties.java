package be.absencebridge.config.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;

/**
 * How people log in ({@code bridge.security.*}); defaults in {@code config/application.yaml}. The board's identity
 * provider itself (issuer, client id and secret) is Spring's own {@code spring.security.oauth2.client.*}.
 */
@ConfigurationProperties(prefix = "bridge.security")
public record LoginProperties(Lockout lockout, Oidc oidc) {

    /** After {@code maxFailures} failed logins of one user name, that name is refused for {@code duration}. */
    public record Lockout(int maxFailures, Duration duration) {
    }

    /**
     * The roles of a person who logs in through the board's identity provider: the values of the token's claim
     * {@code groupsClaim} (a list or a single value) that name an admin or a viewer group. Someone in neither is
     * refused.
     */
    public record Oidc(String groupsClaim, List<String> adminGroups, List<String> viewerGroups) {
        public Oidc {
            groupsClaim = groupsClaim.trim();
            adminGroups = adminGroups == null ? List.of() : List.copyOf(adminGroups);
            viewerGroups = viewerGroups == null ? List.of() : List.copyOf(viewerGroups);
        }
    }
}
