package be.absencebridge.config;

import be.absencebridge.support.BridgeTest;
import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a login can be made to do: the public port serves the webhooks alone, Jolokia runs only the console's own
 * operations and only by POST, a request from another site is refused whatever credentials the browser adds, the
 * cookies stay on the site, and each login reads what its role needs.
 */
class SecurityTest extends BridgeTest {

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
    }

    private Http management() {
        return new Http("http://127.0.0.1:" + managementPort);
    }

    private Http publicPort() {
        return new Http(http.base());
    }

    @Test
    void thePublicPortServesTheWebhooksAndNothingElseOfTheProduct() {
        Http pub = publicPort();
        assertThat(pub.get("/api/admin/dead-letters", "Authorization", adminAuth()).status()).isEqualTo(404);
        assertThat(pub.post("/api/admin/dead-letters/1/replay", "application/json", "", "Authorization", adminAuth()).status())
                .isEqualTo(404);
        assertThat(pub.get("/login").status()).isEqualTo(404);
        assertThat(pub.get("/actuator/health").status()).isEqualTo(404);
        assertThat(pub.get("/actuator/hawtio/", "Authorization", adminAuth()).status()).isEqualTo(404);
        // no login form, no session cookie that would tell the admin surface is there
        assertThat(pub.get("/api/admin/audit").header("Set-Cookie")).isNull();
        // the webhooks are there (an unsigned push is refused by its signature check, not hidden)
        assertThat(pub.post("/api/inbound/informat", "application/json", "{}").status()).isEqualTo(401);
        // and the admin API on the management port
        assertThat(management().get("/api/admin/dead-letters", "Authorization", adminAuth()).status()).isEqualTo(200);
    }

    private static boolean refused(Http.Response r) {
        if (r.status() == 403 || r.status() == 405) {
            return true;
        }
        JsonNode body = r.json();
        return body.path("status").asInt() == 403 && r.text().contains("error");
    }

    private Http.Response jolokia(Map<String, Object> request, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = adminAuth();
        System.arraycopy(headers, 0, all, 2, headers.length);
        return management().postJson("/actuator/jolokia", request, all);
    }

    @Test
    void jolokiaRunsTheConsolesOperationsOnlyAndOnlyByPost() {
        // a read by GET (an image tag on a hostile page could send it) is refused, by POST it answers
        assertThat(refused(management().get("/actuator/jolokia/read/java.lang:type=Memory/HeapMemoryUsage",
                "Authorization", adminAuth()))).isTrue();
        Http.Response read = jolokia(Map.of("type", "read", "mbean", "java.lang:type=Memory", "attribute", "HeapMemoryUsage"));
        assertThat(read.json().path("status").asInt()).as(read.text()).isEqualTo(200);

        String context = camel.getManagementName();
        String contextMBean = "org.apache.camel:context=" + context + ",type=context,name=\"" + camel.getName() + "\"";
        // a read that is an operation: allowed
        Http.Response dump = jolokia(Map.of("type", "exec", "mbean", contextMBean, "operation", "dumpRoutesAsXml()"));
        assertThat(dump.json().path("status").asInt()).as(dump.text()).isEqualTo(200);
        // Camel's producer template: any endpoint (sql:, http:, file:) from the console. Refused
        assertThat(refused(jolokia(Map.of("type", "exec", "mbean", contextMBean,
                "operation", "sendBody(java.lang.String,java.lang.Object)", "arguments", List.of("log:jolokia", "x"))))).isTrue();
        assertThat(refused(jolokia(Map.of("type", "exec", "mbean", contextMBean,
                "operation", "requestBody(java.lang.String,java.lang.Object)", "arguments", List.of("log:jolokia", "x"))))).isTrue();
        // a heap dump (every pupil's data in a file), a diagnostic command, an attribute written: refused
        assertThat(refused(jolokia(Map.of("type", "exec", "mbean", "com.sun.management:type=HotSpotDiagnostic",
                "operation", "dumpHeap(java.lang.String,boolean)", "arguments", List.of("/tmp/bridge-heap.hprof", true))))).isTrue();
        assertThat(refused(jolokia(Map.of("type", "exec", "mbean", "com.sun.management:type=DiagnosticCommand",
                "operation", "vmSystemProperties()")))).isTrue();
        assertThat(refused(jolokia(Map.of("type", "write", "mbean", "java.lang:type=Memory", "attribute", "Verbose",
                "value", true)))).isTrue();
        assertThat(java.nio.file.Files.exists(java.nio.file.Path.of("/tmp/bridge-heap.hprof"))).isFalse();
    }

    @Test
    void aRequestFromAnotherSiteIsRefusedWhateverCredentialsTheBrowserAdds() {
        Map<String, Object> version = Map.of("type", "version");
        String own = "http://127.0.0.1:" + managementPort;
        // the console's own calls (same origin) pass
        assertThat(jolokia(version, "Origin", own).json().path("status").asInt()).isEqualTo(200);
        // a hostile page: its Origin, or the browser's Sec-Fetch-Site, gives it away; Basic credentials the browser
        // keeps do not make it pass (the CSRF token is not asked of a request with an Authorization header)
        assertThat(jolokia(version, "Origin", "https://evil.example").status()).isEqualTo(403);
        assertThat(jolokia(version, "Sec-Fetch-Site", "cross-site").status()).isEqualTo(403);
        assertThat(jolokia(version, "Origin", "null").status()).isEqualTo(403);
        assertThat(management().post("/api/admin/dead-letters/replay", "application/json", "{\"dryRun\":true}",
                "Authorization", adminAuth(), "Origin", "https://evil.example").status()).isEqualTo(403);
        assertThat(management().post("/api/admin/dead-letters/replay", "application/json", "{\"dryRun\":true}",
                "Authorization", adminAuth(), "Origin", own).status()).isEqualTo(200);
    }

    @Test
    void theLoginSessionCookieStaysOnTheSite() {
        Http m = management();
        Http.Response form = m.get("/login");
        assertThat(form.status()).isEqualTo(200);
        String xsrf = cookie(form, "XSRF-TOKEN");
        assertThat(xsrf).as("the console's token cookie").containsIgnoringCase("SameSite=Strict");
        Matcher token = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(form.text());
        assertThat(token.find()).isTrue();
        String cookies = cookieValues(form);
        Http.Response login = m.post("/login", "application/x-www-form-urlencoded",
                "username=admin&password=" + ADMIN_PASSWORD + "&_csrf=" + java.net.URLEncoder.encode(token.group(1),
                        java.nio.charset.StandardCharsets.UTF_8), "Cookie", cookies);
        assertThat(login.status()).isEqualTo(302);
        String session = cookie(login, "JSESSIONID");
        assertThat(session).containsIgnoringCase("SameSite=Strict").containsIgnoringCase("HttpOnly");
    }

    private static String cookie(Http.Response r, String name) {
        return r.headers().getOrDefault("set-cookie", List.of()).stream().filter(c -> c.startsWith(name + "="))
                .findFirst().orElseThrow(() -> new AssertionError("no cookie " + name + " in " + r.headers()));
    }

    private static String cookieValues(Http.Response r) {
        return String.join("; ", r.headers().getOrDefault("set-cookie", List.of()).stream().map(c -> c.split(";", 2)[0]).toList());
    }

    @Test
    void eachLoginReadsWhatItsRoleNeeds() {
        Http m = management();
        String metrics = basic("metrics", METRICS_PASSWORD);
        String viewer = basic("viewer", VIEWER_PASSWORD);
        // the scrape's login: the metrics, nothing else
        assertThat(m.get("/actuator/prometheus", "Authorization", metrics).status()).isEqualTo(200);
        assertThat(m.get("/api/admin/dead-letters", "Authorization", metrics).status()).isEqualTo(403);
        assertThat(m.get("/actuator/metrics", "Authorization", metrics).status()).isEqualTo(403);
        // a viewer reads pupils' codes for a pupil, an institution or a day, a page at a time
        assertThat(m.get("/api/admin/audit", "Authorization", viewer).status()).isEqualTo(400);
        assertThat(m.get("/api/admin/audit?limit=5000", "Authorization", adminAuth()).status()).isEqualTo(200);
        JsonNode s = student("secundair", true, 40);
        String institution = s.path("instituteNo").asText();
        for (int day = 16; day <= 18; day++) {
            informatRegister(s.path("personId").asText(), "2026-11-" + day, "VM", "Z", null);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                m.get("/api/admin/audit?institutionNumber=" + institution + "&registrationNumber=" + s.path("studentNo").asText(),
                        "Authorization", viewer).json().size() >= 3);
        Http.Response first = m.get("/api/admin/audit?institutionNumber=" + institution + "&registrationNumber="
                + s.path("studentNo").asText() + "&limit=1", "Authorization", viewer);
        assertThat(first.json()).hasSize(1);
        String link = first.header("Link");
        assertThat(link).contains("beforeId=" + first.json().get(0).path("id").asLong()).contains("rel=\"next\"");
        String next = link.substring(link.indexOf("/api/admin"), link.indexOf('>'));
        Http.Response second = m.get(next, "Authorization", viewer);
        assertThat(second.json()).hasSize(1);
        assertThat(second.json().get(0).path("id").asLong()).isLessThan(first.json().get(0).path("id").asLong());
        // a viewer's page is at most 200, whatever it asks
        assertThat(m.get("/api/admin/audit?institutionNumber=" + institution + "&limit=5000", "Authorization", viewer)
                .json().size()).isLessThanOrEqualTo(200);
    }
}
