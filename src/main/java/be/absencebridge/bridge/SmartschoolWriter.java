package be.absencebridge.bridge;

import be.absencebridge.domain.AbsenceCodes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a record from Informat into Smartschool's presences write and reads its per-cell answer. */
@Component("smartschoolWriter")
public class SmartschoolWriter {

    private static final String RECORD = InformatWriter.RECORD;

    private final SmartschoolDirectory directory;
    private final ObjectMapper json;

    public SmartschoolWriter(SmartschoolDirectory directory, ObjectMapper json) {
        this.directory = directory;
        this.json = json;
    }

    public void prepare(Exchange exchange) throws IOException {
        AbsenceRecord r = exchange.getProperty(RECORD, AbsenceRecord.class);
        Message m = exchange.getMessage();
        if (!r.cleared() && !AbsenceCodes.isSmartschoolCode(r.officialCode())) {
            exchange.setProperty(InformatWriter.SKIP, "code has no Smartschool equivalent");
            return;
        }
        String internal = directory.internalNumber(r.institutionNumber(), r.registrationNumber());
        if (internal == null) {
            exchange.setProperty(InformatWriter.SKIP, "pupil unknown in Smartschool");
            return;
        }
        Map<String, Object> cell = new LinkedHashMap<>();
        cell.put("internalNumber", internal);
        cell.put("date", r.date().toString());
        cell.put("part", r.part().smartschool());
        cell.put("code", r.officialCode());
        cell.put("alias", null);
        cell.put("motivation", r.text());
        cell.put("registeredAt", r.registeredAt().toString());
        m.setHeader(Exchange.HTTP_METHOD, "POST");
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.setProperty("bridgeAction", r.cleared() ? "clear" : "code " + r.officialCode());
        m.setBody(json.writeValueAsBytes(List.of(cell)));
    }

    public void outcome(Exchange exchange) throws IOException {
        Message m = exchange.getMessage();
        int status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (VendorUnavailableException.retryable(status)) {
            throw new VendorUnavailableException("Smartschool answered " + status);
        }
        String outcome;
        if (status == 200) {
            JsonNode result = json.readTree(m.getBody(byte[].class)).path(0);
            outcome = result.path("status").asText("unknown");
            if (result.hasNonNull("reason")) {
                outcome += " (" + result.path("reason").asText() + ")";
            }
        } else {
            outcome = "refused " + status;
        }
        exchange.setProperty(InformatWriter.OUTCOME, outcome);
    }
}
