package be.absencebridge.vendor.smartschool;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.vendor.VendorHttp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Smartschool's SOAP web services (V3), read side: the register of one day ({@code getAbsentsWithAliasByDate}), for the
 * pollers and the backfill. Every registered half-day of a pupil the directory knows, keyed as the bridge keys pupils.
 */
@Component
public class SmartschoolSoapClient {

    private static final String NAMESPACE = "https://school.smartschool.be/Webservices/V3";

    private final VendorHttp http;
    private final SmartschoolDirectory directory;
    private final ObjectMapper json;
    private final String baseUrl;
    private final String accesscode;

    public SmartschoolSoapClient(VendorHttp http, SmartschoolDirectory directory, ObjectMapper json, BridgeProperties props) {
        this.http = http;
        this.directory = directory;
        this.json = json;
        this.baseUrl = props.smartschool().baseUrl();
        this.accesscode = props.smartschool().accesscode();
    }

    /**
     * One registered half-day of the register: the pupil's identity (Smartschool's internal number, the institution
     * and registration number the bridge matches pupils by), the part ({@code am}/{@code pm}) and the cell as read.
     */
    public record Cell(String internalNumber, String institutionNumber, String registrationNumber, LocalDate date,
                       String part, JsonNode cell) {

        public String code() {
            return cell.path("code").asText(null);
        }
    }

    /** The register of one day. */
    public List<Cell> readDay(LocalDate date) throws Exception {
        byte[] response = http.postXml(baseUrl + "/Webservices/V3",
                SoapEnvelope.request("getAbsentsWithAliasByDate", NAMESPACE, accesscode, date.toString()),
                NAMESPACE + "#getAbsentsWithAliasByDate");
        JsonNode register = json.readTree(SoapEnvelope.parseResponse(response));
        List<Cell> cells = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = register.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> pupil = it.next();
            String[] identity = directory.identity(pupil.getKey());
            if (identity == null) {
                continue;
            }
            for (String part : List.of("am", "pm")) {
                JsonNode cell = pupil.getValue().get(part);
                if (cell != null && !cell.isNull()) {
                    cells.add(new Cell(pupil.getKey(), identity[0], identity[1], date, part, cell));
                }
            }
        }
        return cells;
    }
}
