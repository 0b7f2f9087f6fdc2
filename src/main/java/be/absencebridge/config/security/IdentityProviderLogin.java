package be.absencebridge.config.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Login through the school board's identity provider (OpenID Connect: Microsoft Entra ID, Google Workspace), when
 * one is configured with Spring's {@code spring.security.oauth2.client.registration.*} and {@code provider.*}
 * settings; without them nothing of it appears and the local accounts are the only login. A person's role comes
 * from the provider's groups ({@code bridge.security.oidc.*}); a person in none of the configured groups is refused
 * (403), never given a default role.
 */
@Component
public class IdentityProviderLogin {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityProviderLogin.class);
    /** The error of a person the provider knows but the bridge's groups do not name. */
    static final String NOT_IN_A_GROUP = "not_in_a_bridge_group";

    private final ObjectProvider<ClientRegistrationRepository> registrations;
    private final LoginProperties.Oidc settings;

    public IdentityProviderLogin(ObjectProvider<ClientRegistrationRepository> registrations, LoginProperties properties) {
        this.registrations = registrations;
        this.settings = properties.oidc();
    }

    /** Adds the provider's login to the chain of the people's endpoints, when a provider is configured. */
    public void apply(HttpSecurity http) throws Exception {
        if (registrations.getIfAvailable() == null) {
            return;
        }
        if (settings.adminGroups().isEmpty() && settings.viewerGroups().isEmpty()) {
            LOG.warn("An identity provider is configured but neither bridge.security.oidc.admin-groups nor viewer-groups: "
                    + "nobody can log in through it");
        }
        http.oauth2Login(login -> login
                .userInfoEndpoint(userInfo -> userInfo.oidcUserService(roles()))
                .failureHandler(failures()));
    }

    /** The provider's person with the bridge's roles, named by e-mail where the provider gives one. */
    OAuth2UserService<OidcUserRequest, OidcUser> roles() {
        OidcUserService provider = new OidcUserService();
        return request -> {
            OidcUser user = provider.loadUser(request);
            Set<String> groups = values(user.getClaims().get(settings.groupsClaim()));
            List<GrantedAuthority> roles = new ArrayList<>();
            if (groups.stream().anyMatch(settings.adminGroups()::contains)) {
                roles.add(new SimpleGrantedAuthority("ROLE_ADMIN"));
                roles.add(new SimpleGrantedAuthority("ROLE_VIEWER"));
            } else if (groups.stream().anyMatch(settings.viewerGroups()::contains)) {
                roles.add(new SimpleGrantedAuthority("ROLE_VIEWER"));
            }
            String name = nameClaim(user);
            if (roles.isEmpty()) {
                LOG.info("Login of {} through {} refused: in none of the bridge's groups (claim '{}')", user.getClaims().get(name),
                        request.getClientRegistration().getRegistrationId(), settings.groupsClaim());
                throw new OAuth2AuthenticationException(new OAuth2Error(NOT_IN_A_GROUP,
                        "in none of the groups that may use the bridge", null));
            }
            return new DefaultOidcUser(roles, user.getIdToken(), user.getUserInfo(), name);
        };
    }

    /** The claim that names the person in the log and the admin actions: e-mail, else the user name, else the subject. */
    private static String nameClaim(OidcUser user) {
        for (String claim : List.of("email", "preferred_username", "upn")) {
            Object value = user.getClaims().get(claim);
            if (value instanceof String s && !s.isBlank()) {
                return claim;
            }
        }
        return "sub";
    }

    /** A claim's values: a list of groups (Entra's {@code groups}, {@code roles}) or one value ({@code hd}, {@code email}). */
    private static Set<String> values(Object claim) {
        Set<String> out = new LinkedHashSet<>();
        if (claim instanceof Collection<?> many) {
            many.forEach(v -> out.add(String.valueOf(v)));
        } else if (claim != null) {
            out.add(String.valueOf(claim));
        }
        return out;
    }

    /** A person outside the groups gets 403; any other failure of the provider's login goes back to the login page. */
    private static AuthenticationFailureHandler failures() {
        AuthenticationFailureHandler others = new SimpleUrlAuthenticationFailureHandler("/login?error");
        return (request, response, e) -> {
            if (e instanceof OAuth2AuthenticationException oauth && NOT_IN_A_GROUP.equals(oauth.getError().getErrorCode())) {
                response.sendError(HttpStatus.FORBIDDEN.value(), "Your account is in none of the groups that may use absence-bridge");
            } else {
                others.onAuthenticationFailure(request, response, e);
            }
        };
    }
}
