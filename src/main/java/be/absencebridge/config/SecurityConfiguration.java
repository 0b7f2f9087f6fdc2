package be.absencebridge.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * HTTP security. The admin API, Hawtio and Jolokia need a login (role {@code admin}, or {@code viewer} for
 * reading); the inbound webhooks are checked by their HMAC signature in the routes; health probes are open.
 * The admin password comes from {@code bridge.admin.password}; only the {@code sim} profile makes one up.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
        http
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                        // the console and Jolokia can stop routes and run operations: admins only
                        .requestMatchers(EndpointRequest.to("hawtio", "jolokia")).hasRole("ADMIN")
                        .requestMatchers("/api/inbound/**").permitAll()
                        .requestMatchers("/sim/**").permitAll()
                        .requestMatchers("/error").permitAll()
                        .requestMatchers(org.springframework.http.HttpMethod.GET, "/api/admin/**").hasAnyRole("ADMIN", "VIEWER")
                        .requestMatchers("/api/admin/**").hasRole("ADMIN")
                        .anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                .formLogin(Customizer.withDefaults())
                // machine-to-machine paths carry no browser session; the console keeps CSRF protection
                .csrf(csrf -> csrf.ignoringRequestMatchers("/api/**", "/sim/**"));
        return http.build();
    }

    @Bean
    UserDetailsService users(Environment env) {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        String password = env.getProperty("bridge.admin.password");
        if (password == null || password.isBlank()) {
            if (!env.acceptsProfiles(Profiles.of("sim"))) {
                throw new IllegalStateException("bridge.admin.password (BRIDGE_ADMIN_PASSWORD) is not set: "
                        + "the bridge refuses to start without an admin password outside the sim profile");
            }
            byte[] bytes = new byte[18];
            new SecureRandom().nextBytes(bytes);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            // printed once, on the console of the local run only
            System.out.println("\n*** absence-bridge (sim profile): generated admin password for user 'admin': "
                    + password + " ***\n");
        }
        List<UserDetails> users = new ArrayList<>();
        users.add(User.withUsername(env.getProperty("bridge.admin.username", "admin"))
                .password(encoder.encode(password)).roles("ADMIN", "VIEWER").build());
        String viewer = env.getProperty("bridge.viewer.password");
        if (viewer != null && !viewer.isBlank()) {
            users.add(User.withUsername(env.getProperty("bridge.viewer.username", "viewer"))
                    .password(encoder.encode(viewer)).roles("VIEWER").build());
        }
        return new InMemoryUserDetailsManager(users);
    }
}
