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

    private record Cached(String value, Instant renewAt) {
    }

    private final VendorHttp http;
    private final Clock clock;
    private final String baseUrl;
    private final String clientId;
    private final String clientSecret;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public InformatTokens(VendorHttp http, Clock clock, BridgeProperties props) {
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
        JsonNode body = http.postForm(baseUrl + "/connect/token", form);
        long ttl = body.path("expires_in").asLong(60);
        return new Cached(body.path("access_token").asText(), clock.instant().plusSeconds(Math.max(1, ttl - Math.min(RENEW_BEFORE_SECONDS, ttl / 2))));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
