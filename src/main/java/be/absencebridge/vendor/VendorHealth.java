package be.absencebridge.vendor;

import be.absencebridge.config.BridgeProperties;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;

/**
 * Health of each vendor as the bridge sees it: whether its address answers (a TCP connection, checked at most
 * every {@value #RECHECK_SECONDS} s) and the state of its circuit breaker. A vendor that is down makes the
 * bridge {@code DEGRADED}, not unready: pushes are still received and stored, deliveries wait in the outbox.
 * So the vendors are in neither the liveness nor the readiness group (see application.yaml).
 */
@Configuration(proxyBeanMethods = false)
public class VendorHealth {

    public static final Status DEGRADED = new Status("DEGRADED", "a vendor is unreachable or its circuit breaker is open");
    private static final int RECHECK_SECONDS = 15;

    @Bean
    HealthIndicator informatHealth(CamelContext camel, MeterRegistry meters, BridgeProperties props, VendorHttp http) {
        // the reads of the partner endpoints (or, with public interfaces only, of the pupil API): reachable is not usable
        String reads = props.informat().partner() ? props.informat().partnerUrl() : props.informat().pupilApiUrl();
        http.watch(reads);
        return new Vendor(camel, "informat-breaker", props.informat().studentApiUrl(), () -> http.failing(reads))
                .register(meters, "informat");
    }

    /**
     * One vendor's health. {@code alarm}: what the vendor's last answer says is wrong with the bridge's own settings
     * (a refused access code), null when nothing: the vendor is then DOWN, since no retry will fix it.
     */
    public static final class Vendor implements HealthIndicator {
        private final CamelContext camel;
        private final String breaker;
        private final URI uri;
        private final java.util.function.Supplier<String> alarm;
        private volatile long checkedAt;
        private volatile String reachable = "not checked yet";

        public Vendor(CamelContext camel, String breaker, String url) {
            this(camel, breaker, url, () -> null);
        }

        public Vendor(CamelContext camel, String breaker, String url, java.util.function.Supplier<String> alarm) {
            this.camel = camel;
            this.breaker = breaker;
            this.uri = URI.create(url);
            this.alarm = alarm;
        }

        public Vendor register(MeterRegistry meters, String vendor) {
            return register(meters, vendor, "");
        }

        /** The breaker's gauge, tagged with the vendor and (Smartschool) the platform; {@code platform} "" for none. */
        public Vendor register(MeterRegistry meters, String vendor, String platform) {
            Gauge.builder("bridge.vendor.circuit.open", this, v -> "CLOSED".equals(v.breakerState()) ? 0 : 1)
                    .description("1 while the vendor's circuit breaker is open or half open").tag("vendor", vendor)
                    .tag("platform", platform).register(meters);
            return this;
        }

        private String breakerState() {
            ResilienceProcessor processor = camel.getProcessor(breaker, ResilienceProcessor.class);
            return processor == null ? "CLOSED" : processor.getCircuitBreakerState();
        }

        @Override
        public Health health() {
            long now = System.nanoTime();
            if (checkedAt == 0 || now - checkedAt > Duration.ofSeconds(RECHECK_SECONDS).toNanos()) {
                reachable = connect();
                checkedAt = now;
            }
            String state = breakerState();
            String wrong = alarm.get();
            boolean up = "yes".equals(reachable) && "CLOSED".equals(state);
            Health.Builder h = wrong != null ? Health.down().withDetail("alarm", wrong) : up ? Health.up() : Health.status(DEGRADED);
            return h.withDetail("reachable", reachable).withDetail("circuitBreaker", state)
                    .withDetail("host", uri.getHost() + ":" + port()).build();
        }

        private int port() {
            return uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        }

        private String connect() {
            try (Socket s = new Socket()) {
                // through an egress proxy, the proxy is what this pod can reach
                s.connect(DeliveryHttp.firstHop(uri, port()), 2000);
                return "yes";
            } catch (IOException e) {
                return "no (" + e.getClass().getSimpleName() + ")";
            }
        }
    }
}
