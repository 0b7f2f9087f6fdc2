package be.absencebridge.config.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ContentCachingRequestWrapper;
import org.springframework.web.util.ServletRequestPathUtils;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Sees every state-changing call of the admin API (POST, PUT, PATCH, DELETE under {@code /api/admin}) and every
 * Jolokia operation that changes state ({@code exec}, {@code write}) made by a logged-in person, and publishes it as an
 * {@link Action} once answered (refused ones too): the person, the action as method and path template (the template,
 * never the path itself, which may hold a pupil's key; never the body), the status and the time. Its filter runs inside
 * Spring Security's chain, right after the security context is loaded, so it sees the person and the 401, 403 (CSRF
 * and roles) and every other answer, on whatever port the chain serves. Calls without a login are not recorded.
 */
@Component
public class AdminActionRecorder {

    private static final Set<String> CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");
    /** A Jolokia request body is read this far at most to name its operations. */
    private static final int JOLOKIA_BODY_LIMIT = 64 * 1024;

    /**
     * One admin action: {@code login} is {@code local} (the bridge's own accounts) or {@code oidc} (the board's
     * identity provider); {@code action} is {@code METHOD /path/{template}}, for Jolokia followed by its operations.
     */
    public record Action(Instant at, String person, String login, String action, int status) {
    }

    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final ObjectProvider<RequestMappingHandlerMapping> mappings;
    private final ObjectMapper json = new ObjectMapper();

    public AdminActionRecorder(ApplicationEventPublisher events, Clock clock, ObjectProvider<RequestMappingHandlerMapping> mappings) {
        this.events = events;
        this.clock = clock;
        this.mappings = mappings;
    }

    /** The filter for the security chain (not a bean: Spring Boot would also put a Filter bean before the whole chain). */
    public Filter filter() {
        return new OncePerRequestFilter() {
            @Override
            protected boolean shouldNotFilter(HttpServletRequest request) {
                String path = path(request);
                return !CHANGES.contains(request.getMethod()) && !(jolokia(path) && "GET".equals(request.getMethod()))
                        || !(admin(path) || jolokia(path));
            }

            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                boolean jolokiaPost = jolokia(path(request)) && "POST".equals(request.getMethod());
                HttpServletRequest seen = jolokiaPost ? new ContentCachingRequestWrapper(request, JOLOKIA_BODY_LIMIT) : request;
                int status = 500;
                try {
                    chain.doFilter(seen, response);
                    status = response.getStatus();
                } finally {
                    record(seen, status);
                }
            }
        };
    }

    private void record(HttpServletRequest request, int status) {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        if (who == null || who instanceof AnonymousAuthenticationToken || !who.isAuthenticated()) {
            return;
        }
        String path = path(request);
        String action;
        if (jolokia(path)) {
            String operations = jolokiaOperations(request, path);
            if (operations == null) {
                return;
            }
            action = request.getMethod() + " " + path.substring(0, path.indexOf("/jolokia") + "/jolokia".length()) + " " + operations;
        } else {
            action = request.getMethod() + " " + template(request, path);
        }
        String login = who.getPrincipal() instanceof OidcUser ? "oidc" : "local";
        events.publishEvent(new Action(clock.instant(), who.getName(), login, action, status));
    }

    /** The path template of the handler that answered, or would have answered a refused call. */
    private String template(HttpServletRequest request, String path) {
        Object matched = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (matched != null) {
            return matched.toString();
        }
        // refused before Spring MVC: the handler that would have answered
        if (!ServletRequestPathUtils.hasParsedRequestPath(request)) {
            ServletRequestPathUtils.parseAndCache(request);
        }
        // the mappings of the context that serves the request: the admin API's are in the management port's own
        org.springframework.web.context.WebApplicationContext serving =
                org.springframework.web.servlet.support.RequestContextUtils.findWebApplicationContext(request);
        Iterable<RequestMappingHandlerMapping> candidates = serving != null
                ? serving.getBeansOfType(RequestMappingHandlerMapping.class).values()
                : (Iterable<RequestMappingHandlerMapping>) mappings.orderedStream()::iterator;
        for (RequestMappingHandlerMapping mapping : candidates) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                RequestMappingInfo match = info.getMatchingCondition(request);
                if (match != null && match.getPathPatternsCondition() != null) {
                    return match.getPathPatternsCondition().getFirstPattern().getPatternString();
                }
            }
        }
        // no handler: the path without anything that could be a key
        return path.replaceAll("/[^/]*[0-9][^/]*", "/{?}");
    }

    /**
     * Jolokia's operations that change state, as {@code type mbean operation|attribute} without their arguments;
     * null when the call changes nothing (read, list, search, version).
     */
    private String jolokiaOperations(HttpServletRequest request, String path) {
        List<String> out = new ArrayList<>();
        if ("GET".equals(request.getMethod())) {
            // /jolokia/exec/<mbean>/<operation>/<arguments...>, /jolokia/write/<mbean>/<attribute>/<value>
            String[] parts = path.substring(path.indexOf("/jolokia") + "/jolokia".length()).split("/");
            if (parts.length > 1 && (parts[1].equals("exec") || parts[1].equals("write"))) {
                out.add(parts[1] + (parts.length > 3 ? " " + parts[2] + " " + parts[3] : ""));
            }
        } else {
            for (JsonNode call : jolokiaBody(request)) {
                String type = call.path("type").asText("");
                if (type.equalsIgnoreCase("exec") || type.equalsIgnoreCase("write")) {
                    out.add(type.toLowerCase(java.util.Locale.ROOT) + " " + call.path("mbean").asText("?") + " "
                            + call.path(type.equalsIgnoreCase("exec") ? "operation" : "attribute").asText("?"));
                }
            }
        }
        return out.isEmpty() ? null : String.join("; ", out);
    }

    /** The calls of a Jolokia POST (one or a bulk list), read as far as Jolokia read them, or now when it did not. */
    private List<JsonNode> jolokiaBody(HttpServletRequest request) {
        try {
            byte[] body = request instanceof ContentCachingRequestWrapper cached ? cached.getContentAsByteArray() : new byte[0];
            if (body.length == 0) {
                // refused before Jolokia read it
                try (InputStream in = request.getInputStream()) {
                    body = in.readNBytes(JOLOKIA_BODY_LIMIT);
                }
            }
            JsonNode calls = json.readTree(body);
            List<JsonNode> out = new ArrayList<>();
            if (calls != null && calls.isArray()) {
                calls.forEach(out::add);
            } else if (calls != null) {
                out.add(calls);
            }
            return out;
        } catch (IOException | RuntimeException e) {
            // not JSON Jolokia could run either: nothing it changed
            return List.of();
        }
    }

    private static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    private static boolean admin(String path) {
        return path.equals("/api/admin") || path.startsWith("/api/admin/");
    }

    private static boolean jolokia(String path) {
        return path.contains("/jolokia");
    }
}
