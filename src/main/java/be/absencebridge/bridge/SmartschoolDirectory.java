package be.absencebridge.bridge;

import be.absencebridge.config.BridgeProperties;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Smartschool's pupils: the internal number behind an institution and registration number. Cached like Informat's. */
@Component("smartschoolDirectory")
public class SmartschoolDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(SmartschoolDirectory.class);
    private static final long MIN_RELOAD_SECONDS_ON_MISS = 15;

    private record Snapshot(Map<String, String> internalByKey, Instant loadedAt) {
    }

    private final VendorHttp http;
    private final Clock clock;
    private final BridgeProperties props;
    private final String baseUrl;
    private volatile Snapshot snapshot;

    public SmartschoolDirectory(VendorHttp http, Clock clock, BridgeProperties props,
                                @Value("${bridge.smartschool.base-url}") String baseUrl) {
        this.http = http;
        this.clock = clock;
        this.props = props;
        this.baseUrl = baseUrl;
    }

    /** Smartschool's internal number of a pupil, or null when Smartschool does not know them. */
    public String internalNumber(String institutionNumber, String registrationNumber) throws IOException {
        String key = institutionNumber + "|" + registrationNumber;
        Snapshot s = snapshot;
        if (s == null || s.loadedAt().plus(props.getDirectoryRefresh()).isBefore(clock.instant())) {
            s = reload();
        }
        String internal = s.internalByKey().get(key);
        if (internal == null && s.loadedAt().plusSeconds(MIN_RELOAD_SECONDS_ON_MISS).isBefore(clock.instant())) {
            internal = reload().internalByKey().get(key);
        }
        return internal;
    }

    private synchronized Snapshot reload() throws IOException {
        Map<String, String> map = new HashMap<>();
        for (JsonNode p : http.getJson(baseUrl + "/api/v1/pupils", Map.of())) {
            map.put(p.path("institutionNumber").asText() + "|" + p.path("registrationNumber").asText(),
                    p.path("internalNumber").asText());
        }
        Snapshot s = new Snapshot(map, clock.instant());
        snapshot = s;
        LOG.info("Smartschool directory loaded: {} pupils", map.size());
        return s;
    }
}
