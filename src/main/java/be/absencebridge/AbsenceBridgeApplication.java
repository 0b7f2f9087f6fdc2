package be.absencebridge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * absence-bridge. The bridge's own beans (exchange, vendor, backfill, admin) are scanned by
 * {@link be.absencebridge.config.BridgeConfiguration} only when {@code bridge.sync.enabled}. This is the production
 * artifact: it holds no simulator and no database of its own (the local run's artifact, with both, is built from
 * {@code src/demo}).
 */
@SpringBootApplication(scanBasePackages = "be.absencebridge.config")
public class AbsenceBridgeApplication {
    public static void main(String[] args) {
        SpringApplication.run(AbsenceBridgeApplication.class, args);
    }
}
