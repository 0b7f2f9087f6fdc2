package be.absencebridge.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every setting has its default in {@code config/application.yaml} (the one place defaults are written): bound from that
 * file alone, with no profile, no setting of {@link BridgeProperties} is missing.
 */
class BridgePropertiesTest {

    @Test
    void everySettingHasItsDefaultInApplicationYaml() throws Exception {
        StandardEnvironment env = new StandardEnvironment();
        new YamlPropertySourceLoader().load("application", new FileSystemResource("config/application.yaml"))
                .forEach(env.getPropertySources()::addLast);
        // the placeholders that refer to the environment (credentials, the port) resolve to something
        env.getPropertySources().addLast(new org.springframework.core.env.MapPropertySource("test",
                java.util.Map.of("server.port", "8080")));
        BridgeProperties props = new Binder(ConfigurationPropertySources.get(env),
                new org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver(env))
                .bind("bridge", BridgeProperties.class).get();
        List<String> missing = new ArrayList<>();
        nulls("bridge", props, missing);
        assertThat(missing).as("settings without a default in config/application.yaml").isEmpty();
    }

    private static void nulls(String path, Object value, List<String> missing) throws Exception {
        for (RecordComponent c : value.getClass().getRecordComponents()) {
            Object v = c.getAccessor().invoke(value);
            String name = path + "." + c.getName();
            if (v == null) {
                missing.add(name);
            } else if (v.getClass().isRecord()) {
                nulls(name, v, missing);
            }
        }
    }
}
