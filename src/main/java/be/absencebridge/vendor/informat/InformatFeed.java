package be.absencebridge.vendor.informat;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.vendor.VendorHttp;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Informat's change feed of absences (partner interface), one page at a time from an opaque cursor. */
@Component
public class InformatFeed {

    /** A page: its items in commit order, and the cursor after them (null when the feed gave none). */
    public record Page(JsonNode items, String next) {
    }

    private final VendorHttp http;
    private final String baseUrl;
    private final InformatTokens tokens;

    public InformatFeed(VendorHttp http, BridgeProperties props, InformatTokens tokens) {
        this.http = http;
        this.baseUrl = props.informat().partnerUrl();
        this.tokens = tokens;
    }

    /**
     * Informat's register of one day at one branch as it stands ({@code absences?date=&locationIdDiscimus=}): every
     * absence held, silent corrections (a restore, a data fix) included, in the change feed's item shape without
     * {@code deleted}. The feed is the history; this is the state, which a reconciliation compares.
     */
    public JsonNode register(java.time.LocalDate date, int locationIdDiscimus, String instituteNo) throws IOException {
        String url = baseUrl + "/absences?date=" + date + "&locationIdDiscimus=" + locationIdDiscimus;
        JsonNode answer;
        try {
            answer = http.getJson(url, java.util.Map.of("Authorization", tokens.authorization(instituteNo), "instituteNo", instituteNo));
        } catch (VendorHttp.VendorException e) {
            if (e.status() != 401) {
                throw e;
            }
            // a token the identity server no longer honours: once more with a new one
            tokens.invalidate(instituteNo);
            answer = http.getJson(url, java.util.Map.of("Authorization", tokens.authorization(instituteNo), "instituteNo", instituteNo));
        }
        if (answer == null || !answer.isArray()) {
            throw new IOException("Informat's register read of " + date + " at branch " + locationIdDiscimus + " answered no list");
        }
        return answer;
    }

    /** Whether there is a feed to read: the change feed is a partner endpoint (the public interfaces publish none). */
    public boolean available() {
        return baseUrl != null && !baseUrl.isBlank();
    }

    /** The changes after {@code cursor} (null: from the start); a cursor the feed refuses answers 400. */
    public Page page(String cursor, int limit) throws IOException {
        JsonNode body = http.getObject(baseUrl + "/absences/changes?limit=" + limit
                + (cursor == null ? "" : "&since=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
        return new Page(body.path("items"), body.path("next").asText(null));
    }
}
