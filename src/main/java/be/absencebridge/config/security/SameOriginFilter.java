package be.absencebridge.config.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.net.URI;
import java.util.Set;

/**
 * Refuses (403) a request that changes state when a browser says it comes from another site: an {@code Origin} that
 * is not the request's own (scheme, host and port, as the client addressed it: behind a TLS ingress the forwarded
 * ones), or {@code Sec-Fetch-Site: cross-site}/{@code same-site}. A hostile page an admin visits can make the browser
 * send a form or a fetch with the admin's session cookie, or with the Basic credentials the browser keeps once they
 * were typed into its dialog; browsers put either header on those requests, scripts ({@code curl}, Prometheus) send
 * neither. Beside the CSRF token, which a request with an {@code Authorization} header does not need.
 */
final class SameOriginFilter extends OncePerRequestFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return SAFE.contains(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String site = request.getHeader("Sec-Fetch-Site");
        String origin = request.getHeader("Origin");
        if ("cross-site".equals(site) || "same-site".equals(site) || (origin != null && !sameOrigin(origin, request))) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "a request from another origin");
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean sameOrigin(String origin, HttpServletRequest request) {
        try {
            URI uri = URI.create(origin.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return false;   // "null" (a sandboxed frame, a redirect across origins) and anything unreadable
            }
            return uri.getScheme().equalsIgnoreCase(request.getScheme())
                    && uri.getHost().equalsIgnoreCase(request.getServerName())
                    && port(uri.getPort(), uri.getScheme()) == port(request.getServerPort(), request.getScheme());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int port(int port, String scheme) {
        return port >= 0 ? port : "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }
}
