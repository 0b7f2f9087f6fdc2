package be.absencebridge.vendor.informat;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.vendor.VendorHttp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reads of Informat's older public pupil API ({@code bridge.informat.pupil-api-url}): per institute, its bearer
 * token, {@code InstituteNo} and {@code Timestamp}; a token the API refuses (401) is renewed and the read made once more.
 * <p>
 * An error answer is read as the API writes it, {@code {"errors":[{"code","message"}]}} (kobavzw/informat-php-client
 * {@code src/Informat/Call/CallProcessor.php}; its names in any case, as that client reads them), and fails the read
 * with an {@link ErrorAnswer} that carries the status, the first code and message, and their {@link Kind}. The read is
 * counted in {@code bridge_vendor_errors_total} (vendor {@code informat}, the code or else the status, the kind) and said
 * in the log once until the institute's answer changes: the vendor's code and message, never a pupil's data.
 */
@Component("informatPupilApi")
public class InformatPupilApi {

    private static final Logger LOG = LoggerFactory.getLogger(InformatPupilApi.class);
    /** The longest vendor message the bridge repeats in an error or the log. */
    private static final int MESSAGE_MAX = 300;

    /** What an error answer means for the link. */
    public enum Kind {
        /** The token is refused after a new one (401), or its scope does not cover the institute (403): a person must act. */
        CREDENTIAL,
        /** The read's input: a {@code BR...} code or a 400 (a school year, a date, the institute number). */
        BAD_INPUT,
        /** Nothing for the id asked: a {@code DNF...} code or a 404. */
        NOT_FOUND,
        /** The API will not do it in the record's state: an {@code MNA...} code, a 405 or a 409. */
        REFUSED,
        /** The API failed or asks for time (5xx, 408, 429, anything else): a later read may work. */
        VENDOR_FAULT
    }

    /**
     * The codes the public client lists for the students directory (kobavzw/informat-php-client
     * {@code src/Informat/Directories/Students/ErrorCode.php}): {@code BR...} bad request, {@code DNF...} not found,
     * {@code MNA...} not allowed. A code outside it is classified by the answer's status and said to be unlisted.
     */
    static final Set<String> PUBLISHED = Set.of("BR000", "BR001A", "BR001B", "BR002A", "BR002B", "BR003", "BR004A",
            "BR005A", "BR005B", "BR006A", "BR007A", "BR008A", "BR008B", "BR009", "BR010A", "BR011", "BR012", "BR013",
            "BR014", "BR015", "BR016", "BR017", "BR018", "BR019", "BR020A", "BR021", "BR022A", "BR022B", "BR023A",
            "BR023B", "BR024A", "BR024B", "BR025A", "BR025B", "BR026", "BR027A", "BR027B", "BR028A", "BR028B", "BR029A",
            "BR029B", "BR030", "BR031", "BR032", "BR033", "BR034A", "BR034B", "BR035A", "BR035B", "BR036A", "BR036B",
            "BR037A", "BR037B", "BR037C", "BR038A", "BR038B", "BR039", "BR040A", "BR040B", "BR041A", "BR041B", "BR042",
            "BR043A", "DNF001", "MNA001", "MNA002", "MNA003", "MNA004", "MNA005");

    /** A read the older pupil API answered with an error. */
    public static final class ErrorAnswer extends VendorHttp.VendorException {
        private final String code;
        private final String vendorMessage;
        private final Kind kind;

        ErrorAnswer(String message, int status, String code, String vendorMessage, Kind kind) {
            super(message, status);
            this.code = code;
            this.vendorMessage = vendorMessage;
            this.kind = kind;
        }

        /** The vendor's code of the first error ({@code BR034B}), or null when the answer had none. */
        public String code() {
            return code;
        }

        /** The vendor's message of the first error (trimmed to one line of at most 300 characters), or null. */
        public String vendorMessage() {
            return vendorMessage;
        }

        public Kind kind() {
            return kind;
        }
    }

    private final VendorHttp http;
    private final InformatTokens tokens;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final Clock clock;
    private final BridgeProperties props;
    /** Per institute, the last error said in the log ({@code status|code}); none: its last read worked. */
    private final Map<String, String> lastError = new ConcurrentHashMap<>();

    public InformatPupilApi(VendorHttp http, InformatTokens tokens, ObjectMapper json, MeterRegistry meters, Clock clock,
                            BridgeProperties props) {
        this.http = http;
        this.tokens = tokens;
        this.json = json;
        this.meters = meters;
        this.clock = clock;
        this.props = props;
    }

    /**
     * A read ({@code /1/registrations?schoolYear=2026-27}) for one institute: the answer's JSON object. A refusal of the
     * identity server is its own ({@link InformatTokens}), not an error of this API.
     */
    public JsonNode read(String pathAndQuery, String institute) throws IOException {
        JsonNode answer;
        try {
            answer = call(pathAndQuery, institute, tokens.authorization(institute));
        } catch (VendorHttp.VendorException e) {
            if (e.status() != 401 || e instanceof VendorHttp.AnswerLimitException) {
                throw refusedOrAsIs(e, pathAndQuery, institute);
            }
            // a token the identity server no longer honours (expired early, revoked): once more with a new one
            tokens.invalidate(institute);
            String renewed = tokens.authorization(institute);
            try {
                answer = call(pathAndQuery, institute, renewed);
            } catch (VendorHttp.VendorException again) {
                throw refusedOrAsIs(again, pathAndQuery, institute);
            }
        }
        if (lastError.remove(institute) != null) {
            LOG.info("Informat's older pupil API answers the reads for institute {} again", institute);
        }
        return answer;
    }

