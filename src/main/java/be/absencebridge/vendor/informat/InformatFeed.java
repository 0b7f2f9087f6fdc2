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

    public InformatFeed(VendorHttp http, BridgeProperties props) {
        this.http = http;
        this.baseUrl = props.informat().partnerUrl();
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
