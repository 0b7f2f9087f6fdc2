package be.absencebridge.config;

import be.absencebridge.support.BridgeTest;
import be.absencebridge.support.Browser;
import be.absencebridge.support.Http;
import be.absencebridge.support.OidcProvider;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * People log in as themselves: through the board's identity provider (a real OpenID Connect provider over HTTP, the
 * whole authorization-code login driven by a browser that keeps cookies and follows redirects), with the role their
 * groups give; the local accounts stay beside it and lock after failed logins; every state-changing admin action is
 * recorded with its person.
 */
// a context of its own beside the other tests' one, in the same JVM: its Camel servlet needs a name of its own
@TestPropertySource(properties = {
        "camel.servlet.mapping.servlet-name=CamelServletPeople", "camel.component.servlet.servlet-name=CamelServletPeople",
        "spring.security.oauth2.client.registration.board.client-id=" + OidcProvider.CLIENT_ID,
        "spring.security.oauth2.client.registration.board.client-secret=" + OidcProvider.CLIENT_SECRET,
        "spring.security.oauth2.client.registration.board.scope=openid,profile,email",
        "bridge.security.oidc.admin-groups=bridge-admins",
        "bridge.security.oidc.viewer-groups=bridge-viewers,bridge-auditors"})
@ExtendWith(OutputCaptureExtension.class)
// a context of its own, closed after the class: its pollers and timers do not run on beside the later tests
@org.springframework.test.annotation.DirtiesContext
class PeopleLoginTest extends BridgeTest {

    private static OidcProvider provider;

    @DynamicPropertySource
    static void identityProvider(DynamicPropertyRegistry registry) {
        if (provider == null) {
            provider = OidcProvider.start();
        }
        registry.add("spring.security.oauth2.client.provider.board.issuer-uri", provider::issuer);
    }

    @AfterAll
    static void stopProvider() {
        // the bridge read the provider's keys at the logins; it needs it no more
        provider.close();
        provider = null;
    }

    @Autowired
    private MeterRegistry meters;
    /** The admin API's address: the management port, where people log in too. */
    private String admin() {
        return "http://127.0.0.1:" + managementPort;
    }

    private Browser loggedIn(String person) {
        Browser browser = new Browser();
        Browser.Page landed = browser.logInThroughProvider(admin() + "/oauth2/authorization/board", person, "pw-" + person);
        assertThat(landed.uri().getHost()).as("back at the bridge").isEqualTo("127.0.0.1");
        return browser;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
    }

