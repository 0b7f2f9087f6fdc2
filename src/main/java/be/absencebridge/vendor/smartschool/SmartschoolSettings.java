package be.absencebridge.vendor.smartschool;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.vendor.VendorHttp;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A Smartschool platform's settings for the link: its "synchronise absences" switch, the institutions whose Discimus link it
 * holds, and the school's aliases. Read from the platform's partner endpoint {@code partner/v1/settings}; Smartschool
 * publishes no read of them, so without the partner endpoints the board's configuration stands in: the switch counts as
 * on (the board runs the bridge because it exchanges absences), the Discimus institutions are
 * {@code bridge.smartschool.platforms.<name>.discimus-institutions}, and the aliases are not known ({@code aliases} null).
 */
@Component
public class SmartschoolSettings {

    /**
     * {@code aliases} null: not known (public interfaces only); {@code aliasOfLabel}: each alias by the label teachers
     * see (null likewise), for a register read that shows the label where the alias belongs.
     */
    public record Settings(boolean absenceSyncEnabled, Set<String> discimusInstitutions, Set<String> aliases,
                           Map<String, String> aliasOfLabel) {

        public Settings(boolean absenceSyncEnabled, Set<String> discimusInstitutions, Set<String> aliases) {
            this(absenceSyncEnabled, discimusInstitutions, aliases, null);
        }
    }

    private final VendorHttp http;

    public SmartschoolSettings(VendorHttp http) {
        this.http = http;
    }

    /** A platform's settings. */
    public Settings read(BridgeProperties.Platform platform) throws IOException {
        if (!platform.partner()) {
            return new Settings(true, Set.copyOf(platform.discimusInstitutions()), null);
        }
        JsonNode ss = http.getObject(platform.baseUrl() + "/partner/v1/settings", Map.of("Authorization", "Bearer " + platform.accesscode()));
        Set<String> discimus = new HashSet<>();
        for (JsonNode i : ss.path("discimusInstitutions")) {
            discimus.add(i.asText());
        }
        Set<String> aliases = new HashSet<>();
        Map<String, String> byLabel = new java.util.HashMap<>();
        for (JsonNode a : ss.path("aliases")) {
            aliases.add(a.path("alias").asText());
            if (a.hasNonNull("label")) {
                byLabel.put(a.path("label").asText(), a.path("alias").asText());
            }
        }
        return new Settings(ss.path("absenceSyncEnabled").asBoolean(false), discimus, aliases, byLabel);
    }
}
