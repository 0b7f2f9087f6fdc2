package be.absencebridge.vendor.smartschool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Smartschool platform's register of one day through the public web services ({@code getAbsentsWithAliasByDate}), for the
 * pollers and the backfill: every registered half-day (presences included) of a pupil the directory knows, keyed by
 * username. The read carries no registration time and no motivation.
 */
@Component
public class SmartschoolSoapClient {

    /** Keys of accounts Smartschool archived carry the moment: {@code YYYYMMDD_HHMMSS_username}. */
    private static final Pattern ARCHIVED = Pattern.compile("\\d{8}_\\d{6}_(.+)");

    private final SmartschoolSoap soap;
    private final SmartschoolDirectory directory;
    private final ObjectMapper json;

    public SmartschoolSoapClient(SmartschoolSoap soap, SmartschoolDirectory directory, ObjectMapper json) {
        this.soap = soap;
        this.directory = directory;
        this.json = json;
    }

    /**
     * One registered half-day: the pupil, the part ({@code am}/{@code pm}), the official code (or older code) and the
     * school's alias when one was used (null otherwise).
     */
    public record Cell(SmartschoolDirectory.Pupil pupil, LocalDate date, String part, String code, String alias) {

        public String internalNumber() {
            return pupil.internalNumber();
        }

        public String institutionNumber() {
            return pupil.institutionNumber();
        }

        public String registrationNumber() {
            return pupil.registrationNumber();
        }
    }

    /** The register of one day on one platform. */
    public List<Cell> readDay(be.absencebridge.config.BridgeProperties.Platform platform, LocalDate date) throws Exception {
        JsonNode register = json.readTree(soap.call(platform, "getAbsentsWithAliasByDate", "date", date.toString()));
        if (register == null || !register.isObject()) {
            throw new java.io.IOException("Smartschool's register read answered no object");
        }
        List<Cell> cells = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = register.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            java.util.regex.Matcher archived = ARCHIVED.matcher(entry.getKey());
            SmartschoolDirectory.Pupil pupil = directory.byUsername(platform.name(), archived.matches() ? archived.group(1) : entry.getKey());
            if (pupil == null) {
                continue;
            }
            for (String part : List.of("am", "pm")) {
                JsonNode cell = entry.getValue().get(part);
                String code = cell == null || cell.isNull() ? null : cell.path("officialcode").asText(null);
                if (code != null && !code.isBlank()) {
                    String alias = cell.path("alias").asText(null);
                    // the name teachers saw is the code itself when no alias was used
                    cells.add(new Cell(pupil, date, part, code, alias == null || alias.isBlank() || alias.equals(code) ? null : alias));
                }
            }
        }
        return cells;
    }
}
