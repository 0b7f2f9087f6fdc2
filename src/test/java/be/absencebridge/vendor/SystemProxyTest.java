package be.absencebridge.vendor;

import be.absencebridge.support.BridgeTest;
import org.apache.camel.component.http.HttpComponent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Through a board's egress proxy: the deliveries' Camel HTTP component and the health check follow the JVM's settings. */
class SystemProxyTest extends BridgeTest {

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
            assertThat(SystemProxy.firstHop(URI.create("https://sint-jan.smartschool.be/Webservices/V3"), 443)).isEqualTo(proxy);
            assertThat(SystemProxy.firstHop(URI.create("http://127.0.0.1:8080/sim"), 8080))
                    .isEqualTo(new InetSocketAddress("127.0.0.1", 8080));
        } finally {
            ProxySelector.setDefault(before);
        }
    }
}
