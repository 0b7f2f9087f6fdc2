package be.absencebridge.vendor;

import be.absencebridge.support.BridgeTest;
import com.sun.net.httpserver.HttpServer;
import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The deliveries' calls (Camel's HTTP components) held to what the reads are held to: the JVM's proxy settings, an
 * answer at most {@code bridge.vendor.max-answer-size}, whole within {@code bridge.vendor.answer-deadline}.
 */
class DeliveryHttpTest extends BridgeTest {

    @Test
    void theDeliveriesHttpComponentsFollowTheJvmsProxySettings() {
        // the delivery routes call the configured vendor addresses: http: here, https: against the real vendors
        assertThat(camel.getComponent("http", HttpComponent.class).isUseSystemProperties()).isTrue();
        assertThat(camel.getComponent("https", HttpComponent.class).isUseSystemProperties()).isTrue();
    }

    @Test
    void theHealthChecksConnectionGoesToTheProxyTheJvmChooses() {
        ProxySelector before = ProxySelector.getDefault();
        InetSocketAddress proxy = InetSocketAddress.createUnresolved("egress-proxy.internal", 3128);
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return uri.getHost().endsWith(".smartschool.be") ? List.of(new Proxy(Proxy.Type.HTTP, proxy)) : List.of(Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
            }
        });
        try {
            assertThat(DeliveryHttp.firstHop(URI.create("https://sint-jan.smartschool.be/Webservices/V3"), 443)).isEqualTo(proxy);
            assertThat(DeliveryHttp.firstHop(URI.create("http://127.0.0.1:8080/sim"), 8080))
                    .isEqualTo(new InetSocketAddress("127.0.0.1", 8080));
        } finally {
            ProxySelector.setDefault(before);
        }
    }

    @Test
    void aDeliveryAnswerOverTheCapIsAFailedCallWithOrWithoutContentLength() throws Exception {
        long over = (32L << 20) + 1;   // bridge.vendor.max-answer-size + 1
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/chunked", exchange -> send(exchange, 0, over));
        server.createContext("/declared", exchange -> send(exchange, over, over));
        server.createContext("/small", exchange -> send(exchange, 2, 2));
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            for (String path : List.of("/chunked", "/declared")) {
                assertThatThrownBy(() -> producer.requestBody(base + path, "", String.class))
                        .as(path).hasRootCauseInstanceOf(IOException.class)
                        .rootCause().hasMessageContaining("bridge.vendor.max-answer-size");
            }
            assertThat(producer.requestBody(base + "/small", "", String.class)).isEqualTo("xx");
        } finally {
            server.stop(0);
        }
    }

    private static void send(com.sun.net.httpserver.HttpExchange exchange, long declared, long bytes) throws IOException {
        exchange.sendResponseHeaders(200, declared);
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        try (OutputStream out = exchange.getResponseBody()) {
            for (long left = bytes; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        } catch (IOException e) {
            // the bridge stopped reading: what the cap is for
        }
    }

    @Test
    void aBodyThatTricklesInFailsAtItsFirstReadPastTheDeadline() throws IOException {
        // the peer under test, as a socket shows it: one byte every 20 ms, each read giving what has come, for ever
        InputStream trickle = new InputStream() {
            @Override
            public int read() {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                b[off] = (byte) read();
                return 1;
            }
        };
        HttpEntity limited = DeliveryHttp.limited(new InputStreamEntity(trickle, -1, ContentType.TEXT_PLAIN), 1 << 20,
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300));
        long started = System.nanoTime();
        try (InputStream in = limited.getContent()) {
            assertThatThrownBy(() -> in.transferTo(OutputStream.nullOutputStream()))
                    .isInstanceOf(IOException.class).hasMessageContaining("answer-deadline");
        }
        // a second: the deadline and one read, not the minute a trickle could last
        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(5));
    }
}
