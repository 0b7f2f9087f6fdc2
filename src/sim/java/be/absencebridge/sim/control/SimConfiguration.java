package be.absencebridge.sim.control;

import be.absencebridge.sim.FaultInjectionFilter;
import be.absencebridge.sim.Interactions;
import be.absencebridge.sim.Faults;
import be.absencebridge.sim.Pusher;
import be.absencebridge.sim.SimProperties;

import be.absencebridge.sim.support.BodyLimitFilter;

import be.absencebridge.sim.informat.InformatSimulator;
import be.absencebridge.sim.informat.InformatAuth;
import be.absencebridge.sim.informat.TokenStore;
import be.absencebridge.sim.smartschool.SmartschoolPlatforms;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/** The two vendor simulators in this process ({@code bridge.sim.enabled}, on in the {@code sim} profile). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "bridge.sim.enabled", havingValue = "true", matchIfMissing = true)
@org.springframework.boot.context.properties.EnableConfigurationProperties(SimProperties.class)
public class SimConfiguration {

    private volatile int localPort = 8080;

    @EventListener
    public void onWebServer(WebServerInitializedEvent event) {
        // the application's own server, not the management server
        if (!"management".equals(event.getApplicationContext().getServerNamespace())) {
            localPort = event.getWebServer().getPort();
        }
    }

    @Bean
    Faults informatFaults() {
        return new Faults();
    }

    /** Not an Executor bean of its own: that would make Spring Boot's task executor back off. */
    @Bean
    HttpClient simPushClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private String pushBase(SimProperties props) {
        String url = props.getPushUrl();
        return url == null || url.isBlank() ? "http://127.0.0.1:" + localPort : url.replaceAll("/+$", "");
    }

    /**
     * The board's Smartschool platforms; each pushes to {@code /api/inbound/smartschool/<name>}, signed with its own
     * secret when the bridge's configuration gives the platform one ({@code bridge.smartschool.platforms.<name>.webhook-secret}),
     * else with {@code bridge.smartschool.webhook-secret}.
     */
    @Bean
    SmartschoolPlatforms simSmartschoolPlatforms(Clock clock, SimProperties props, HttpClient simPushClient, ObjectMapper json,
                                              org.springframework.core.env.Environment env,
                                              @Value("${bridge.smartschool.webhook-secret}") String secret) {
        return new SmartschoolPlatforms(clock, props.getSmartschoolLinkAccount(), (name, faults) -> new Pusher(simPushClient,
                clock, () -> pushBase(props), "/api/inbound/smartschool/" + name,
                env.getProperty("bridge.smartschool.platforms." + name + ".webhook-secret", secret), faults, json));
    }

    @Bean
    InformatSimulator informatSimulator(Clock clock, SimProperties props, HttpClient simPushClient, ObjectMapper json,
                                        Faults informatFaults,
                                        @Value("${bridge.informat.webhook-secret}") String secret) {
        Pusher pusher = new Pusher(simPushClient, clock, () -> pushBase(props), "/api/inbound/informat", secret, informatFaults, json);
        return new InformatSimulator(clock, pusher);
    }

    @Bean
    TokenStore informatSimTokens(Clock clock) {
        return new TokenStore(clock);
    }

    @Bean
    InformatAuth informatAuth(TokenStore tokens) {
        return new InformatAuth(tokens);
    }

    @Bean
    SimulatedWorld simulatedWorld(SmartschoolPlatforms smartschool, InformatSimulator informat, TokenStore tokens, Clock clock,
                                  SimProperties props) {
        SimulatedWorld world = new SimulatedWorld(smartschool, informat, tokens, clock);
        world.seed(props.getSeed());
        return world;
    }

    @Bean(destroyMethod = "close")
    TrafficGenerator trafficGenerator(SimulatedWorld world, Clock clock, SimProperties props) {
        TrafficGenerator traffic = new TrafficGenerator(world, clock);
        traffic.setEnrolmentsPerDay(props.getEnrolmentsPerDay());
        return traffic;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void startTraffic(ApplicationReadyEvent event) {
        SimProperties props = event.getApplicationContext().getBean(SimProperties.class);
        if (props.getTrafficEventsPerSecond() > 0) {
            event.getApplicationContext().getBean(TrafficGenerator.class).setRate(props.getTrafficEventsPerSecond());
        }
    }

    @Bean
    FilterRegistrationBean<BodyLimitFilter> simBodySizeLimit(SimProperties props) {
        FilterRegistrationBean<BodyLimitFilter> bean = new FilterRegistrationBean<>(new BodyLimitFilter(props.getMaxBodyBytes()));
        bean.addUrlPatterns("/sim/*");
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return bean;
    }

    @Bean
    FilterRegistrationBean<FaultInjectionFilter> smartschoolFaultFilter(SmartschoolPlatforms platforms) {
        // each platform its own faults: the platform is the path's first segment after /sim/smartschool/
        Faults none = new Faults();
        FilterRegistrationBean<FaultInjectionFilter> bean = new FilterRegistrationBean<>(new FaultInjectionFilter(
                "/sim/smartschool/admin/", request -> {
                    String rest = request.getRequestURI().substring("/sim/smartschool/".length());
                    String name = rest.indexOf('/') < 0 ? rest : rest.substring(0, rest.indexOf('/'));
                    return platforms.get(name) == null ? none : platforms.faults(name);
                }));
        bean.addUrlPatterns("/sim/smartschool/*");
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return bean;
    }

    @Bean
    FilterRegistrationBean<FaultInjectionFilter> informatFaultFilter(Faults informatFaults) {
        // Informat's three hosts: the identity server, the Student API (and its partner endpoints), the older pupil API
        FilterRegistrationBean<FaultInjectionFilter> bean =
                new FilterRegistrationBean<>(new FaultInjectionFilter("/sim/informat/admin/", request -> informatFaults));
        bean.addUrlPatterns("/sim/informat/*", "/sim/identityserver/*", "/sim/informat-leerlingen/*");
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return bean;
    }

    @Bean
    Interactions informatInteractions() {
        return new Interactions();
    }

    @Bean
    Interactions smartschoolInteractions() {
        return new Interactions();
    }

    /** The Smartschool partner endpoints' and SOAP service's calls, for the contract tests. */
    @Bean
    FilterRegistrationBean<Interactions> smartschoolInteractionLog(Interactions smartschoolInteractions) {
        FilterRegistrationBean<Interactions> bean = new FilterRegistrationBean<>(smartschoolInteractions);
        // every platform's partner endpoints and SOAP service (the controls are not logged)
        bean.addUrlPatterns("/sim/smartschool/*");
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 30);
        return bean;
    }

    /** The Informat interfaces' calls, for the contract tests (after the faults: a faulted call is not the contract's). */
    @Bean
    FilterRegistrationBean<Interactions> informatInteractionLog(Interactions informatInteractions) {
        FilterRegistrationBean<Interactions> bean = new FilterRegistrationBean<>(informatInteractions);
        bean.addUrlPatterns("/sim/informat/api/*", "/sim/informat/partner/*", "/sim/informat-leerlingen/*");
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 30);
        return bean;
    }
}
