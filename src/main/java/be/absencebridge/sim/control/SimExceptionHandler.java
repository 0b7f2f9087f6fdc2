package be.absencebridge.sim.control;

import be.absencebridge.sim.Problems;
import be.absencebridge.sim.SimValidationException;

import be.absencebridge.config.BodySizeLimitFilter;

import be.absencebridge.sim.informat.InformatAuth;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Bad input to a simulator: a clear 4xx problem body, never a 500. */
@RestControllerAdvice(basePackages = "be.absencebridge.sim")
@Order(Ordered.HIGHEST_PRECEDENCE)
public class SimExceptionHandler {

    /** Informat's 400: every field error in {@code validationErrors}, as the Student API's document shows it. */
    @ExceptionHandler(InformatValidationException.class)
    public ResponseEntity<ProblemDetail> validation(InformatValidationException e) {
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
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    @ExceptionHandler(SimValidationException.class)
    public ResponseEntity<ProblemDetail> simValidation(SimValidationException e) {
        HttpStatus status = HttpStatus.valueOf(e.status());
        if (e.code() != null) {
            return Problems.coded(status, e.code(), e.getMessage());
        }
        return Problems.of(status, e.getMessage());
    }

    @ExceptionHandler(InformatAuth.UnauthorizedException.class)
    public ResponseEntity<?> unauthorized(InformatAuth.UnauthorizedException e) {
        return ResponseEntity.status(401).header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(Problems.problem(401, "Unauthorized", e.getMessage()));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        if (hasCause(e, BodySizeLimitFilter.BodyTooLargeException.class)) {
            return Problems.of(HttpStatus.PAYLOAD_TOO_LARGE, "request body too large");
        }
        String detail = "request body is missing or not valid JSON";
        if (e.getCause() instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            detail = "field " + path(m) + " has the wrong type";
        } else if (e.getCause() instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            detail = "field " + path(m) + " is not valid";
        }
        return Problems.of(HttpStatus.BAD_REQUEST, detail);
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, MissingRequestHeaderException.class,
            MethodArgumentTypeMismatchException.class})
    public ResponseEntity<ProblemDetail> badParameter(Exception e) {
        String detail = "bad request";
        if (e instanceof MissingServletRequestParameterException m) {
            detail = "query parameter " + m.getParameterName() + " is missing";
        } else if (e instanceof MissingRequestHeaderException m) {
            detail = "header " + m.getHeaderName() + " is missing";
        } else if (e instanceof MethodArgumentTypeMismatchException m) {
            detail = "parameter " + m.getName() + " has the wrong type";
        }
        return Problems.of(HttpStatus.BAD_REQUEST, detail);
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
