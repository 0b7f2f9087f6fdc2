package be.absencebridge.config.security;

import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;

import javax.management.ObjectName;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What Jolokia (and so Hawtio) may do, an allow-list: the console shows everything, but the only operations it can run
 * are the product's own ({@code absence-bridge:*}, replays and backfills, which are also in its admin API), Hawtio's own
 * helpers, and, on Camel's MBeans, starting, stopping, suspending and resuming and the reads that are operations
 * ({@code dump...}, {@code get...}, ...). Everything else an MBean offers is refused, so that a console session cannot
 * become a way round the product: Camel's {@code sendBody}/{@code requestBody} to any endpoint ({@code sql:},
 * {@code http:}, {@code file:}), endpoints created or routes loaded, the tracer and debugger (they show message bodies:
 * pupils' codes and free text), a heap dump or any diagnostic command, Tomcat's or the pool's controls. No attribute is
 * written. Only POST: a GET that changes state is what a hostile page's image tag can send. No cross-origin answer
 * (no CORS headers for any origin); the management chain refuses a request from another origin before Jolokia sees
 * it ({@link SecurityConfiguration}).
 * <p>Configured with {@code management.endpoint.jolokia.config.restrictorClass}; Jolokia builds it itself.
 */
public class JolokiaPolicy implements Restrictor {

    private static final Set<RequestType> TYPES = Set.of(RequestType.READ, RequestType.LIST, RequestType.SEARCH,
            RequestType.VERSION, RequestType.EXEC);

    /** Camel's operations that change nothing but the routes' running state, or only read. */
    private static final Pattern CAMEL_OPERATIONS = Pattern.compile(
            "start|stop|suspend|resume|(dump|get|is|list|explain|count|has|find|component|data|language)[A-Z].*|"
                    + "(dump|get|is|list|explain|count|has|find)");

    /** ...except the reads of messages: the tracer's and debugger's bodies and the endpoints' browsing. */
    private static final Pattern CAMEL_MESSAGES = Pattern.compile("(?i).*(trace|backlog|message|browse|breakpoint|body|bodies).*");

    @Override
    public boolean isHttpMethodAllowed(HttpMethod method) {
        return method == HttpMethod.POST;
    }

    @Override
    public boolean isTypeAllowed(RequestType type) {
        return TYPES.contains(type);
    }

    @Override
    public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        return true;
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return false;
    }

    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        return switch (name.getDomain()) {
            case "absence-bridge", "hawtio" -> true;
            case "org.apache.camel" -> isCamelOperationAllowed(name, operation);
            default -> false;
        };
    }

    static boolean isCamelOperationAllowed(ObjectName name, String operation) {
        String type = name.getKeyProperty("type");
        if ("tracer".equals(type) || "debugger".equals(type)) {
            return false;
        }
        return CAMEL_OPERATIONS.matcher(operation).matches() && !CAMEL_MESSAGES.matcher(operation).matches();
    }

    @Override
    public boolean isRemoteAccessAllowed(String... hostOrAddress) {
        // who may reach the management port is the NetworkPolicy's and the login's business
        return true;
    }

    /**
     * Jolokia asks twice: with {@code true} whether a request of that origin may run at all (the management chain
     * has already refused every other origin than the request's own, which Jolokia cannot know), with {@code false}
     * whether to answer it with CORS headers: never, the console is served from the same origin and needs none.
     */
    @Override
    public boolean isOriginAllowed(String origin, boolean accessCheck) {
        return accessCheck;
    }

    @Override
    public boolean isObjectNameHidden(ObjectName name) {
        return false;
    }
}