    private JsonNode call(String pathAndQuery, String institute, String authorization) throws IOException {
        return http.getObject(props.informat().pupilApiUrl() + pathAndQuery, Map.of("Authorization", authorization,
                "InstituteNo", institute, "Timestamp", clock.instant().toString()));
    }

    /** An error answer (4xx, 5xx) as an {@link ErrorAnswer}; anything else (an answer over the limits, no JSON) as it is. */
    private VendorHttp.VendorException refusedOrAsIs(VendorHttp.VendorException e, String pathAndQuery, String institute) {
        if (e instanceof VendorHttp.AnswerLimitException || e.status() < 400) {
            return e;
        }
        return refused(e, pathAndQuery, institute);
    }

    /** The error answer read, counted and said (once until the institute's answer changes). */
    private ErrorAnswer refused(VendorHttp.VendorException e, String pathAndQuery, String institute) {
        ErrorAnswer error = error(e.status(), e.body(), "GET " + path(pathAndQuery) + " for institute " + institute);
        String label = error.code() != null ? error.code() : String.valueOf(error.status());
        meters.counter("bridge.vendor.errors", "vendor", "informat", "platform", "", "code", label,
                "kind", error.kind().name().toLowerCase()).increment();
        String said = error.status() + "|" + label;
        if (!said.equals(lastError.put(institute, said))) {
            String unlisted = error.code() != null && !PUBLISHED.contains(error.code()) ? " (a code the public client does not list)" : "";
            if (error.kind() == Kind.CREDENTIAL) {
                LOG.error("{}{}: check bridge.informat.client-id, client-secret and the client registration's institutes",
                        error.getMessage(), unlisted);
            } else {
                LOG.warn("{}{}", error.getMessage(), unlisted);
            }
        }
        return error;
    }

    /** The error of an answer's status and body: its first {@code errors} item's code and message, and their kind. */
    ErrorAnswer error(int status, byte[] body, String what) {
        String code = null;
        String message = null;
        JsonNode first = first(errors(body));
        if (first != null) {
            code = text(field(first, "code"));
            message = text(field(first, "message"));
        }
        Kind kind = kind(status, code);
        String text = "Informat's older pupil API refused " + what + ": " + status + (code == null ? "" : " " + code)
                + " (" + kind.name().toLowerCase().replace('_', ' ') + ")" + (message == null ? "" : ": " + message);
        return new ErrorAnswer(text, status, code, message, kind);
    }

    /** The kind of an error: 401 and 403 a credential; else the published code's family; else the status. */
    static Kind kind(int status, String code) {
        if (status == 401 || status == 403) {
            return Kind.CREDENTIAL;
        }
        if (code != null && PUBLISHED.contains(code)) {
            return code.startsWith("BR") ? Kind.BAD_INPUT : code.startsWith("DNF") ? Kind.NOT_FOUND : Kind.REFUSED;
        }
        return switch (status) {
            case 400, 422 -> Kind.BAD_INPUT;
            case 404 -> Kind.NOT_FOUND;
            case 405, 409 -> Kind.REFUSED;
            default -> Kind.VENDOR_FAULT;
        };
    }

    /** The {@code errors} array of a body (any case of the name), or null. */
    private JsonNode errors(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode root = json.readTree(body);
            JsonNode errors = root == null ? null : field(root, "errors");
            return errors != null && errors.isArray() ? errors : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static JsonNode first(JsonNode errors) {
        if (errors == null) {
            return null;
        }
        for (JsonNode e : errors) {
            if (e.isObject()) {
                return e;
            }
        }
        return null;
    }

    /** A member of an object by its name in any case ({@code code}, {@code Code}), or null. */
    private static JsonNode field(JsonNode object, String name) {
        if (!object.isObject()) {
            return null;
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String n = names.next();
            if (n.equalsIgnoreCase(name)) {
                return object.get(n);
            }
        }
        return null;
    }

    /** A text value on one line, at most {@link #MESSAGE_MAX} characters; null when missing, null or blank. */
    private static String text(JsonNode n) {
        if (n == null || n.isNull() || n.isContainerNode()) {
            return null;
        }
        String s = n.asText().replaceAll("\\p{Cntrl}+", " ").strip();
        if (s.isEmpty()) {
            return null;
        }
        return s.length() <= MESSAGE_MAX ? s : s.substring(0, MESSAGE_MAX) + "...";
    }

    /**
     * The path of a read without its query (a date, a moment: not needed to tell what failed) and without the person id
     * of a single student's read ({@code /1/students/{id}}): which read failed, not for whom.
     */
    static String path(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        return path.replaceAll("/students/[^/]+", "/students/{id}");
    }
}
