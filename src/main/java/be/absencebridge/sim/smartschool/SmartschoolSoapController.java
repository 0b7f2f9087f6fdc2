package be.absencebridge.sim.smartschool;

import be.absencebridge.vendor.smartschool.SoapEnvelope;

import be.absencebridge.sim.SimValidationException;
import be.absencebridge.sim.Timestamps;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.List;

/**
 * Smartschool's public SOAP web service {@code /Webservices/V3} (RPC style), read methods only.
 * Faults caused by the caller answer 4xx (not SOAP 1.1's customary 500): bad input never looks like an outage.
 */
@RestController
@ConditionalOnProperty(name = "bridge.sim.enabled", havingValue = "true", matchIfMissing = true)
public class SmartschoolSoapController {

    static final String NAMESPACE = "https://school.smartschool.be/Webservices/V3";
    private static final MediaType XML = new MediaType("text", "xml", StandardCharsets.UTF_8);
    /** Smartschool's integer error codes used here. */
    static final String ERROR_ACCESSCODE = "2";
    static final String ERROR_DATE = "4";

    private final SmartschoolSimulator sim;
    private final ObjectMapper json;
    private final byte[] accesscode;

    public SmartschoolSoapController(SmartschoolSimulator sim, ObjectMapper json,
                                     @Value("${bridge.smartschool.accesscode}") String accesscode) {
        this.sim = sim;
        this.json = json;
        this.accesscode = accesscode.getBytes(StandardCharsets.UTF_8);
    }

    @PostMapping(path = "/sim/smartschool/Webservices/V3")
    public ResponseEntity<String> call(@RequestBody(required = false) byte[] body) throws JsonProcessingException {
        SoapEnvelope call;
        try {
            call = SoapEnvelope.parse(body);
        } catch (SoapEnvelope.MalformedEnvelopeException e) {
            return fault(400, "SOAP-ENV:Client", e.getMessage());
        }
        boolean withAlias;
        switch (call.method()) {
            case "getAbsentsWithAliasByDate" -> withAlias = true;
            case "getAbsentsByDate" -> withAlias = false;
            default -> {
                return fault(400, "SOAP-ENV:Client", "Function (\"" + call.method() + "\") is not a valid method for this service");
            }
        }
        List<String> p = call.parameters();
        if (p.size() != 2) {
            return fault(400, "SOAP-ENV:Client", call.method() + " takes 2 parameters (accesscode, date)");
        }
        if (p.get(0) == null || !MessageDigest.isEqual(accesscode, p.get(0).trim().getBytes(StandardCharsets.UTF_8))) {
            return fault(401, ERROR_ACCESSCODE, "De opgegeven toegangscode is ongeldig");
        }
        LocalDate date;
        try {
            date = Timestamps.parseDate(p.get(1), "date");
        } catch (SimValidationException e) {
            return fault(400, ERROR_DATE, "Ongeldige datum");
        }
        String result = json.writeValueAsString(sim.absentsByDate(date, withAlias));
        return ResponseEntity.ok().contentType(XML).body(SoapEnvelope.response(call.method(), NAMESPACE, result));
    }

    private static ResponseEntity<String> fault(int status, String code, String message) {
        return ResponseEntity.status(status).contentType(XML).body(SoapEnvelope.fault(code, message));
    }
}
