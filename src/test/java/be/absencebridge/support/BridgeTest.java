package be.absencebridge.support;

import be.absencebridge.support.FreePort;
import be.absencebridge.support.Http;
import be.absencebridge.support.MutableClock;
import be.absencebridge.sim.SimulatorTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The whole product as a local run starts it (sim profile: both simulators, the bridge's routes, an embedded
 * PostgreSQL), on a fixed free port so that the bridge reaches the simulators over real HTTP.
 */
@SpringBootTest(classes = be.absencebridge.demo.DemoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
        "bridge.sim.traffic-events-per-second=0",
        "bridge.exchange.settings-refresh=0s",
        "bridge.directory-refresh=0s",
        // a platform failing every call is DOWN after this (AccessCodeAlarmTest)
        "bridge.vendor-failing-after=2s",
        // the tests run the pollers themselves, in the order they need
        "bridge.pollers.informat-cron=0+0+0+1+1+?+2099",
        "bridge.pollers.smartschool-cron=0+0+0+1+1+?+2099",
        "bridge.exchange.links-active-since=2026-09-01T00:00:00+02:00",
        "bridge.delivery.retry-base-delay-ms=50",
        "bridge.delivery.retry-max-delay-seconds=2",
        "bridge.delivery.poll-interval-ms=200",
        // a hand-off lost (a stopped lane, a test that hands rows itself) found soon
        "bridge.delivery.handoff-grace-seconds=1",
        "bridge.processing.recovery-age-seconds=2",
        "bridge.processing.recovery-interval-ms=500",
        // every backfill pauses after 15 days and is resumed from the database, as after a restart
        "bridge.backfill.max-days-per-run=15",
        "bridge.backfill.resume-interval-ms=300",
        "bridge.admin.password=" + BridgeTest.ADMIN_PASSWORD,
        "bridge.viewer.password=" + BridgeTest.VIEWER_PASSWORD,
        "bridge.metrics.password=" + BridgeTest.METRICS_PASSWORD,
        "management.server.port=0"})
@ActiveProfiles("sim")
@Import(SimulatorTest.Clocks.class)
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability
public abstract class BridgeTest extends SimulatorClient {

    protected static final String ADMIN_PASSWORD = "test-admin-password";
    protected static final String VIEWER_PASSWORD = "test-viewer-password";
    protected static final String METRICS_PASSWORD = "test-metrics-password";

    protected static String adminAuth() {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes());
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        // a port per context (a test class with properties of its own gets a context of its own beside the others)
        int port = FreePort.find();
        registry.add("server.port", () -> port);
        // a scheduler name per context: Quartz keeps its job stores' data sources in one registry per JVM, by that name,
        // so contexts of one name would all use the last one's database (and fail once it is closed)
        registry.add("spring.quartz.properties.org.quartz.scheduler.instanceName", () -> "absence-bridge-" + port);
        Path data = Files.createTempDirectory("absence-bridge-test");
        registry.add("bridge.data-dir", data::toString);
    }

    /** The port this test's context listens on (a test class with its own context gives it one of its own). */
    @org.springframework.beans.factory.annotation.Value("${local.server.port}")
    private int port;

    /** The management port: the admin API and the actuator ({@link Http} sends those paths there). */
    @org.springframework.beans.factory.annotation.Value("${local.management.port}")
    protected int managementPort;

    @Autowired
    protected MutableClock clock;
    @Autowired
    protected CamelContext camel;

    @Override
    protected java.time.Clock signingClock() {
        return clock;
    }

    /** Headers of a Smartschool push of platform school1 (the sim profile's secret), signed by the bridge's clock. */
    protected PushHeaders smartschoolPush() {
        return new PushHeaders("sim-smartschool-webhook-secret", clock);
    }

    /** Headers of an Informat push (the sim profile's secret), signed by the bridge's clock. */
    protected PushHeaders informatPush() {
        return new PushHeaders("sim-informat-webhook-secret", clock);
    }


    @Autowired
    protected org.springframework.jdbc.core.JdbcTemplate jdbc;

    @BeforeEach
    void freshWorld() {
        // the simulators are seeded anew: the switches count as on since the start of the year again
        jdbc.update("DELETE FROM link_activation");
        // and Smartschool's register is new: what the poller read of the previous one is forgotten
        jdbc.update("DELETE FROM smartschool_read");
        jdbc.update("DELETE FROM smartschool_read_day");
        // a test with vendor faults may have opened a circuit breaker; each test starts with closed ones
        for (String breaker : new String[] {"informat-breaker", "smartschool-school1-breaker", "smartschool-school2-breaker"}) {
            camel.getProcessor(breaker, org.apache.camel.component.resilience4j.ResilienceProcessor.class).transitionToCloseState();
        }
        http = new Http("http://127.0.0.1:" + port, "http://127.0.0.1:" + managementPort);
        clock.set(SimulatorTest.SCHOOL_DAY_NOON);
        http.postJson("/sim/smartschool/admin/faults", Map.of());
        http.postJson("/sim/informat/admin/faults", Map.of());
        // the same population every test; the bridge's directories read it from the simulators
        http.postJson("/sim/smartschool/admin/seed",
                Map.of("institutions", 2, "branchesPerInstitution", 2, "pupilsPerBranch", 50, "schoolYear", "2026-27", "seed", 7));
        // the switches read anew, so that the copy in memory forgets the activations a test made with its clock moved on
        // (the clock went back, and their rows are gone: a record could still meet the copy read before)
        try {
            linkSettings.fresh();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Autowired
    private be.absencebridge.exchange.gate.LinkSettings linkSettings;

    /** The value of one series of the bridge's Prometheus scrape (its name and labels as written there); NaN when absent. */
    protected double metric(String series) {
        for (String line : http.get("/actuator/prometheus", "Authorization", adminAuth()).text().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return Double.NaN;
    }

    /**
     * Both simulators push the link's own writes back to the bridge too, as a vendor that notifies every change would
     * (the partner contract does not): a test of the echo. Until the next test (each starts with the faults reset).
     */
    protected void vendorsEchoTheLinksWrites() {
        http.postJson("/sim/smartschool/admin/faults", Map.of("echo", true));
        http.postJson("/sim/informat/admin/faults", Map.of("echo", true));
    }

    /** The decisions of the audit for a pupil and date, oldest first. */
    protected java.util.List<String> decisions(JsonNode student, String date) {
        JsonNode audit = http.get("/api/admin/audit?institutionNumber=" + student.path("instituteNo").asText()
                + "&registrationNumber=" + student.path("studentNo").asText() + "&date=" + date,
                "Authorization", adminAuth()).json();
        java.util.List<String> out = new java.util.ArrayList<>();
        audit.forEach(a -> out.add(0, a.path("decision").asText()));
        return out;
    }

    protected JsonNode deadLetters() {
        return http.get("/api/admin/dead-letters", "Authorization", adminAuth()).json();
    }

    /** Runs a poller now, as its schedule would. */
    protected void poll(String system) {
        producer.sendBody("direct:poll-" + system, null);
    }

    @Autowired
    protected org.apache.camel.ProducerTemplate producer;


}
