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

/**
 * Reads of the vendors' reference data (pupils, locations, tokens) and their SOAP calls, with the configured timeouts,
 * each answer capped in size ({@code bridge.vendor.max-answer-size}) and read whole within a deadline
 * ({@code bridge.vendor.answer-deadline}): a vendor (or whatever answers at its address) cannot fill the heap or hold a
 * thread with a body that never ends.
 */
@Component
public class VendorHttp {

    /** The vendors' error counter ({@code bridge_vendor_errors_total}), as the adapters count their vendors' errors. */
    private static final String VENDOR_ERRORS = "bridge.vendor.errors";

    private final HttpClient http;
    private final ObjectMapper json;
    private final BridgeProperties props;
    private final io.micrometer.core.instrument.MeterRegistry meters;
    private final long maxAnswerBytes;
    private final java.time.Duration answerDeadline;

    public VendorHttp(ObjectMapper json, BridgeProperties props, io.micrometer.core.instrument.MeterRegistry meters) {
        this.json = json;
        this.props = props;
        this.meters = meters;
        BridgeProperties.Vendor limits = props.vendor();
        this.maxAnswerBytes = limits == null || limits.maxAnswerSize() == null ? 32L << 20 : limits.maxAnswerSize().toBytes();
        this.answerDeadline = limits == null || limits.answerDeadline() == null ? java.time.Duration.ofSeconds(60) : limits.answerDeadline();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(props.vendorTimeout())
                .build();
    }

    /**
     * An answer the bridge does not take: larger than {@code bridge.vendor.max-answer-size} ({@code answer-too-large}) or
     * not read whole within {@code bridge.vendor.answer-deadline} ({@code answer-too-slow}). A failed vendor call like
     * any other (an {@link java.io.IOException}: retried as the caller retries vendor faults).
     */
    public static final class AnswerLimitException extends VendorException {
        private final String kind;

        public AnswerLimitException(String kind, String message) {
            super(message, 0);
            this.kind = kind;
        }

        public String kind() {
            return kind;
        }
    }

    /** A vendor call that did not answer 2xx. */
    public static class VendorException extends IOException {
        /** How much of an error answer's body is kept: enough for a vendor's error codes and messages. */
        private static final int KEPT = 16 * 1024;

        private final int status;
        private final byte[] body;

        public VendorException(String message, int status) {
            this(message, status, null);
        }

        /** With the answer's body (its first 16 KB), for the adapter that reads the vendor's own error from it. */
        public VendorException(String message, int status, byte[] body) {
            super(message);
            this.status = status;
            this.body = body == null ? null : java.util.Arrays.copyOf(body, Math.min(body.length, KEPT));
        }

        public int status() {
            return status;
        }

        /** The start of the error answer's body; empty when none came or none was kept. */
        public byte[] body() {
            return body == null ? new byte[0] : body.clone();
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

    /**
     * One call, its answer read whole: at most {@code maxAnswerBytes} (a declared larger length is refused before a
     * byte of the body is read), within {@code answerDeadline} of the call (the call is cancelled then, the thread
     * freed).
     */
    private HttpResponse<byte[]> exchange(HttpRequest request) throws IOException {
        long deadline = System.nanoTime() + answerDeadline.toNanos();
        java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> call =
                http.sendAsync(request, info -> new CappedBody(info, maxAnswerBytes, deadline));
        try {
            HttpResponse<byte[]> response = call.get(answerDeadline.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            answered(request);
            return response;
        } catch (java.util.concurrent.TimeoutException e) {
            call.cancel(true);
            throw refused(request, new AnswerLimitException("answer-too-slow", request.method() + " " + request.uri().getPath()
                    + " answered nothing whole within " + answerDeadline.toSeconds() + " s (bridge.vendor.answer-deadline)"));
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof AnswerLimitException limit) {
                throw refused(request, new AnswerLimitException(limit.kind(), request.method() + " " + request.uri().getPath()
                        + " " + limit.getMessage()));
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Vendors (and Smartschool platforms) whose answer was refused for its size or time, said once until one is taken again. */
    private final java.util.Set<String> answerReported = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Counts a refused answer in the vendor's error metric and says it once (until the vendor's answers are taken again). */
    private AnswerLimitException refused(HttpRequest request, AnswerLimitException e) {
        String[] vendor = vendorOf(request.uri().toString());
        meters.counter(VENDOR_ERRORS, "vendor", vendor[0], "platform", vendor[1], "code", e.kind(), "kind", e.kind()).increment();
        if (answerReported.add(vendor[0] + "|" + vendor[1])) {
            LOG.warn("{}{}: {}; the call failed and is tried again as any failed vendor call", vendor[0],
                    vendor[1].isEmpty() ? "" : " platform " + vendor[1], e.getMessage());
        }
        return e;
    }

    private void answered(HttpRequest request) {
        if (!answerReported.isEmpty()) {
            String[] vendor = vendorOf(request.uri().toString());
            if (answerReported.remove(vendor[0] + "|" + vendor[1])) {
                LOG.info("{}{}: answers are taken again", vendor[0], vendor[1].isEmpty() ? "" : " platform " + vendor[1]);
            }
        }
    }

    /** The vendor and the Smartschool platform ("" for Informat) an address belongs to, for the metric's tags. */
    private String[] vendorOf(String url) {
        if (props.smartschool() != null) {
            for (BridgeProperties.Platform p : props.smartschool().platformList()) {
                if (url.startsWith(p.baseUrl())) {
                    return new String[] {"smartschool", p.name()};
                }
            }
        }
        return new String[] {"informat", ""};
    }

    /**
     * An answer's body, kept only up to the cap and the deadline: a body that declares a larger length, grows past the
     * cap or is still coming at the deadline fails the call and stops being read.
     */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final long max;
        private final long deadline;
        private final long declared;
        private final java.util.concurrent.CompletableFuture<byte[]> body = new java.util.concurrent.CompletableFuture<>();
        private final java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
        private java.util.concurrent.Flow.Subscription subscription;

        CappedBody(HttpResponse.ResponseInfo info, long max, long deadline) {
            this.max = max;
            this.deadline = deadline;
            this.declared = info.headers().firstValueAsLong("Content-Length").orElse(-1L);
        }

        @Override
        public java.util.concurrent.CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
            subscription = s;
            if (declared > max) {
                fail("answer-too-large", "declared a body of " + declared + " bytes, over the "
                        + max + " of bridge.vendor.max-answer-size");
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(java.util.List<java.nio.ByteBuffer> items) {
            if (body.isDone()) {
                return;
            }
            for (java.nio.ByteBuffer b : items) {
                if (received.size() + (long) b.remaining() > max) {
                    fail("answer-too-large", "answered more than the " + max + " bytes of bridge.vendor.max-answer-size");
                    return;
                }
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                received.write(bytes, 0, bytes.length);
            }
            if (System.nanoTime() - deadline > 0) {
                fail("answer-too-slow", "was still answering at bridge.vendor.answer-deadline");
            }
        }

        private void fail(String kind, String message) {
            subscription.cancel();
            received.reset();
            body.completeExceptionally(new AnswerLimitException(kind, message));
        }

        @Override
        public void onError(Throwable t) {
            body.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            body.complete(received.toByteArray());
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
                    response.statusCode(), response.body());
        }
        JsonNode body = response.body() == null || response.body().length == 0 ? null : json.readTree(response.body());
        if (body == null || body.isMissingNode()) {
            throw new VendorException(request.method() + " " + URI.create(url).getPath() + " answered an empty body", response.statusCode());
        }
        return body;
    }
}
