package be.absencebridge.vendor.smartschool;

import be.absencebridge.vendor.VendorCopy;
import be.absencebridge.vendor.VendorHttp;

import be.absencebridge.config.BridgeProperties;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private record Snapshot(Map<String, String> internalByKey, Map<String, String[]> keyByInternal, Instant loadedAt) {
    }

    private final VendorHttp http;
    private final Clock clock;
    private final BridgeProperties props;
    private final String baseUrl;
    private volatile Snapshot snapshot;

    public SmartschoolDirectory(VendorHttp http, Clock clock, BridgeProperties props) {
        this.http = http;
        this.clock = clock;
        this.props = props;
        this.baseUrl = props.smartschool().baseUrl();
    }

    /** Smartschool's internal number of a pupil, or null when Smartschool does not know them. */
    public String internalNumber(String institutionNumber, String registrationNumber) throws IOException {
        String key = institutionNumber + "|" + registrationNumber;
        Snapshot s = snapshot;
        if (s == null || VendorCopy.stale(s.loadedAt(), props.directoryRefresh(), clock.instant())) {
            s = reload();
        }
        String internal = s.internalByKey().get(key);
        if (internal == null && s.loadedAt().plusSeconds(MIN_RELOAD_SECONDS_ON_MISS).isBefore(clock.instant())) {
            internal = reload().internalByKey().get(key);
        }
        return internal;
    }

    /** Institution and registration number of a Smartschool pupil, or null when unknown. */
    public String[] identity(String internalNumber) throws IOException {
        Snapshot s = snapshot;
        if (s == null || VendorCopy.stale(s.loadedAt(), props.directoryRefresh(), clock.instant())) {
            s = reload();
        }
        String[] id = s.keyByInternal().get(internalNumber);
        if (id == null && s.loadedAt().plusSeconds(MIN_RELOAD_SECONDS_ON_MISS).isBefore(clock.instant())) {
            id = reload().keyByInternal().get(internalNumber);
        }
        return id;
    }

    private Snapshot reload() throws IOException {
        return VendorCopy.readOrLast(this::read, snapshot, LOG);
    }

    private synchronized Snapshot read() throws IOException {
        Map<String, String> map = new HashMap<>();
        Map<String, String[]> reverse = new HashMap<>();
        for (JsonNode p : http.getArray(baseUrl + "/api/v1/pupils")) {
            String inst = p.path("institutionNumber").asText();
            String reg = p.path("registrationNumber").asText();
            map.put(inst + "|" + reg, p.path("internalNumber").asText());
            reverse.put(p.path("internalNumber").asText(), new String[] {inst, reg});
        }
        Snapshot s = new Snapshot(map, reverse, clock.instant());
        snapshot = s;
        LOG.info("Smartschool directory loaded: {} pupils", map.size());
        return s;
    }
}
