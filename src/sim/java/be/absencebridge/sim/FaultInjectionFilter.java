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

    private final String adminPath;
    private final java.util.function.Function<HttpServletRequest, Faults> faultsOf;

    /** For the paths the filter is registered on, except the controls under {@code adminPath}; the faults of the request's service. */
    public FaultInjectionFilter(String adminPath, java.util.function.Function<HttpServletRequest, Faults> faultsOf) {
        this.adminPath = adminPath.endsWith("/") ? adminPath : adminPath + "/";
        this.faultsOf = faultsOf;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith(adminPath);
    }

    /** What a vendor, or a proxy in front of it, sometimes answers instead of its API's answer. */
    private static final String[][] GARBAGE = {
            {"200", "text/html", "<html><head><title>Onderhoud</title></head><body><h1>Even geduld</h1>"
                    + "<p>Het platform is tijdelijk niet beschikbaar.</p></body></html>"},
            {"502", "text/html", "<html><body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>"},
            {"200", "application/json", "{\"items\":[{\"personId\":\"3f2a"},
            {"200", "text/xml; charset=utf-8", "<?xml version=\"1.0\"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="
                    + "\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Body><ns1:getAbsentsWith"},
            {"500", "text/xml; charset=utf-8", "<?xml version=\"1.0\"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="
                    + "\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>"
                    + "SOAP-ENV:Server</faultcode><faultstring>Internal error</faultstring></SOAP-ENV:Fault>"
                    + "</SOAP-ENV:Body></SOAP-ENV:Envelope>"},
            {"200", "application/json", ""},
    };

    private static void garbage(HttpServletResponse response) throws IOException {
        String[] g = GARBAGE[java.util.concurrent.ThreadLocalRandom.current().nextInt(GARBAGE.length)];
        response.setStatus(Integer.parseInt(g[0]));
        response.setContentType(g[1]);
        response.getOutputStream().write(g[2].getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A write of the link: a {@code PUT} or {@code DELETE}, or Smartschool's partner write (a {@code POST} of cells). */
    private static boolean write(HttpServletRequest request) {
        String method = request.getMethod();
        return "PUT".equals(method) || "DELETE".equals(method)
                || ("POST".equals(method) && request.getRequestURI().endsWith("/partner/v1/absences"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Faults faults = faultsOf.apply(request);
        Faults.Settings s = faults.settings();
        long latency = s.latencyMs() + (write(request) ? s.writeLatencyMs() : 0);
        if (latency > 0) {
            // the simulated vendor's own response time
            LockSupport.parkNanos(latency * 1_000_000L);
        }
        switch (faults.draw()) {
            case PASS -> chain.doFilter(request, response);
            case ERROR_500 -> Problems.write(response, 500, "Internal Server Error", "simulated vendor failure");
            case ERROR_503 -> Problems.write(response, 503, "Service Unavailable", "simulated vendor outage");
            case THROTTLE -> {
                response.setHeader("Retry-After", String.valueOf(s.retryAfterSeconds()));
                Problems.write(response, 429, "Too Many Requests", "simulated throttling");
            }
            case GARBAGE -> garbage(response);
        }
    }
}
