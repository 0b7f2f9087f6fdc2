package be.absencebridge.demo;

import be.absencebridge.AbsenceBridgeApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

import java.util.Map;

/**
 * The local run ({@code target/absence-bridge-demo-<version>.jar}): the product ({@link AbsenceBridgeApplication}),
 * both vendor simulators ({@code be.absencebridge.sim}, switched on by {@code bridge.sim.enabled}) and an embedded
 * PostgreSQL ({@link EmbeddedDatabase}) in one process. With no profile named the {@code sim} profile is on
 * ({@code application-sim.yaml}: the simulators, their public credentials, a seeded population).
 * The production artifact and image hold none of this.
 */
@SpringBootApplication(scanBasePackages = {"be.absencebridge.sim", "be.absencebridge.demo"})
@Import(AbsenceBridgeApplication.class)
public class DemoApplication {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(DemoApplication.class);
        app.setDefaultProperties(Map.of("spring.profiles.default", "sim"));
        app.run(args);
    }
}
