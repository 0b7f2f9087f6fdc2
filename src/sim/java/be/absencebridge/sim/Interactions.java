package be.absencebridge.sim;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingRequestWrapper;
import org.springframework.web.util.ContentCachingResponseWrapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last calls a simulated vendor interface answered, request and answer, for the contract tests: they check what
 * the bridge sent and what the simulator answered against the OpenAPI documents of {@code contracts/}. Test only (a
 * control, {@code admin/interactions}); a bearer token is kept as its scheme only.
 */
public final class Interactions extends OncePerRequestFilter {

    /** One call: the request as sent, the answer as given. */
    public record Interaction(String method, String path, String query, String contentType, String instituteNo,
                              String authorization, String requestBody, int status, String responseContentType,
                              String responseBody) {
    }

    private static final int KEPT = 500;
    private final Deque<Interaction> last = new ArrayDeque<>();

    public synchronized List<Interaction> list() {
        return new ArrayList<>(last);
    }

    public synchronized void clear() {
        last.clear();
    }

    /** The controls are the tests' own calls, not a vendor interface. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().contains("/admin/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingRequestWrapper req = new ContentCachingRequestWrapper(request, 65536);
        ContentCachingResponseWrapper res = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(req, res);
        } finally {
            String auth = request.getHeader("Authorization");
            Interaction i = new Interaction(request.getMethod(), request.getRequestURI(), request.getQueryString(),
                    request.getContentType(), request.getHeader("instituteNo"),
                    auth == null ? null : auth.contains(" ") ? auth.substring(0, auth.indexOf(' ')) + " x" : "x",
                    new String(req.getContentAsByteArray(), StandardCharsets.UTF_8), res.getStatus(), res.getContentType(),
                    new String(res.getContentAsByteArray(), StandardCharsets.UTF_8));
            res.copyBodyToResponse();
            synchronized (this) {
                last.addLast(i);
                while (last.size() > KEPT) {
                    last.removeFirst();
                }
            }
        }
    }
}
