package be.absencebridge.vendor.informat;

import be.absencebridge.config.BridgeProperties;

import be.absencebridge.vendor.VendorHttp;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** OAuth2 client credentials against Informat's identity server: one token per institute, renewed before expiry. */
@Component("informatTokens")
public class InformatTokens {

    private static final long RENEW_BEFORE_SECONDS = 30;
    /** The vendors' error counter ({@code bridge_vendor_errors_total}); Informat's refused credentials as code {@code invalid_client}. */
    public static final String CREDENTIAL_ERRORS = "bridge.vendor.errors";
    public static final String INVALID_CLIENT = "invalid_client";

    private record Cached(String value, Instant renewAt) {
    }

    private final VendorHttp http;
    private final Clock clock;
    private final String baseUrl;
    private final String clientId;
    private final String clientSecret;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private final io.micrometer.core.instrument.MeterRegistry meters;

    public InformatTokens(VendorHttp http, Clock clock, BridgeProperties props, io.micrometer.core.instrument.MeterRegistry meters) {
        this.meters = meters;
        // present from the start, so that a rule's increase() sees the first refusal
        meters.counter(CREDENTIAL_ERRORS, "vendor", "informat", "platform", "", "code", INVALID_CLIENT, "kind", "credential");
        this.http = http;
        this.clock = clock;
        this.baseUrl = props.informat().identityUrl();
        this.clientId = props.informat().clientId();
        this.clientSecret = props.informat().clientSecret();
    }

    /** The {@code Authorization} header value for calls about one institute. */
    public String authorization(String instituteNo) throws IOException {
        Cached c = cache.get(instituteNo);
        if (c == null || !clock.instant().isBefore(c.renewAt())) {
            c = fetch(instituteNo);
            cache.put(instituteNo, c);
        }
        return "Bearer " + c.value();
    }

    /** Forgets a token the API refused (401), so the next call fetches a new one. */
    public void invalidate(String instituteNo) {
        cache.remove(instituteNo);
    }

    private Cached fetch(String instituteNo) throws IOException {
        String form = "grant_type=client_credentials"
                + "&client_id=" + enc(clientId)
                + "&client_secret=" + enc(clientSecret)
                + "&scope=" + enc("api_informat_sas_leerlingen.leerlingen." + instituteNo);
        JsonNode body;
        try {
            body = http.postForm(baseUrl + "/connect/token", form);
        } catch (VendorHttp.VendorException e) {
            if (e.status() == 400 || e.status() == 401) {
                // OAuth2's answer to client credentials it does not accept (invalid_client): a person must act
                meters.counter(CREDENTIAL_ERRORS, "vendor", "informat", "platform", "", "code", INVALID_CLIENT, "kind", "credential").increment();
                org.slf4j.LoggerFactory.getLogger(InformatTokens.class).error("Informat's identity server refused the link's "
                        + "client credentials (HTTP {}): check bridge.informat.client-id and bridge.informat.client-secret", e.status());
            }
            throw e;
        }
        long ttl = body.path("expires_in").asLong(60);
        return new Cached(body.path("access_token").asText(), clock.instant().plusSeconds(Math.max(1, ttl - Math.min(RENEW_BEFORE_SECONDS, ttl / 2))));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
