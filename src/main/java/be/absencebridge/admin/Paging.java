package be.absencebridge.admin;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Pages of pupils' codes: a viewer's page size, and the next page's address in an RFC 8288 {@code Link} header. */
final class Paging {

    /** A viewer reads pupils' codes by this many at most (an admin by the contract's larger pages). */
    static final int VIEWER_PAGE = 200;

    private Paging() {
    }

    /** {@code <this request with name=value>; rel="next"}. */
    static String next(HttpServletRequest request, String name, long value) {
        String uri = ServletUriComponentsBuilder.fromRequest(request).replaceQueryParam(name, value).build().toUriString();
        return "<" + uri + ">; rel=\"next\"";
    }
}
