package be.absencebridge.sim;

import be.absencebridge.sim.support.PushSigner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The sending side of a vendor's link: POSTs each stored change once, signed, to the bridge. A push that
 * fails is not retried (the bridge's pollers are the safety net), as CONTRACTS.md says.
 */
public final class Pusher {

    private static final Logger LOG = LoggerFactory.getLogger(Pusher.class);
    private static final int MAX_IN_FLIGHT = 512;

    private final HttpClient http;
    private final Supplier<String> baseUrl;
    private final String path;
    private final PushSigner signer;
    private final Faults faults;
    private final ObjectMapper json;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong next = new AtomicLong();
    /** The simulated vendor's clock: the moment a push is signed and sent. */
    private final java.time.Clock clock;

    public Pusher(HttpClient http, java.time.Clock clock, Supplier<String> baseUrl, String path, String secret, Faults faults,
                  ObjectMapper json) {
        this.http = http;
        this.clock = clock;
        this.baseUrl = baseUrl;
        this.path = path;
        this.signer = new PushSigner(secret);
        this.faults = faults;
        this.json = json;
    }

    public void push(Map<String, Object> event) {
        if (!faults.pushEnabled()) {
            return;
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // signed with the moment it is sent: the bridge refuses a push whose timestamp is minutes off its clock
        long now = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(target() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header(PushSigner.TIMESTAMP, Long.toString(now))
                .header(PushSigner.SIGNATURE, signer.signTimestamped(now, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        // back-pressure instead of an unbounded queue when the bridge is slower than the teachers
        inFlight.acquireUninterruptibly();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            inFlight.release();
            if (error != null || response.statusCode() >= 300) {
                failed.incrementAndGet();
                LOG.debug("push to {} failed: {}", path, error != null ? error.toString() : response.statusCode());
            } else {
                sent.incrementAndGet();
            }
        });
    }

    /**
     * A change the link wrote itself, pushed back only when the simulator is told to echo ({@link Faults#echoEnabled}):
     * the partner contract pushes what people register in the package, not what the link put there.
     */
    public void pushLinkWrite(Map<String, Object> event) {
        if (faults.echoEnabled()) {
            push(event);
        }
    }

    /** The bridge's address; with several (comma-separated, as behind a load balancer) one after the other. */
    private String target() {
        String urls = baseUrl.get();
        if (urls.indexOf(',') < 0) {
            return urls;
        }
        String[] all = urls.split(",");
        return all[(int) Math.floorMod(next.getAndIncrement(), (long) all.length)].trim();
    }

    public long sent() {
        return sent.get();
    }

    public long failed() {
        return failed.get();
    }
}
