package be.absencebridge.sim.control;

import be.absencebridge.sim.Problems;
import be.absencebridge.sim.SimValidationException;

import be.absencebridge.sim.support.BodyLimitFilter;

import be.absencebridge.sim.informat.InformatAuth;
import be.absencebridge.sim.informat.InformatSimulator;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import be.absencebridge.sim.informat.InformatValidationException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Bad input to a simulator: a clear 4xx problem body, never a 500. */
@RestControllerAdvice(basePackages = "be.absencebridge.sim")
@Order(Ordered.HIGHEST_PRECEDENCE)
public class SimExceptionHandler {

    /** The Student API's paths: its error bodies follow {@link be.absencebridge.sim.informat.InformatVariants#problemJson()}. */
    private static final String STUDENT_API = "/sim/informat/api/";

    private final ObjectProvider<InformatSimulator> informat;

    public SimExceptionHandler(ObjectProvider<InformatSimulator> informat) {
        this.informat = informat;
    }

    /**
     * An error of the Student API as the vendor's document has it, unless {@code problemJson} is switched on: content
     * type {@code application/json}, {@code type} the RFC 7231 link of the status (ASP.NET Core's defaults: the document
     * shows {@code #section-6.5.1} for 400), {@code title} "One or more validation errors occurred." for 400 (409:
     * "Conflict"), and a {@code traceId}, a new one per answer, written as ASP.NET's W3C trace context id (model: the
     * document shows only that there is one). {@code validationErrors} stay. Any other simulator's problem is unchanged.
     */
    private ResponseEntity<ProblemDetail> shaped(HttpServletRequest request, ResponseEntity<ProblemDetail> answer) {
        if (request == null || !request.getRequestURI().startsWith(STUDENT_API) || answer.getBody() == null) {
            return answer;
        }
        InformatSimulator sim = informat.getIfAvailable();
        if (sim == null || sim.variants().problemJson()) {
            return answer;
        }
        int status = answer.getStatusCode().value();
        ProblemDetail p = answer.getBody();
        p.setType(URI.create(switch (status) {
            case 400 -> "https://tools.ietf.org/html/rfc7231#section-6.5.1";
            case 401 -> "https://tools.ietf.org/html/rfc7235#section-3.1";
            case 403 -> "https://tools.ietf.org/html/rfc7231#section-6.5.3";
            case 404 -> "https://tools.ietf.org/html/rfc7231#section-6.5.4";
            case 409 -> "https://tools.ietf.org/html/rfc7231#section-6.5.8";
            default -> "https://tools.ietf.org/html/rfc7231#section-6.6.1";
        }));
        if (status == 400) {
            p.setTitle("One or more validation errors occurred.");
        } else if (status == 409) {
            p.setTitle("Conflict");
        }
        p.setProperty("traceId", traceId());
        return ResponseEntity.status(answer.getStatusCode()).headers(h -> {
            h.addAll(answer.getHeaders());
            h.setContentType(MediaType.APPLICATION_JSON);
        }).body(p);
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** {@code 00-<32 hex trace id>-<16 hex span id>-00}, as ASP.NET Core writes {@code traceId}. */
    private static String traceId() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        java.util.HexFormat hex = java.util.HexFormat.of();
        return "00-" + hex.formatHex(b, 0, 16) + "-" + hex.formatHex(b, 16, 24) + "-00";
    }

    /** Informat's 400: every field error in {@code validationErrors}, as the Student API's document shows it. */
    @ExceptionHandler(InformatValidationException.class)
    public ResponseEntity<ProblemDetail> validation(InformatValidationException e, HttpServletRequest request) {
        ProblemDetail p = Problems.problem(400, "One or more validation errors occurred.", e.errors().get(0).reason());
        p.setType(java.net.URI.create("https://tools.ietf.org/html/rfc7231#section-6.5.1"));
        List<Map<String, String>> errors = new ArrayList<>();
        for (InformatValidationException.Error err : e.errors()) {
            Map<String, String> m = new java.util.LinkedHashMap<>();
            m.put("name", err.name());
            m.put("reason", err.reason());
            m.put("code", err.code());
            errors.add(m);
        }
        p.setProperty("validationErrors", errors);
        return shaped(request, ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p));
    }

    @ExceptionHandler(SimValidationException.class)
    public ResponseEntity<ProblemDetail> simValidation(SimValidationException e, HttpServletRequest request) {
        HttpStatus status = HttpStatus.valueOf(e.status());
        if (e.code() != null) {
            return shaped(request, Problems.coded(status, e.code(), e.getMessage()));
        }
        return shaped(request, Problems.of(status, e.getMessage()));
    }

    @ExceptionHandler(InformatAuth.UnauthorizedException.class)
    public ResponseEntity<ProblemDetail> unauthorized(InformatAuth.UnauthorizedException e, HttpServletRequest request) {
        return shaped(request, ResponseEntity.status(401).header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(Problems.problem(401, "Unauthorized", e.getMessage())));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        if (hasCause(e, BodyLimitFilter.TooLarge.class)) {
            return Problems.of(HttpStatus.PAYLOAD_TOO_LARGE, "request body too large");
        }
        String detail = "request body is missing or not valid JSON";
        if (e.getCause() instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            detail = "field " + path(m) + " has the wrong type";
        } else if (e.getCause() instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            detail = "field " + path(m) + " is not valid";
        }
        return shaped(request, Problems.of(HttpStatus.BAD_REQUEST, detail));
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, MissingRequestHeaderException.class,
            MethodArgumentTypeMismatchException.class})
    public ResponseEntity<ProblemDetail> badParameter(Exception e, HttpServletRequest request) {
        String detail = "bad request";
        if (e instanceof MissingServletRequestParameterException m) {
            detail = "query parameter " + m.getParameterName() + " is missing";
        } else if (e instanceof MissingRequestHeaderException m) {
            detail = "header " + m.getHeaderName() + " is missing";
        } else if (e instanceof MethodArgumentTypeMismatchException m) {
            detail = "parameter " + m.getName() + " has the wrong type";
        }
        return shaped(request, Problems.of(HttpStatus.BAD_REQUEST, detail));
    }

    private static String path(JsonMappingException m) {
        return m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
