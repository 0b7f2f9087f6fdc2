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

    /**
     * A problem with one coded entry in {@code validationErrors} ({@code name}, {@code reason}, {@code code}), as the
     * Informat Student API answers a business rule (409 {@code DNF...}, {@code MNA007}) or a single field error.
     */
    public static ResponseEntity<ProblemDetail> coded(HttpStatus status, String code, String message) {
        ProblemDetail p = problem(status.value(), status.getReasonPhrase(), message);
        Map<String, String> entry = new java.util.LinkedHashMap<>();
        entry.put("name", FIELD_OF_CODE.getOrDefault(code, "request"));
        entry.put("reason", message);
        entry.put("code", code);
        p.setProperty("validationErrors", List.of(entry));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    /** The field each of the Student API's codes names, as its document lists them. */
    private static final Map<String, String> FIELD_OF_CODE = Map.ofEntries(
            Map.entry("DNF002", "personId"), Map.entry("DNF008", "locationIdDiscimus"), Map.entry("DNF009", "date"),
            Map.entry("DNF010", "absenceCode"), Map.entry("DNF011", "studentId"), Map.entry("MNA007", "timestamp"),
            Map.entry("BR034A", "schoolYear"), Map.entry("BR034B", "schoolYear"), Map.entry("BR050", "absenceCode"),
            Map.entry("BR051A", "date"), Map.entry("BR051B", "date"), Map.entry("BR052", "partOfDay"),
            Map.entry("BR052B", "partOfDay"), Map.entry("BR053A", "timestamp"), Map.entry("BR053B", "timestamp"));

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
