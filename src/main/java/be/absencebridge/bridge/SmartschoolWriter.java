package be.absencebridge.bridge;

import be.absencebridge.domain.AbsenceCodes;
import be.absencebridge.domain.SchoolYear;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Smartschool's presences write for one delivery, and the meaning of its per-cell answer. An absence
 * cleared in Informat leaves an empty half-day there, which means present: Smartschool gets the official
 * presence {@code |} (except for non-compulsory kindergarten pupils, whose half-day is cleared).
 */
@Component("smartschoolWriter")
public class SmartschoolWriter {

    private final SmartschoolDirectory directory;
    private final InformatDirectory informat;
    private final ObjectMapper json;

    public SmartschoolWriter(SmartschoolDirectory directory, InformatDirectory informat, ObjectMapper json) {
        this.directory = directory;
        this.informat = informat;
        this.json = json;
    }

    public void prepare(Exchange exchange) throws IOException {
        Delivery d = exchange.getProperty(Outbox.DELIVERY, Delivery.class);
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        String internal = directory.internalNumber(d.institutionNumber(), d.registrationNumber());
        if (internal == null) {
            DeliveryResult.refuse(exchange, "pupil not found in Smartschool");
            return;
        }
        String code = d.officialCode();
        if (code == null) {
            InformatDirectory.Student s = informat.student(d.institutionNumber(), d.registrationNumber());
            boolean nonCompulsoryToddler = s != null && "kleuter".equals(s.level()) && s.dateOfBirth() != null
                    && !SchoolYear.of(d.date()).isCompulsory(s.dateOfBirth());
            code = nonCompulsoryToddler ? null : AbsenceCodes.PRESENT;
        }
        Map<String, Object> cell = new LinkedHashMap<>();
        cell.put("internalNumber", internal);
        cell.put("date", d.date().toString());
        cell.put("part", d.part().smartschool());
        cell.put("code", code);
        cell.put("alias", code == null ? null : d.smartschoolAlias());
        cell.put("motivation", code == null ? null : d.text());
        cell.put("registeredAt", d.registeredAt().toString());
        m.setHeader(Exchange.HTTP_METHOD, "POST");
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(json.writeValueAsBytes(List.of(cell)));
    }

    public void outcome(Exchange exchange) throws IOException {
        Message m = exchange.getMessage();
        int status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (VendorUnavailableException.retryable(status)) {
            throw new VendorUnavailableException("Smartschool answered " + status,
                    VendorUnavailableException.retryAfter(m.getHeader("Retry-After")));
        }
        if (status != 200) {
            DeliveryResult.refuse(exchange, "Smartschool refused: " + status);
            return;
        }
        JsonNode result;
        try {
            result = json.readTree(m.getBody(byte[].class)).path(0);
        } catch (IOException e) {
            throw new VendorUnavailableException("Smartschool answered an unreadable body");
        }
        String cellStatus = result.path("status").asText("");
        switch (cellStatus) {
            case "saved", "unchanged" -> DeliveryResult.record(exchange, "DELIVERED", cellStatus);
            case "stale" -> DeliveryResult.record(exchange, "TARGET_NEWER", "Smartschool holds a newer registration");
            case "rejected" -> DeliveryResult.refuse(exchange, "Smartschool rejected: " + result.path("reason").asText("no reason"));
            default -> throw new VendorUnavailableException("Smartschool answered an unexpected cell status");
        }
    }
}
