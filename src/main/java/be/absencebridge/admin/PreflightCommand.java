package be.absencebridge.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * {@code java -jar absence-bridge.jar --bridge.preflight=true} with the production configuration: the {@link Preflight}
 * report printed as JSON, the process ended with 0 only when it is {@code ok}. No route starts in this mode
 * (config/ModeEnvironment), so nothing is written to a vendor.
 */
@Component
@ConditionalOnProperty(name = "bridge.preflight", havingValue = "true")
public class PreflightCommand implements ApplicationRunner {

    private final Preflight preflight;
    private final ObjectMapper json;
    private final ConfigurableApplicationContext context;

    public PreflightCommand(Preflight preflight, ObjectMapper json, ConfigurableApplicationContext context) {
        this.preflight = preflight;
        this.json = json;
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        Map<String, Object> report = preflight.run();
        System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        int code = Boolean.TRUE.equals(report.get("ok")) ? 0 : 1;
        System.exit(SpringApplication.exit(context, () -> code));
    }
}
