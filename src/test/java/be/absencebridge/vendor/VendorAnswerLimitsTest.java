package be.absencebridge.vendor;

import be.absencebridge.config.BridgeProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A vendor's answer is taken only up to {@code bridge.vendor.max-answer-size} and only whole within
 * {@code bridge.vendor.answer-deadline}: against a real HTTP server on loopback that answers too much (with and without a
 * Content-Length) or drips its body, the call fails as a vendor fault, counted in the vendors' error metric, and the
 * calling thread is free again at the deadline.
 */
class VendorAnswerLimitsTest {

    private static final int CAP = 64 * 1024;

    private HttpServer server;
    private ExecutorService handlers;
    private SimpleMeterRegistry meters;
    private VendorHttp vendor;
    private String platform;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        byte[] big = ("[" + "\"x\",".repeat(CAP / 4 + 100) + "\"x\"]").getBytes(StandardCharsets.UTF_8);
        server.createContext("/school1/declared", e -> {
            e.sendResponseHeaders(200, big.length);
            try (OutputStream out = e.getResponseBody()) {
                out.write(big);
            } catch (IOException closed) {
                // the bridge stopped reading
            }
        });
        server.createContext("/school1/chunked", e -> {
            e.sendResponseHeaders(200, 0);
            try (OutputStream out = e.getResponseBody()) {
                out.write(big);
            } catch (IOException closed) {
                // the bridge stopped reading
            }
        });
        server.createContext("/school1/drip", e -> {
            e.sendResponseHeaders(200, 0);
            try (OutputStream out = e.getResponseBody()) {
                out.write('[');
                // the peer under test: a body that trickles in, one byte every 50 ms, for up to a minute
                for (int i = 0; i < 1200; i++) {
                    out.write(' ');
                    out.flush();
                    TimeUnit.MILLISECONDS.sleep(50);
                }
                out.write(']');
            } catch (IOException | InterruptedException closed) {
                // the bridge gave up
            }
        });
        server.createContext("/school1/small", e -> {
            byte[] ok = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            e.sendResponseHeaders(200, ok.length);
            try (OutputStream out = e.getResponseBody()) {
                out.write(ok);
            }
        });
        server.start();
        platform = "http://127.0.0.1:" + server.getAddress().getPort() + "/school1";
        meters = new SimpleMeterRegistry();
        BridgeProperties props = new BridgeProperties(null, Duration.ofSeconds(5), Duration.ofSeconds(60), null, null, null, null,
                null, null, null, new BridgeProperties.Smartschool(null, "code", "s", null, Map.of("school1",
                        new BridgeProperties.PlatformSettings(platform, null, null, null, null, null, null))),
                null, null, null, new BridgeProperties.Vendor(DataSize.ofBytes(CAP), Duration.ofSeconds(2)));
        vendor = new VendorHttp(new ObjectMapper(), props, meters);
    }

    @AfterEach
    void stop() {
        server.stop(0);
        handlers.shutdownNow();
    }

    private double errors(String kind) {
        var c = meters.find("bridge.vendor.errors").tags("vendor", "smartschool", "platform", "school1", "kind", kind).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void anAnswerOverTheCapIsAFailedCallWithOrWithoutContentLength() {
        for (String path : new String[] {"/declared", "/chunked"}) {
            assertThatThrownBy(() -> vendor.getArray(platform + path)).as(path)
                    .isInstanceOf(VendorHttp.AnswerLimitException.class)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("bridge.vendor.max-answer-size")
                    .satisfies(e -> assertThat(((VendorHttp.AnswerLimitException) e).kind()).isEqualTo("answer-too-large"));
        }
        assertThatThrownBy(() -> vendor.postXml(platform + "/chunked", "<x/>", "urn#m"))
                .isInstanceOf(VendorHttp.AnswerLimitException.class);
        assertThat(errors("answer-too-large")).isEqualTo(3);
        // an answer within the cap is read as ever
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(10), () -> vendor.getObject(platform + "/small")).path("ok").asBoolean())
                .isTrue();
    }

    @Test
    void aBodyThatTricklesInFailsAtTheDeadlineAndFreesTheThread() {
        long start = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(15), () ->
                assertThatThrownBy(() -> vendor.getArray(platform + "/drip"))
                        .isInstanceOf(VendorHttp.AnswerLimitException.class)
                        .hasMessageContaining("bridge.vendor.answer-deadline")
                        .satisfies(e -> assertThat(((VendorHttp.AnswerLimitException) e).kind()).isEqualTo("answer-too-slow")));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        assertThat(errors("answer-too-slow")).isEqualTo(1);
    }
}
