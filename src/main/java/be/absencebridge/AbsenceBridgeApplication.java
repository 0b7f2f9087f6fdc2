package be.absencebridge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * absence-bridge. The bridge's own beans (exchange, vendor, backfill, admin) are scanned by
 * {@link be.absencebridge.config.BridgeConfiguration} only when {@code bridge.sync.enabled}; the simulators
 * ({@code be.absencebridge.sim}) switch themselves on with {@code bridge.sim.enabled}.
 */
@SpringBootApplication(scanBasePackages = {"be.absencebridge.config", "be.absencebridge.sim"})
public class AbsenceBridgeApplication {
    public static void main(String[] args) {
        SpringApplication.run(AbsenceBridgeApplication.class, args);
    }
}
