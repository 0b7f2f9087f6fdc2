package be.absencebridge.vendor.smartschool;

import be.absencebridge.support.BridgeTest;
import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A platform's health with its poller on its own schedule (every {@value #POLL_SECONDS} s): a wrong access code and a
 * wrong address each turn it DOWN, with the reason, within two poll intervals, and it is UP again once fixed. The
 * address is a small HTTP server in front of the simulated platform, switched between the platform and what a wrong
 * address answers (a web server's own 404 page), since the bridge's configured address cannot change at run time.
 */
// a context of its own (its own poll schedule and address for school2): its Camel servlet needs a name of its own
@TestPropertySource(properties = {"bridge.smartschool.platforms.school2.poll-cron=0/" + PlatformHealthTest.POLL_SECONDS + "+*+*+*+*+?",
        "bridge.vendor-failing-after=" + PlatformHealthTest.POLL_SECONDS + "s",
        "camel.servlet.mapping.servlet-name=CamelServletPlatformHealth", "camel.component.servlet.servlet-name=CamelServletPlatformHealth"})
// a context of its own, closed after the class: its pollers and timers do not run on beside the later tests
@org.springframework.test.annotation.DirtiesContext
class PlatformHealthTest extends BridgeTest {

    static final int POLL_SECONDS = 2;
    /** Two poll intervals, and the time a poll's own calls and a health read take on a busy machine. */
    private static final Duration WITHIN = Duration.ofSeconds(2L * POLL_SECONDS).plusMillis(1500);

    /** In front of school2: forwards to the simulated platform, or answers as a wrong address does. */
    private static final HttpServer FRONT;
    private static volatile boolean wrongAddress;
    private static volatile int simPort;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    static {
        try {
            FRONT = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        FRONT.createContext("/", PlatformHealthTest::front);
        FRONT.start();
    }

    private static void front(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        int status;
        String type;
        byte[] out;
        if (wrongAddress) {
            status = 404;
            type = "text/html";
            out = "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>".getBytes(StandardCharsets.UTF_8);
        } else {
            String path = exchange.getRequestURI().getRawPath().substring("/school".length());
            String query = exchange.getRequestURI().getRawQuery();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + simPort + "/sim/smartschool/school2" + path
                    + (query == null ? "" : "?" + query))).method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            for (String h : new String[] {"Content-Type", "SOAPAction", "Authorization"}) {
                String v = exchange.getRequestHeaders().getFirst(h);
                if (v != null) {
                    request.header(h, v);
                }
            }
            try {
                HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                status = response.statusCode();
                type = response.headers().firstValue("Content-Type").orElse("application/octet-stream");
                out = response.body();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
        try (OutputStream o = exchange.getResponseBody()) {
            o.write(out);
        }
    }

    @DynamicPropertySource
    static void school2Address(DynamicPropertyRegistry registry) {
        registry.add("bridge.smartschool.platforms.school2.base-url", () -> "http://127.0.0.1:" + FRONT.getAddress().getPort() + "/school");
    }

    @AfterAll
    static void stopFront() {
        // the context is cached for the run, its poller may still call: the address then answers nothing
        wrongAddress = true;
    }

    @LocalManagementPort
    int managementPort;
    @Value("${local.server.port}")
    int serverPort;

    private JsonNode school2() {
        return new Http("http://127.0.0.1:" + managementPort).get("/actuator/health/vendors", "Authorization", adminAuth()).json()
                .path("components").path("smartschoolHealth").path("components").path("school2");
    }

    private static boolean up(JsonNode h) {
        return "UP".equals(h.path("status").asText()) && !h.path("details").has("alarm");
    }

    /** How long until the platform's health shows what is expected, at most two poll intervals (and the slack). */
    private Duration awaitHealth(java.util.function.Predicate<JsonNode> expected) {
        long start = System.nanoTime();
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(100)).until(() -> expected.test(school2()));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void aWrongAccessCodeAndAWrongAddressTurnThePlatformDownWithinTwoPollsAndUpWhenFixed() {
        simPort = serverPort;
        wrongAddress = false;
        await().atMost(Duration.ofSeconds(30)).until(() -> up(school2()));

        // the school's administrator changes the web-services password; the bridge still has the old one
        http.putJson("/sim/smartschool/admin/settings", Map.of("platform", "school2", "accesscode", "changed-by-the-school"));
        Duration down;
        Duration upAgain;
        try {
            down = awaitHealth(h -> "DOWN".equals(h.path("status").asText())
                    && h.path("details").path("alarm").asText().contains("refuses the web-services access code"));
        } finally {
            http.putJson("/sim/smartschool/admin/settings", Map.of("platform", "school2", "accesscode", ""));
        }
        upAgain = awaitHealth(PlatformHealthTest::up);
        System.out.printf("wrong access code: DOWN after %d ms, UP %d ms after the fix (poll every %d s)%n", down.toMillis(),
                upAgain.toMillis(), POLL_SECONDS);

        // the address answers, but with a web server's page, not Smartschool's
        wrongAddress = true;
        try {
            down = awaitHealth(h -> "DOWN".equals(h.path("status").asText())
                    && h.path("details").path("alarm").asText().contains("every call has failed"));
            assertThat(school2().path("details").path("reachable").asText()).as("the address answers").isEqualTo("yes");
        } finally {
            wrongAddress = false;
        }
        upAgain = awaitHealth(PlatformHealthTest::up);
        System.out.printf("wrong address: DOWN after %d ms, UP %d ms after the fix (poll every %d s)%n", down.toMillis(),
                upAgain.toMillis(), POLL_SECONDS);
    }
}
