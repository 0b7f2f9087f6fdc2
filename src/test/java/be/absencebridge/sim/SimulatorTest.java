package be.absencebridge.sim;

import be.absencebridge.support.SimulatorClient;

import be.absencebridge.support.Http;
import be.absencebridge.support.MutableClock;
import be.absencebridge.support.PushRecorder;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * The simulators alone ({@code bridge.sync.enabled=false}) over real HTTP, pushing to a real recorder.
 * The clock is pinned to Friday 27 November 2026, noon in Brussels, and can be moved.
 */
@SpringBootTest(classes = be.absencebridge.demo.DemoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bridge.sync.enabled=false",
        "bridge.sim.traffic-events-per-second=0",
        "bridge.sim.token-ttl-seconds=600",
        "management.server.port=0"})
@ActiveProfiles("sim")
@Import(SimulatorTest.Clocks.class)
public abstract class SimulatorTest extends SimulatorClient {

    public static final Instant SCHOOL_DAY_NOON = Instant.parse("2026-11-27T11:00:00Z");
    protected static final PushRecorder PUSHES = new PushRecorder();

    @DynamicPropertySource
    static void pushTarget(DynamicPropertyRegistry registry) {
        registry.add("bridge.sim.push-url", PUSHES::url);
    }

    @TestConfiguration
    public static class Clocks {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(SCHOOL_DAY_NOON);
        }
    }

    @LocalServerPort
    protected int port;
    @Autowired
    protected MutableClock clock;


    @BeforeEach
    void freshWorld() {
        http = new Http("http://127.0.0.1:" + port);
        clock.set(SCHOOL_DAY_NOON);
        http.postJson("/sim/smartschool/admin/faults", Map.of());
        http.postJson("/sim/informat/admin/faults", Map.of());
        Http.Response seeded = http.postJson("/sim/smartschool/admin/seed",
                Map.of("institutions", 2, "branchesPerInstitution", 2, "pupilsPerBranch", 50, "schoolYear", "2026-27", "seed", 7));
        if (seeded.status() != 200) {
            throw new IllegalStateException("seed failed: " + seeded.text());
        }
        PUSHES.clear();
    }

    @AfterAll
    static void noop() {
        // the recorder lives as long as the JVM: the Spring context (cached) keeps pushing to it
    }


}
