package be.absencebridge.sim.informat;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An error of the older pupil API, answered in its own shape: {@code {"errors":[{"code","message"}]}} with the status.
 * The codes are those the public PHP client (kobavzw/informat-php-client {@code src/Informat/Directories/Students/ErrorCode.php})
 * lists for the students directory; the messages are the simulator's own. An error no published code fits (401, 403, a
 * fault) has {@code code: null}. A top-level {@code message} repeats the first error's: the client's first error handler
 * looked for it beside {@code errors} (a guess that the service writes it).
 */
public final class PupilApiError extends RuntimeException {

    /** The value of a field could not be converted to its type (a date, a moment, an id that is no GUID). */
    public static final String BR000 = "BR000";
    /** The school year is missing. */
    public static final String BR034A = "BR034A";
    /** The school year is not valid. */
    public static final String BR034B = "BR034B";
    /** The institute number is missing. */
    public static final String BR035A = "BR035A";
    /** The institute number is not 6 characters long. */
    public static final String BR035B = "BR035B";
    /** Nothing found for the id. */
    public static final String DNF001 = "DNF001";

    private final int status;
    private final String code;

    public PupilApiError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    /** A 400 with a published code. */
    public static PupilApiError badRequest(String code, String message) {
        return new PupilApiError(400, code, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The answer: the status, {@code application/json}, the body; a 401 also says {@code WWW-Authenticate: Bearer}. */
    public ResponseEntity<Map<String, Object>> answer() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", getMessage());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", getMessage());
        body.put("errors", List.of(error));
        ResponseEntity.BodyBuilder b = ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
        if (status == 401) {
            b.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
        }
        return b.body(body);
    }
}
