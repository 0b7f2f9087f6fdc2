package be.absencebridge.vendor;

import be.absencebridge.config.BridgeProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Camel's HTTP components, which make the deliveries' calls ({@code http:} and {@code https:} alike), held to what
 * {@link VendorHttp} holds the reads to:
 * <ul>
 * <li>the JVM's proxy settings ({@code https.proxyHost}, {@code https.proxyPort}, {@code http.nonProxyHosts}, set in
 * {@code JAVA_TOOL_OPTIONS} where a board lets the pods out through an egress proxy): the reads' {@code java.net.http}
 * clients follow them by themselves, Camel's components only when told so; the health check's connection test goes
 * to {@link #firstHop(URI, int)};</li>
 * <li>an answer at most {@code bridge.vendor.max-answer-size} (a larger declared length refused before a byte is read,
 * a body without one cut there) and read whole within {@code bridge.vendor.answer-deadline} of the call: a body that
 * trickles in fails at its first read past the deadline, so a call takes at most the deadline and one read timeout.
 * Either is an {@link IOException}: the call failed, its rows wait and go again.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class DeliveryHttp {

    private static final String STARTED = "bridge.call-started";

    @Bean
    CamelContextConfiguration deliveriesLikeTheReads(BridgeProperties bridge) {
        BridgeProperties.Vendor limits = bridge.vendor();
        long maxBytes = limits == null || limits.maxAnswerSize() == null ? 32L << 20 : limits.maxAnswerSize().toBytes();
        Duration deadline = limits == null || limits.answerDeadline() == null ? Duration.ofSeconds(60) : limits.answerDeadline();
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                // both schemes are HttpComponent instances of their own: the sims' http: and the vendors' https:
                for (String scheme : new String[] {"http", "https"}) {
                    HttpComponent http = camel.getComponent(scheme, HttpComponent.class);
                    http.setUseSystemProperties(true);
                    http.setHttpClientConfigurer(builder -> builder
                            .addRequestInterceptorFirst((request, entity, context) -> context.setAttribute(STARTED, System.nanoTime()))
                            .addResponseInterceptorLast((response, entity, context) -> {
                                if (response instanceof ClassicHttpResponse classic && classic.getEntity() != null) {
                                    Object started = context.getAttribute(STARTED);
                                    long since = started instanceof Long l ? l : System.nanoTime();
                                    classic.setEntity(limited(classic.getEntity(), maxBytes, since + deadline.toNanos()));
                                }
                            }));
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
            }
        };
    }

    /** The answer's body, held to the cap and the deadline (nanoTime). */
    static HttpEntity limited(HttpEntity entity, long maxBytes, long deadline) throws IOException {
        if (entity.getContentLength() > maxBytes) {
            throw new IOException("the vendor's answer declares " + entity.getContentLength() + " bytes, over "
                    + "bridge.vendor.max-answer-size (" + maxBytes + ")");
        }
        return new HttpEntityWrapper(entity) {
            @Override
            public void writeTo(java.io.OutputStream out) throws IOException {
                try (InputStream in = getContent()) {
                    in.transferTo(out);
                }
            }

            @Override
            public InputStream getContent() throws IOException {
                return new FilterInputStream(super.getContent()) {
                    private long read;

                    private int counted(int n) throws IOException {
                        if (n > 0 && (read += n) > maxBytes) {
                            throw new IOException("the vendor's answer is over bridge.vendor.max-answer-size (" + maxBytes + " bytes)");
                        }
                        if (System.nanoTime() - deadline > 0) {
                            throw new IOException("the vendor's answer was not whole within bridge.vendor.answer-deadline");
                        }
                        return n;
                    }

                    @Override
                    public int read() throws IOException {
                        int b = super.read();
                        counted(b < 0 ? -1 : 1);
                        return b;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        return counted(super.read(b, off, len));
                    }
                };
            }
        };
    }

    /** Where a connection to {@code uri} goes first: the proxy the JVM chooses for it, or the vendor itself. */
    public static SocketAddress firstHop(URI uri, int port) {
        List<Proxy> proxies = ProxySelector.getDefault() == null ? List.of() : ProxySelector.getDefault().select(uri);
        for (Proxy proxy : proxies) {
            if (proxy.type() == Proxy.Type.HTTP && proxy.address() != null) {
                return proxy.address();
            }
        }
        return new InetSocketAddress(uri.getHost(), port);
    }
}
