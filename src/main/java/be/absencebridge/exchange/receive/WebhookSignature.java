package be.absencebridge.exchange.receive;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The partner push's signature (CONTRACTS.md "Push"): {@code X-Signature-Timestamp: <Unix seconds>} and
 * {@code X-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">} with the webhook secret. The timestamp is
 * signed with the body, so a captured push cannot be sent again later with a new one: outside the tolerance around the
 * bridge's clock it is refused, whatever the inbox still remembers of it.
 */
public final class WebhookSignature {

    public static final String HEADER = "X-Signature";
    public static final String TIMESTAMP_HEADER = "X-Signature-Timestamp";
    private static final String PREFIX = "sha256=";
    /** Unix seconds as the contract writes them: digits only, no sign, no fraction (at most 12: year 33658). */
    private static final java.util.regex.Pattern SECONDS = java.util.regex.Pattern.compile("\\d{1,12}");

    private final SecretKeySpec key;

    public WebhookSignature(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("webhook secret is not configured");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The {@code X-Signature} value of a push sent at {@code unixSeconds}. */
    public String sign(long unixSeconds, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(mac(Long.toString(unixSeconds), body));
    }

    /**
     * Checks a push's two headers against its body, and its timestamp against {@code now}: refused (with the reason,
     * which names no secret) when the timestamp is missing or not Unix seconds, the signature does not match (compared
     * in constant time), or the timestamp lies more than {@code tolerance} before or after {@code now}.
     */
    public void verify(byte[] body, String timestamp, String signature, Instant now, Duration tolerance) {
        if (timestamp == null || timestamp.isBlank()) {
            throw new InvalidSignatureException("the " + TIMESTAMP_HEADER + " header is missing");
        }
        String seconds = timestamp.trim();
        if (!SECONDS.matcher(seconds).matches()) {
            throw new InvalidSignatureException("the " + TIMESTAMP_HEADER + " header is not Unix seconds");
        }
        byte[] given = given(signature);
        // the header's text as sent is what was signed
        byte[] expected = mac(seconds, body == null ? new byte[0] : body);
        if (given == null || !MessageDigest.isEqual(expected, given)) {
            throw new InvalidSignatureException("the " + HEADER + " header does not match the timestamp and the body");
        }
        long skew = Math.abs(now.getEpochSecond() - Long.parseLong(seconds));
        if (skew > tolerance.toSeconds()) {
            throw new InvalidSignatureException("the " + TIMESTAMP_HEADER + " is more than " + tolerance.toSeconds()
                    + " s from the bridge's clock");
        }
    }

    /** The signature's bytes, or null when the header is not {@code sha256=<hex>}. */
    private static byte[] given(String header) {
        if (header == null || !header.startsWith(PREFIX)) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(header.substring(PREFIX.length()).trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private byte[] mac(String unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(unixSeconds.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '.');
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
