package be.absencebridge.vendor;

import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;

/**
 * Every call to a vendor goes the way the JVM's proxy settings say ({@code https.proxyHost}, {@code https.proxyPort},
 * {@code http.nonProxyHosts}, set in {@code JAVA_TOOL_OPTIONS} where a board lets the pods out through an egress
 * proxy): the reads' {@code java.net.http} clients follow them by themselves, Camel's HTTP component (the deliveries,
 * {@code http:} and {@code https:} alike) only when told so, and the health check's connection test through
 * {@link #firstHop(URI)}.
 */
@Configuration(proxyBeanMethods = false)
public class SystemProxy {

    @Bean
    CamelContextConfiguration deliveriesThroughTheSystemProxy() {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                // both schemes are HttpComponent instances of their own: the sims' http: and the vendors' https:
                for (String scheme : new String[] {"http", "https"}) {
                    camel.getComponent(scheme, HttpComponent.class).setUseSystemProperties(true);
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
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
