package be.absencebridge.bridge;

import be.absencebridge.domain.AbsenceCodes;
import be.absencebridge.domain.SchoolYear;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a record from Smartschool into Informat's Student API call ({@code PUT}, or {@code DELETE} to clear)
 * and reads its answer. Presence clears an Informat absence, except for non-compulsory kindergarten pupils,
 * whose presence Informat stores (DOMAIN.md rule 6).
 */
@Component("informatWriter")
public class InformatWriter {

    /** Set when the record is not sent; the reason, without personal data. */
    public static final String SKIP = "bridgeSkip";
    public static final String OUTCOME = "bridgeOutcome";
    /** The exchange property holding the record, so that a retry rebuilds the call from it. */
    public static final String RECORD = "bridgeRecord";

    private final InformatDirectory directory;
    private final InformatTokens tokens;
    private final ObjectMapper json;

    public InformatWriter(InformatDirectory directory, InformatTokens tokens, ObjectMapper json) {
        this.directory = directory;
        this.tokens = tokens;
        this.json = json;
    }

    public void prepare(Exchange exchange) throws IOException {
        AbsenceRecord r = exchange.getProperty(RECORD, AbsenceRecord.class);
        Message m = exchange.getMessage();
        InformatDirectory.Student s = directory.student(r.institutionNumber(), r.registrationNumber());
        if (s == null) {
            exchange.setProperty(SKIP, "pupil unknown in Informat");
            return;
        }
        SchoolYear year = SchoolYear.of(r.date());
        boolean storesPresence = "kleuter".equals(s.level()) && s.dateOfBirth() != null && !year.isCompulsory(s.dateOfBirth());
        boolean clear = r.cleared() || (AbsenceCodes.PRESENT.equals(r.officialCode()) && !storesPresence);

        m.setHeader(Exchange.HTTP_PATH, "/api/v1/students/" + s.personId() + "/absences");
        m.setHeader("instituteNo", s.instituteNo());
        m.setHeader("Authorization", tokens.authorization(s.instituteNo()));
        if (clear) {
            m.setHeader(Exchange.HTTP_METHOD, "DELETE");
            m.setHeader(Exchange.HTTP_QUERY, "date=" + r.date() + "&partOfDay=" + r.part().informat()
                    + "&timestamp=" + URLEncoder.encode(r.registeredAt().toString(), StandardCharsets.UTF_8));
            m.setBody(null);
        } else {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("schoolYear", year.toString());
            body.put("absenceCode", r.officialCode());
            body.put("date", r.date().toString());
            body.put("partOfDay", r.part().informat());
            body.put("locationIdDiscimus", s.locationIdDiscimus());
            body.put("timestamp", r.registeredAt().toString());
            body.put("remark", r.text());
            m.setHeader(Exchange.HTTP_METHOD, "PUT");
            m.setHeader(Exchange.CONTENT_TYPE, "application/json");
            m.setBody(json.writeValueAsBytes(body));
        }
        exchange.setProperty("bridgeAction", clear ? "clear" : "code " + r.officialCode());
    }

    /** Reads the answer: saved, unchanged, or refused with the API's error code. */
    public void outcome(Exchange exchange) throws IOException {
        Message m = exchange.getMessage();
        int status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String outcome = switch (status) {
            case 200 -> "saved";
            case 204 -> "unchanged";
            default -> "refused " + status + errorCode(m.getBody(byte[].class));
        };
        if (status == 401) {
            tokens.invalidate(m.getHeader("instituteNo", String.class));
        }
        if (VendorUnavailableException.retryable(status)) {
            throw new VendorUnavailableException("Informat answered " + status);
        }
        exchange.setProperty(OUTCOME, outcome);
    }

    private String errorCode(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            JsonNode code = json.readTree(body).path("validationErrors").path(0).path("code");
            return code.isTextual() ? " " + code.asText() : "";
        } catch (IOException e) {
            return "";
        }
    }
}
