package be.absencebridge.config;

import be.absencebridge.config.security.LoginProperties;
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

    /** The login settings too: the lockout and the identity provider's groups, from that file alone. */
    @Test
    void theLoginSettingsHaveTheirDefaultsInApplicationYaml() throws Exception {
        StandardEnvironment env = new StandardEnvironment();
        new YamlPropertySourceLoader().load("application", new FileSystemResource("config/application.yaml"))
                .forEach(env.getPropertySources()::addLast);
        LoginProperties login = new Binder(ConfigurationPropertySources.get(env)).bind("bridge.security", LoginProperties.class).get();
        assertThat(login.lockout().maxFailures()).isEqualTo(5);
        assertThat(login.lockout().duration()).isEqualTo(java.time.Duration.ofMinutes(15));
        assertThat(login.oidc().groupsClaim()).isEqualTo("groups");
        assertThat(login.oidc().adminGroups()).as("nobody is an admin unless the board says so").isEmpty();
        assertThat(login.oidc().viewerGroups()).isEmpty();
    }

    /** The retention's settings, every one with its default in that file alone (docs/data-protection.md names them). */
    @Test
    void theRetentionSettingsHaveTheirDefaultsInApplicationYaml() throws Exception {
        StandardEnvironment env = new StandardEnvironment();
        new YamlPropertySourceLoader().load("application", new FileSystemResource("config/application.yaml"))
                .forEach(env.getPropertySources()::addLast);
        be.absencebridge.retention.RetentionProperties retention = new Binder(ConfigurationPropertySources.get(env))
                .bind("bridge.retention", be.absencebridge.retention.RetentionProperties.class).get();
        List<String> missing = new ArrayList<>();
        nulls("bridge.retention", retention, missing);
        assertThat(missing).as("retention settings without a default").isEmpty();
        assertThat(retention.freeTextAfter()).isEqualTo(java.time.Duration.ofDays(7));
        assertThat(retention.eventsAfter()).isEqualTo(java.time.Duration.ofDays(35));
        assertThat(retention.decisionSchoolYears()).as("the current and the previous school year").isEqualTo(2);
        assertThat(retention.auditSchoolYears()).as("the school year and the next").isEqualTo(2);
    }

    /** The board's identity provider and its groups from the environment alone, as a Kubernetes Secret gives them. */
    @Test
    void theIdentityProviderBindsFromTheEnvironment() throws Exception {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new org.springframework.core.env.SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, java.util.Map.of(
                "SPRING_SECURITY_OAUTH2_CLIENT_PROVIDER_BOARD_ISSUERURI", "https://login.microsoftonline.com/tenant/v2.0",
                "SPRING_SECURITY_OAUTH2_CLIENT_REGISTRATION_BOARD_CLIENTID", "client-1",
                "SPRING_SECURITY_OAUTH2_CLIENT_REGISTRATION_BOARD_CLIENTSECRET", "secret-1",
                "SPRING_SECURITY_OAUTH2_CLIENT_REGISTRATION_BOARD_SCOPE", "openid,profile,email",
                "BRIDGE_SECURITY_OIDC_GROUPSCLAIM", "roles",
                "BRIDGE_SECURITY_OIDC_ADMINGROUPS", "bridge-admin,it",
                "BRIDGE_SECURITY_OIDC_VIEWERGROUPS", "bridge-viewer")));
        new YamlPropertySourceLoader().load("application", new FileSystemResource("config/application.yaml"))
                .forEach(env.getPropertySources()::addLast);
        Binder binder = new Binder(ConfigurationPropertySources.get(env));
        var client = binder.bind("spring.security.oauth2.client",
                org.springframework.boot.autoconfigure.security.oauth2.client.OAuth2ClientProperties.class).get();
        assertThat(client.getProvider().get("board").getIssuerUri()).isEqualTo("https://login.microsoftonline.com/tenant/v2.0");
        assertThat(client.getRegistration().get("board").getClientId()).isEqualTo("client-1");
        assertThat(client.getRegistration().get("board").getClientSecret()).isEqualTo("secret-1");
        assertThat(client.getRegistration().get("board").getScope()).containsExactlyInAnyOrder("openid", "profile", "email");
        LoginProperties login = binder.bind("bridge.security", LoginProperties.class).get();
        assertThat(login.oidc().groupsClaim()).isEqualTo("roles");
        assertThat(login.oidc().adminGroups()).containsExactly("bridge-admin", "it");
        assertThat(login.oidc().viewerGroups()).containsExactly("bridge-viewer");
        assertThat(login.lockout().maxFailures()).isEqualTo(5);
    }

    /**
     * A board's platforms from the environment alone, as Kubernetes gives them (the overlay's ConfigMap and one Secret
     * per platform through envFrom with a prefix): names, addresses, each its own credentials, the defaults for the rest.
     */
    @Test
    void platformsBindFromTheEnvironmentEachWithItsOwnCredentials() throws Exception {
        StandardEnvironment env = new StandardEnvironment();
        // in place of the process's environment (Spring maps environment variables by this source's name)
        env.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new org.springframework.core.env.SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, java.util.Map.of(
                "BRIDGE_SMARTSCHOOL_PLATFORMS_SINTJAN_BASEURL", "https://sintjan.smartschool.be/",
                "BRIDGE_SMARTSCHOOL_PLATFORMS_SINTJAN_ACCESSCODE", "code-1",
                "BRIDGE_SMARTSCHOOL_PLATFORMS_SINTJAN_WEBHOOKSECRET", "secret-1",
                "BRIDGE_SMARTSCHOOL_PLATFORMS_DEKLIMOP_BASEURL", "https://deklimop.smartschool.be",
                "BRIDGE_SMARTSCHOOL_PLATFORMS_DEKLIMOP_INSTITUTIONS", "123456,234567",
                "BRIDGE_SMARTSCHOOL_PLATFORMS_DEKLIMOP_POLLCRON", "5/30+*+*+*+*+?",
                "BRIDGE_SMARTSCHOOL_ACCESSCODE", "default-code",
                "BRIDGE_SMARTSCHOOL_WEBHOOKSECRET", "default-secret")));
        new YamlPropertySourceLoader().load("application", new FileSystemResource("config/application.yaml"))
                .forEach(env.getPropertySources()::addLast);
        env.getPropertySources().addLast(new org.springframework.core.env.MapPropertySource("test", java.util.Map.of("server.port", "8080")));
        BridgeProperties props = new Binder(ConfigurationPropertySources.get(env),
                new org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver(env))
                .bind("bridge", BridgeProperties.class).get();
        List<BridgeProperties.Platform> platforms = props.smartschool().platformList();
        assertThat(platforms).extracting(BridgeProperties.Platform::name).containsExactly("deklimop", "sintjan");
        BridgeProperties.Platform deklimop = platforms.get(0);
        BridgeProperties.Platform sintjan = platforms.get(1);
        assertThat(sintjan.baseUrl()).isEqualTo("https://sintjan.smartschool.be");
        assertThat(sintjan.accesscode()).isEqualTo("code-1");
        assertThat(sintjan.webhookSecret()).isEqualTo("secret-1");
        assertThat(sintjan.partner()).isTrue();
        assertThat(deklimop.accesscode()).as("the default").isEqualTo("default-code");
        assertThat(deklimop.webhookSecret()).isEqualTo("default-secret");
        assertThat(deklimop.institutions()).containsExactly("123456", "234567");
        assertThat(deklimop.pollCron()).isEqualTo("5/30+*+*+*+*+?");
        assertThat(sintjan.pollCron()).as("the common schedule").isNull();
    }

    @Test
    void aPlatformWithoutAnAddressOrWithABadNameIsRefused() {
        BridgeProperties.Smartschool noAddress = new BridgeProperties.Smartschool("link", "c", "s", true, java.util.Map.of(
                "school", new BridgeProperties.PlatformSettings(null, null, null, null, null, null, null)));
        org.assertj.core.api.Assertions.assertThatThrownBy(noAddress::platformList).hasMessageContaining("school.base-url");
        BridgeProperties.Smartschool badName = new BridgeProperties.Smartschool("link", "c", "s", true, java.util.Map.of(
                "Sint Jan", new BridgeProperties.PlatformSettings("https://x", null, null, null, null, null, null)));
        org.assertj.core.api.Assertions.assertThatThrownBy(badName::platformList).hasMessageContaining("name");
        BridgeProperties.Smartschool twice = new BridgeProperties.Smartschool("link", "c", "s", true, java.util.Map.of(
                "a", new BridgeProperties.PlatformSettings("https://a", null, null, List.of("123456"), null, null, null),
                "b", new BridgeProperties.PlatformSettings("https://b", null, null, List.of("123456"), null, null, null)));
        org.assertj.core.api.Assertions.assertThatThrownBy(twice::platformList).hasMessageContaining("123456");
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
