package be.absencebridge.sim;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

/** Applies a simulator's {@link Faults} to its vendor calls; the {@code /admin} controls are never faulted. */
public final class FaultInjectionFilter extends OncePerRequestFilter {

    private final String basePath;
    private final Faults faults;

    public FaultInjectionFilter(String basePath, Faults faults) {
        this.basePath = basePath;
        this.faults = faults;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !path.startsWith(basePath + "/") || path.startsWith(basePath + "/admin/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Faults.Settings s = faults.settings();
        if (s.latencyMs() > 0) {
            // the simulated vendor's own response time
            LockSupport.parkNanos(s.latencyMs() * 1_000_000L);
        }
        switch (faults.draw()) {
            case PASS -> chain.doFilter(request, response);
            case ERROR_500 -> Problems.write(response, 500, "Internal Server Error", "simulated vendor failure");
            case ERROR_503 -> Problems.write(response, 503, "Service Unavailable", "simulated vendor outage");
            case THROTTLE -> {
                response.setHeader("Retry-After", String.valueOf(s.retryAfterSeconds()));
                Problems.write(response, 429, "Too Many Requests", "simulated throttling");
            }
        }
    }
}
