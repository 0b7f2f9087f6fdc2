package be.absencebridge.vendor;

import be.absencebridge.config.BridgeProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** Reads of the vendors' reference data (pupils, locations, tokens), with the configured timeouts. */
@Component
public class VendorHttp {

    private final HttpClient http;
    private final ObjectMapper json;
    private final BridgeProperties props;

    public VendorHttp(ObjectMapper json, BridgeProperties props) {
        this.json = json;
        this.props = props;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(props.vendorTimeout())
                .build();
    }

    /** A vendor call that did not answer 2xx. */
    public static final class VendorException extends IOException {
        private final int status;

        public VendorException(String message, int status) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public JsonNode getJson(String url, Map<String, String> headers) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(props.vendorTimeout()).GET()
                .header("Accept", "application/json");
        headers.forEach(b::header);
        return send(b.build(), url);
    }

    /** A body as it comes (a WSDL); a status other than 2xx is a failed call. */
    public byte[] getBytes(String url) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(props.vendorTimeout()).GET().build();
        HttpResponse<byte[]> response = exchange(request);
        if (response.statusCode() / 100 != 2) {
            throw new VendorException("GET " + URI.create(url).getPath() + " answered " + response.statusCode(), response.statusCode());
        }
        return response.body();
    }

    /** A JSON array (a list of pupils, locations, calendar slots); anything else is a failed call, never an empty list. */
    public JsonNode getArray(String url) throws IOException {
        JsonNode n = getJson(url, Map.of());
        if (!n.isArray()) {
            throw new VendorException("GET " + URI.create(url).getPath() + " answered no JSON array", 200);
        }
        return n;
    }

    /** A JSON object (settings, a page of the change feed); anything else is a failed call. */
    public JsonNode getObject(String url) throws IOException {
        return getObject(url, Map.of());
    }

    /** A JSON object, with request headers (a bearer token). */
    public JsonNode getObject(String url, Map<String, String> headers) throws IOException {
        JsonNode n = getJson(url, headers);
        if (!n.isObject()) {
            throw new VendorException("GET " + URI.create(url).getPath() + " answered no JSON object", 200);
        }
        return n;
    }

    public JsonNode postForm(String url, String form) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(props.vendorTimeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return send(request, url);
    }

    /** A SOAP call: the raw response, whatever its status (a fault comes with 4xx or 500). */
    public byte[] postXml(String url, String xml, String soapAction) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(props.vendorTimeout())
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "\"" + soapAction + "\"")
                .POST(HttpRequest.BodyPublishers.ofString(xml)).build();
        HttpResponse<byte[]> response = exchange(request);
        if (response.statusCode() == 429 || response.statusCode() == 503 || response.statusCode() == 502) {
            throw new VendorException("SOAP call answered " + response.statusCode(), response.statusCode());
        }
        return response.body();
    }

    private HttpResponse<byte[]> exchange(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * The addresses a health watches ({@link #watch}), each with since when every JSON read under it has failed
     * (System.nanoTime) and the last failure; no entry: the last read under it worked. A vendor's health is not UP when
     * its reads have all failed for a while (a wrong address answering a web page, a proxy, a refused credential),
     * whatever the cause.
     */
    private final java.util.Set<String> watched = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Map<String, Long> failingSince = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, String> lastFailure = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<String> reported = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(VendorHttp.class);

    /** Follows the reads under a base address, for {@link #failing}. */
    public void watch(String base) {
        watched.add(base);
    }

    /** Why the reads under a watched base address are not usable (all failed for longer than bridge.vendor-failing-after), or null. */
    public String failing(String host) {
        Long since = failingSince.get(host);
        if (since == null || System.nanoTime() - since <= props.vendorFailingAfter().toNanos()) {
            return null;
        }
        return "every read has failed for " + java.time.Duration.ofNanos(System.nanoTime() - since).toSeconds() + " s: "
                + lastFailure.get(host);
    }

    private JsonNode send(HttpRequest request, String url) throws IOException {
        try {
            JsonNode body = sendOnce(request, url);
            for (String base : watched) {
                if (url.startsWith(base) && failingSince.remove(base) != null && reported.remove(base)) {
                    LOG.info("{} answers again", base);
                }
            }
            return body;
        } catch (IOException e) {
            long now = System.nanoTime();
            for (String base : watched) {
                if (!url.startsWith(base)) {
                    continue;
                }
                long since = failingSince.computeIfAbsent(base, k -> now);
                lastFailure.put(base, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                if (now - since > props.vendorFailingAfter().toNanos() && reported.add(base)) {
                    LOG.error("every read of {} has failed for more than {}: {}", base, props.vendorFailingAfter(), lastFailure.get(base));
                }
            }
            throw e;
        }
    }

    private JsonNode sendOnce(HttpRequest request, String url) throws IOException {
        HttpResponse<byte[]> response = exchange(request);
        if (response.statusCode() / 100 != 2) {
            throw new VendorException(request.method() + " " + URI.create(url).getPath() + " answered " + response.statusCode(),
                    response.statusCode());
        }
        JsonNode body = response.body() == null || response.body().length == 0 ? null : json.readTree(response.body());
        if (body == null || body.isMissingNode()) {
            throw new VendorException(request.method() + " " + URI.create(url).getPath() + " answered an empty body", response.statusCode());
        }
        return body;
    }
}
