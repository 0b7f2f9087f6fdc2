package be.absencebridge.config.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.stereotype.Component;

/**
 * Tells a request to the public port from one to the management port. The public port is the one the vendors reach
 * from the internet: it serves the webhooks (and, in the local run, the simulators) and nothing else of the product;
 * the admin API, its login, the actuator and Hawtio are on the management port. The port is the one the server
 * listens on (known once it started, also when it is chosen at random); before that, and whenever both are the same
 * port, nothing is told apart (one port serves everything, as Spring Boot does without a management port).
 */
@Component
public class PublicPort implements RequestMatcher, ApplicationListener<WebServerInitializedEvent> {

    private final boolean separate;
    private volatile int port = -1;

    public PublicPort(Environment env) {
        this.separate = ManagementPortType.get(env) == ManagementPortType.DIFFERENT;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        String namespace = event.getApplicationContext().getServerNamespace();
        if (namespace == null || namespace.isEmpty()) {
            port = event.getWebServer().getPort();
        }
    }

    @Override
    public boolean matches(HttpServletRequest request) {
        return separate && request.getLocalPort() == port;
    }
}
