package be.absencebridge.support;

import be.absencebridge.exchange.receive.WebhookSignature;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;

/**
 * The headers a vendor sends with a push (CONTRACTS.md "Push"): {@code X-Signature-Timestamp} and {@code X-Signature}
 * over the timestamp and the body, with the link's webhook secret; for {@link Http#post}'s header pairs.
 */
public final class PushHeaders {

    private final WebhookSignature signature;
    private final Clock clock;

    /** Signed at the moment {@code clock} says (the bridge's clock in a test, so its tolerance applies). */
    public PushHeaders(String secret, Clock clock) {
        this.signature = new WebhookSignature(secret);
        this.clock = clock;
    }

    /** The signature headers for the body, sent now; then the further header pairs given. */
    public String[] of(byte[] body, String... more) {
        return at(clock.instant(), body, more);
    }

    public String[] of(String body, String... more) {
        return of(body.getBytes(StandardCharsets.UTF_8), more);
    }

    /** The signature headers for the body as sent at {@code sentAt}. */
    public String[] at(Instant sentAt, byte[] body, String... more) {
        long seconds = sentAt.getEpochSecond();
        String[] headers = new String[4 + more.length];
        headers[0] = WebhookSignature.TIMESTAMP_HEADER;
        headers[1] = Long.toString(seconds);
        headers[2] = WebhookSignature.HEADER;
        headers[3] = signature.sign(seconds, body);
        System.arraycopy(more, 0, headers, 4, more.length);
        return headers;
    }
}
