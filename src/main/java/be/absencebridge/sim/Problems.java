package be.absencebridge.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** RFC 7807 problem bodies as the vendors answer them, with {@code validationErrors[].code}. */
public final class Problems {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    public static ProblemDetail problem(int status, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
        p.setTitle(title);
        return p;
    }

    /** A problem with one coded validation error, as the Informat API answers business rule violations. */
    public static ResponseEntity<ProblemDetail> coded(HttpStatus status, String code, String message) {
        ProblemDetail p = problem(status.value(), status.getReasonPhrase(), message);
        p.setProperty("validationErrors", List.of(Map.of("code", code, "message", message)));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    public static ResponseEntity<ProblemDetail> of(HttpStatus status, String detail) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(status.value(), status.getReasonPhrase(), detail));
    }

    /** Writes a problem straight to the servlet response, for filters that answer before any controller. */
    public static void write(HttpServletResponse response, int status, String title, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JSON.writeValue(response.getOutputStream(),
                Map.of("type", "about:blank", "title", title, "status", status, "detail", detail));
    }
}
