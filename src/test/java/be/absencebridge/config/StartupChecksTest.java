package be.absencebridge.config;

import be.absencebridge.AbsenceBridgeApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.mock.env.MockEnvironment;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Closed by default: no profile named means no simulators, and every secret the bridge needs, none of the simulators'. */
class StartupChecksTest {

    private static Throwable rootOf(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The product started as {@code java -jar} would, with these command-line properties (no profile). */
    private static void start(String... properties) throws Exception {
        String data = Files.createTempDirectory("startup-checks").toString();
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--server.port=0",
                "--management.server.port=0", "--bridge.data-dir=" + data, "--spring.main.banner-mode=off",
                "--camel.servlet.mapping.servlet-name=StartupChecksServlet",
                "--camel.component.servlet.servlet-name=StartupChecksServlet"));
        for (String p : properties) {
            args.add("--" + p);
        }
        new SpringApplicationBuilder(AbsenceBridgeApplication.class).run(args.toArray(String[]::new)).close();
    }

    @Test
    void withNoProfileNamedAndNothingSetItDoesNotStartAndNamesWhatIsMissing() {
        assertThatThrownBy(() -> start())
                .satisfies(e -> assertThat(rootOf(e).getMessage())
                        .contains("spring.datasource.url (SPRING_DATASOURCE_URL), the bridge's PostgreSQL, is not set")
                        .contains("bridge.smartschool.platforms lists no platform")
                        .contains("bridge.informat.identity-url (BRIDGE_INFORMAT_IDENTITYURL) is not set")
                        .contains("bridge.informat.client-secret (BRIDGE_INFORMAT_CLIENT_SECRET) is not set"));
    }

    @Test
    void theSimulatorsPublishedValuesAreNoSecretsAndTheSimulatorsNeedTheirProfile() {
        assertThatThrownBy(() -> start("bridge.sim.enabled=true",
                "bridge.smartschool.platforms.sint-jan.base-url=https://sint-jan.smartschool.be",
                "bridge.smartschool.accesscode=sim-accesscode", "bridge.smartschool.webhook-secret=" + "x".repeat(32),
                "bridge.informat.identity-url=https://www.identityserver.be",
                "bridge.informat.student-api-url=https://studentapi.informatsoftware.be/api/v1",
                "bridge.informat.pupil-api-url=https://leerlingenapi.informatsoftware.be",
                "bridge.informat.client-secret=sim-informat-client-secret"))
                .satisfies(e -> assertThat(rootOf(e).getMessage())
                        .contains("bridge.sim.enabled (BRIDGE_SIM_ENABLED) is true")
                        .contains("bridge.smartschool.platforms.sint-jan.accesscode (BRIDGE_SMARTSCHOOL_PLATFORMS_SINTJAN_ACCESSCODE, "
                                + "or bridge.smartschool.accesscode) is one of the simulators' published values")
                        .contains("bridge.informat.client-secret (BRIDGE_INFORMAT_CLIENT_SECRET) is one of the simulators' published values")
                        .doesNotContain("webhook-secret (BRIDGE_SMARTSCHOOL"));
    }

    @Test
    void aCompleteConfigurationPasses() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://db.school.example/bridge")
                .withProperty("bridge.smartschool.platforms.sint-jan.base-url", "https://sint-jan.smartschool.be")
                .withProperty("bridge.smartschool.accesscode", "a-real-access-code")
                .withProperty("bridge.smartschool.webhook-secret", "a-real-push-secret")
                .withProperty("bridge.informat.identity-url", "https://www.identityserver.be")
                .withProperty("bridge.informat.student-api-url", "https://studentapi.informatsoftware.be/api/v1")
                .withProperty("bridge.informat.pupil-api-url", "https://leerlingenapi.informatsoftware.be")
                .withProperty("bridge.informat.partner-url", "https://partner.example/v1")
                .withProperty("bridge.informat.client-id", "absence-bridge")
                .withProperty("bridge.informat.client-secret", "a-real-client-secret")
                .withProperty("bridge.informat.webhook-secret", "a-real-informat-push-secret");
        BridgeProperties bridge = Binder.get(env).bindOrCreate("bridge", BridgeProperties.class);
        assertThat(StartupChecks.problems(bridge, env)).isEmpty();
        env.setProperty("bridge.informat.webhook-secret", "");
        assertThat(StartupChecks.problems(Binder.get(env).bindOrCreate("bridge", BridgeProperties.class), env))
                .containsExactly("bridge.informat.webhook-secret (BRIDGE_INFORMAT_WEBHOOK_SECRET) is not set");
    }
}