    /** The recorded actions, newest first, as an admin reads them. */
    private List<JsonNode> actions() {
        Http.Response page = http.get("/api/admin/actions?size=100", "Authorization", adminAuth());
        assertThat(page.status()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        page.json().path("actions").forEach(out::add);
        return out;
    }

    @Test
    void aPersonOfTheAdminGroupChangesThingsAndIsRecordedByName(CapturedOutput output) {
        Browser ann = loggedIn("ann");
        assertThat(ann.get(admin() + "/api/admin/dead-letters").status()).isEqualTo(200);

        Browser.Page replay = ann.postJson(admin() + "/api/admin/dead-letters/987654/replay", "{}");
        assertThat(replay.status()).as(replay.body()).isEqualTo(404);
        Browser.Page bulk = ann.postJson(admin() + "/api/admin/dead-letters/replay", "{\"dryRun\":true}");
        assertThat(bulk.status()).as(bulk.body()).isEqualTo(200);
        assertThat(ann.get(admin() + "/api/admin/actions").status()).as("an admin reads who did what").isEqualTo(200);

        List<JsonNode> actions = actions();
        assertThat(actions).anySatisfy(a -> {
            assertThat(a.path("person").asText()).isEqualTo("ann@board.test");
            assertThat(a.path("login").asText()).isEqualTo("oidc");
            assertThat(a.path("action").asText()).isEqualTo("POST /api/admin/dead-letters/{id}/replay");
            assertThat(a.path("status").asInt()).isEqualTo(404);
            assertThat(a.path("at").asText()).isNotBlank();
        });
        assertThat(actions).anySatisfy(a -> {
            assertThat(a.path("person").asText()).isEqualTo("ann@board.test");
            assertThat(a.path("action").asText()).isEqualTo("POST /api/admin/dead-letters/replay");
            assertThat(a.path("status").asInt()).isEqualTo(200);
        });
        assertThat(actions.get(0).path("action").asText()).as("newest first").isEqualTo("POST /api/admin/dead-letters/replay");
        assertThat(actions.toString()).as("the path's values are not kept").doesNotContain("987654");
        assertThat(output.getAll()).contains("Admin action by ann@board.test (oidc login): POST /api/admin/dead-letters/{id}/replay -> 404");

        // the local accounts stay beside the provider (the local run, a break-glass account), and are recorded too
        assertThat(http.postJson("/api/admin/dead-letters/replay", java.util.Map.of("dryRun", true), "Authorization", adminAuth())
                .status()).isEqualTo(200);
        JsonNode newest = actions().get(0);
        assertThat(newest.path("person").asText()).isEqualTo("admin");
        assertThat(newest.path("login").asText()).isEqualTo("local");
    }

    @Test
    void aPersonOfTheViewerGroupReadsButIsRefusedChangesAndTheRefusalIsRecorded() {
        Browser vic = loggedIn("vic");
        assertThat(vic.get(admin() + "/api/admin/dead-letters").status()).isEqualTo(200);

        assertThat(vic.postJson(admin() + "/api/admin/dead-letters/replay", "{\"dryRun\":true}").status()).isEqualTo(403);
        assertThat(vic.postJson(admin() + "/api/admin/dead-letters/4242/replay", "{}").status()).isEqualTo(403);
        assertThat(vic.get(admin() + "/api/admin/actions").status()).as("who did what is for admins").isEqualTo(403);

        assertThat(actions()).anySatisfy(a -> {
            assertThat(a.path("person").asText()).isEqualTo("vic@board.test");
            assertThat(a.path("action").asText()).isEqualTo("POST /api/admin/dead-letters/{id}/replay");
            assertThat(a.path("status").asInt()).isEqualTo(403);
        });
    }

    @Test
    void aPersonInNoneOfTheGroupsGetsNoAccess() {
        Browser nora = new Browser();
        Browser.Page landed = nora.logInThroughProvider(admin() + "/oauth2/authorization/board", "nora", "pw-nora");
        assertThat(landed.status()).isEqualTo(403);
        assertThat(landed.uri().getHost()).isEqualTo("127.0.0.1");

        Browser.Page read = nora.get(admin() + "/api/admin/dead-letters", "Accept", "application/json");
        assertThat(read.status() == 200 && read.uri().getPath().equals("/api/admin/dead-letters"))
                .as("no session, no role: %s %s", read.status(), read.uri()).isFalse();
        assertThat(nora.postJson(admin() + "/api/admin/dead-letters/replay", "{\"dryRun\":true}").status()).isIn(401, 403);
    }

    @Test
    void aJolokiaOperationIsRecordedWithItsPersonAndWithoutItsArguments() {
        Http management = new Http("http://127.0.0.1:" + managementPort);
        Http.Response gc = management.postJson("/actuator/jolokia",
                java.util.Map.of("type", "exec", "mbean", "java.lang:type=Memory", "operation", "gc"), "Authorization", adminAuth());
        assertThat(gc.status()).as(gc.text()).isEqualTo(200);
        Http.Response read = management.postJson("/actuator/jolokia",
                java.util.Map.of("type", "read", "mbean", "java.lang:type=Memory", "attribute", "HeapMemoryUsage"), "Authorization", adminAuth());
        assertThat(read.status()).isEqualTo(200);

        List<JsonNode> actions = actions();
        assertThat(actions).anySatisfy(a -> {
            assertThat(a.path("person").asText()).isEqualTo("admin");
            assertThat(a.path("action").asText()).isEqualTo("POST /actuator/jolokia exec java.lang:type=Memory gc");
            assertThat(a.path("status").asInt()).isEqualTo(200);
        });
        assertThat(actions).as("a read changes nothing").noneSatisfy(a -> assertThat(a.path("action").asText()).contains("HeapMemoryUsage"));
    }

    @Test
    void aUserNameIsRefusedAfterFiveFailedLoginsWhateverThePasswordUntilThePeriodPasses(CapturedOutput output) {
        String right = basic("viewer", VIEWER_PASSWORD);
        assertThat(http.get("/api/admin/dead-letters", "Authorization", right).status()).isEqualTo(200);
        double before = failures("bad-credentials");

        for (int i = 0; i < 5; i++) {
            assertThat(http.get("/api/admin/dead-letters", "Authorization", basic("viewer", "guess-" + i)).status()).isEqualTo(401);
        }
        assertThat(http.get("/api/admin/dead-letters", "Authorization", right).status()).as("locked: the right password too")
                .isEqualTo(401);
        // the login form alike
        Http.Response form = new Http(admin()).post("/login", "application/x-www-form-urlencoded", "username=viewer&password=" + VIEWER_PASSWORD);
        assertThat(form.status()).isEqualTo(302);
        assertThat(form.header("Location")).endsWith("/login?error");
        // another name is not locked
        assertThat(http.get("/api/admin/dead-letters", "Authorization", adminAuth()).status()).isEqualTo(200);

        assertThat(failures("bad-credentials") - before).isEqualTo(5);
        assertThat(failures("locked")).isGreaterThanOrEqualTo(2);
        assertThat(output.getAll()).contains("Login of user name 'viewer' refused until").doesNotContain(VIEWER_PASSWORD)
                .doesNotContain("guess-");

        clock.advance(Duration.ofMinutes(14));
        assertThat(http.get("/api/admin/dead-letters", "Authorization", right).status()).isEqualTo(401);
        clock.advance(Duration.ofMinutes(2));
        assertThat(http.get("/api/admin/dead-letters", "Authorization", right).status()).isEqualTo(200);
    }

    private double failures(String reason) {
        var counter = meters.find("bridge.login.failures").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }
}
