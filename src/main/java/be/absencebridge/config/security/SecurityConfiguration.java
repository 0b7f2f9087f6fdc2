package be.absencebridge.config.security;

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
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * HTTP security. The admin API, Hawtio and Jolokia need a login (role {@code admin}, or {@code viewer} for
 * reading); the inbound webhooks are checked by their HMAC signature in the routes; health probes are open.
 * The admin password comes from {@code bridge.admin.password}; only the {@code sim} profile makes one up.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityConfiguration.class);

    /**
     * Path patterns in this configuration are matched on the whole path: the webhooks are served by Camel's servlet
     * ({@code /api/inbound/*}) beside Spring's DispatcherServlet, and with two servlets Spring Security cannot tell
     * by itself which one a pattern means.
     */
    @Bean
    PathPatternRequestMatcher.Builder pathPatterns() {
        return PathPatternRequestMatcher.withDefaults();
    }

    /**
     * The signed webhooks (and the simulators' own API): no login, no session, no CSRF token, no saved request;
     * the routes check each push's HMAC signature. A chain of their own keeps the hot path to a few filters.
     */
    @Bean
    @org.springframework.core.annotation.Order(1)
    SecurityFilterChain machineEndpoints(HttpSecurity http) throws Exception {
        http.securityMatcher("/api/inbound/**", "/sim/**")
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .securityContext(context -> context.disable())
                .sessionManagement(session -> session.disable())
                .anonymous(anonymous -> anonymous.disable())
                .logout(logout -> logout.disable())
                .servletApi(servletApi -> servletApi.disable())
                .exceptionHandling(exceptions -> exceptions.disable());
        return http.build();
    }

    /**
     * The rest of the public port: nothing. The vendors reach that port from the internet for the webhooks alone; the
     * admin API, the login form, the actuator and Hawtio answer on the management port only, so here they are 404,
     * without a login page or a session that would tell they exist.
     */
    @Bean
    @org.springframework.core.annotation.Order(2)
    SecurityFilterChain publicPortRest(HttpSecurity http, PublicPort publicPort) throws Exception {
        http.securityMatcher(publicPort)
                .authorizeHttpRequests(auth -> auth
                        // the error page of a webhook's own dispatch (a filter's sendError)
                        .dispatcherTypeMatchers(jakarta.servlet.DispatcherType.ERROR).permitAll()
                        .anyRequest().denyAll())
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(new org.springframework.security.web.authentication.HttpStatusEntryPoint(
                                org.springframework.http.HttpStatus.NOT_FOUND))
                        .accessDeniedHandler((request, response, denied) -> response.sendError(HttpServletResponse.SC_NOT_FOUND)))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.disable())
                .securityContext(context -> context.disable())
                .logout(logout -> logout.disable());
        return http.build();
    }

    /** The management port: logins, roles and CSRF (the machine endpoints never reach this chain). */
    @Bean
    @org.springframework.core.annotation.Order(3)
    SecurityFilterChain filterChain(HttpSecurity http, Environment env, IdentityProviderLogin identityProvider,
                                    AdminActionRecorder adminActions) throws Exception {
        http
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                        // the console and Jolokia can stop routes and run operations: admins only
                        .requestMatchers(EndpointRequest.to("hawtio", "jolokia")).hasRole("ADMIN")
                        // the scrape has a login of its own that reads nothing else (bridge.metrics.password)
                        .requestMatchers(EndpointRequest.to("prometheus")).hasAnyRole("ADMIN", "VIEWER", "METRICS")
                        .requestMatchers("/error").permitAll()
                        // the preflight calls every vendor with the production credentials: admins only
                        .requestMatchers("/api/admin/preflight").hasRole("ADMIN")
                        .requestMatchers("/api/admin/actions").hasRole("ADMIN") // who did what: admins only
                        .requestMatchers(org.springframework.http.HttpMethod.GET, "/api/admin/**").hasAnyRole("ADMIN", "VIEWER")
                        .requestMatchers("/api/admin/**").hasRole("ADMIN")
                        .anyRequest().hasAnyRole("ADMIN", "VIEWER"))
                // scripts and Prometheus use basic authentication; a person in a browser gets the login form
                .httpBasic(Customizer.withDefaults())
                .formLogin(Customizer.withDefaults())
                // the console is a single-page application: the token travels in the XSRF-TOKEN cookie and comes
                // back in the X-XSRF-TOKEN header of every call made with the login session (Jolokia, the admin
                // API from a browser). A forged request can only ride on that session cookie: calls without a
                // session (scripts and Prometheus with an Authorization header, signed webhooks, anonymous calls,
                // which are then refused with 401) have nothing to forge.
                .csrf(csrf -> csrf
                        .csrfTokenRepository(csrfCookie(env))
                        .csrfTokenRequestHandler(new SinglePageAppCsrfHandler())
                        .ignoringRequestMatchers(request -> request.getRequestedSessionId() == null
                                || request.getHeader("Authorization") != null));
        // the token is deferred by default: load it on every request so that the cookie is there for the console
        http.addFilterAfter(new CsrfCookieFilter(), BasicAuthenticationFilter.class);
        // a browser's request from another site is refused whatever it carries (a session cookie, Basic credentials)
        http.addFilterBefore(new SameOriginFilter(), org.springframework.security.web.csrf.CsrfFilter.class);
        // people's login: the board's identity provider when one is configured (IdentityProviderLogin), and every
        // state-changing admin action recorded with its person, refused ones included (AdminActionRecorder)
        identityProvider.apply(http);
        http.addFilterAfter(adminActions.filter(), org.springframework.security.web.context.SecurityContextHolderFilter.class);
        return http.build();
    }

    /**
     * The XSRF-TOKEN cookie the console reads: {@code SameSite=Strict} and {@code Secure} like the session cookie
     * ({@code server.servlet.session.cookie.secure}: on, but in the local run over plain HTTP).
     */
    private static CookieCsrfTokenRepository csrfCookie(Environment env) {
        CookieCsrfTokenRepository repository = CookieCsrfTokenRepository.withHttpOnlyFalse();
        boolean secure = env.getProperty("server.servlet.session.cookie.secure", Boolean.class, true);
        repository.setCookieCustomizer(cookie -> cookie.sameSite("Strict").secure(secure));
        return repository;
    }

    /**
     * Spring Security's recipe for single-page applications: BREACH protection (masked token) where the page
     * renders it, the raw cookie value where JavaScript sends it back in a header.
     */
    static final class SinglePageAppCsrfHandler implements CsrfTokenRequestHandler {
        private final CsrfTokenRequestHandler plain = new CsrfTokenRequestAttributeHandler();
        private final CsrfTokenRequestHandler xor = new XorCsrfTokenRequestAttributeHandler();

        @Override
        public void handle(HttpServletRequest request, HttpServletResponse response, Supplier<CsrfToken> token) {
            xor.handle(request, response, token);
            token.get();
        }

        @Override
        public String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken token) {
            String header = request.getHeader(token.getHeaderName());
            return (header != null && !header.isEmpty() ? plain : xor).resolveCsrfTokenValue(request, token);
        }
    }

    /** Touches the deferred token so that the XSRF-TOKEN cookie is written. */
    static final class CsrfCookieFilter extends OncePerRequestFilter {
        /** Scripts never use the token: no token made and no cookie sent for them (webhooks and simulator calls have
         * their own chain, {@link #machineEndpoints}). */
        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return request.getHeader("Authorization") != null;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
            if (token != null) {
                token.getToken();
            }
            chain.doFilter(request, response);
        }
    }

    @Bean
    UserDetailsService users(Environment env, LoginLockout lockout) {
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
        HashedOnFirstUse users = new HashedOnFirstUse(encoder);
        users.add(env.getProperty("bridge.admin.username", "admin"), password, "ADMIN", "VIEWER");
        String viewer = env.getProperty("bridge.viewer.password");
        if (viewer != null && !viewer.isBlank()) {
            users.add(env.getProperty("bridge.viewer.username", "viewer"), viewer, "VIEWER");
        }
        String metrics = env.getProperty("bridge.metrics.password");
        if (metrics != null && !metrics.isBlank()) {
            users.add(env.getProperty("bridge.metrics.username", "metrics"), metrics, "METRICS");
        }
        return lockout.guard(users); // lockout after failed logins
    }

    /**
     * The local logins, each password hashed (bcrypt) when its login is first asked for, and kept only hashed from
     * then on: hashing them all when the context was made cost the start about half a second of its main thread, at a
     * moment when the JIT has compiled nothing yet. Each look-up answers a copy, since a successful login erases the
     * credentials of the user it was given.
     */
    static final class HashedOnFirstUse implements UserDetailsService {

        private final PasswordEncoder encoder;
        private final java.util.Map<String, Login> logins = new java.util.HashMap<>();

        HashedOnFirstUse(PasswordEncoder encoder) {
            this.encoder = encoder;
        }

        void add(String username, String password, String... roles) {
            logins.put(username, new Login(username, password, roles));
        }

        @Override
        public UserDetails loadUserByUsername(String username) {
            Login login = logins.get(username);
            if (login == null) {
                throw new org.springframework.security.core.userdetails.UsernameNotFoundException("no such login");
            }
            return User.withUserDetails(login.hashed(encoder)).build();
        }

        private static final class Login {
            private final String username;
            private final String[] roles;
            private String password;
            private UserDetails hashed;

            Login(String username, String password, String[] roles) {
                this.username = username;
                this.password = password;
                this.roles = roles;
            }

            synchronized UserDetails hashed(PasswordEncoder encoder) {
                if (hashed == null) {
                    hashed = User.withUsername(username).password(encoder.encode(password)).roles(roles).build();
                    password = null;
                }
                return hashed;
            }
        }
    }
}
