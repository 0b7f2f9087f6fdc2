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
    private final SmartschoolSettings settings;

    public SmartschoolSoapClient(SmartschoolSoap soap, SmartschoolDirectory directory, ObjectMapper json, SmartschoolSettings settings) {
        this.settings = settings;
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

    /**
     * The register of one day on one platform. Every reading the public sources allow is taken: a day with nothing
     * registered as {@code {}}, {@code []} (PHP's {@code json_encode} of an empty array) or nothing at all; {@code alias}
     * null, the code itself, the alias, or a label teachers see (matched against the platform's aliases; a label that
     * is none of them is no alias, said once per label in the log).
     */
    public List<Cell> readDay(be.absencebridge.config.BridgeProperties.Platform platform, LocalDate date) throws Exception {
        String answer = soap.call(platform, "getAbsentsWithAliasByDate", "date", date.toString());
        JsonNode register = answer == null || answer.isBlank() ? json.createObjectNode() : json.readTree(answer);
        if (register == null || register.isMissingNode() || (register.isArray() && register.isEmpty())) {
            return List.of();
        }
        if (!register.isObject()) {
            throw new java.io.IOException("Smartschool's register read answered no object");
        }
        List<Cell> cells = new ArrayList<>();
        Aliases aliases = new Aliases(platform);
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
                    cells.add(new Cell(pupil, date, part, code, aliases.of(code, cell.path("alias"))));
                }
            }
        }
        return cells;
    }

    /** Labels already said in the log (once each, per process). */
    private final java.util.Set<String> unknownLabels = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A read's {@code alias} field as the school's alias, or null; the platform's aliases read once a day read, if needed. */
    private final class Aliases {
        private final be.absencebridge.config.BridgeProperties.Platform platform;
        private SmartschoolSettings.Settings settings;

        Aliases(be.absencebridge.config.BridgeProperties.Platform platform) {
            this.platform = platform;
        }

        String of(String code, JsonNode field) throws java.io.IOException {
            String alias = field == null || field.isNull() || field.isMissingNode() ? null : field.asText(null);
            if (alias == null || alias.isBlank() || alias.equals(code)) {
                return null;
            }
            if (settings == null) {
                try {
                    settings = SmartschoolSoapClient.this.settings.read(platform);
                } catch (java.io.IOException e) {
                    // the aliases cannot be read now: the read's value is taken as it stands (the translation still
                    // checks it against the school's table)
                    return alias;
                }
            }
            if (settings.aliases() == null || settings.aliases().contains(alias)) {
                // the alias itself (public interfaces only: the platform's aliases are not known, the read is taken)
                return alias;
            }
            String byLabel = settings.aliasOfLabel() == null ? null : settings.aliasOfLabel().get(alias);
            if (byLabel != null) {
                return byLabel;
            }
            if (unknownLabels.add(platform.name() + "|" + alias)) {
                LOG.warn("Smartschool platform {}: the register shows \"{}\" as an alias, which is none of the platform's aliases "
                        + "nor their labels: taken as no alias", platform.name(), alias);
            }
            return null;
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SmartschoolSoapClient.class);
}
