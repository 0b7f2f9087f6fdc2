package be.absencebridge.sim.support;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;

/**
 * Signs what a simulated vendor pushes to the bridge (CONTRACTS.md "Push"): the Unix seconds of the sending in
 * {@code X-Signature-Timestamp}, and HMAC-SHA256 of {@code "<timestamp>.<body>"} with the link's webhook secret, written
 * {@code sha256=<lower-case hex>} in {@code X-Signature} ({@link #signTimestamped}). {@link #signBody} is the bare HMAC
 * of some bytes (the older body-only scheme, which the bridge refuses). Model choice: the partner push is the product's
 * own model, no vendor publishes it.
 */
public final class PushSigner {

    public static final String SIGNATURE = "X-Signature";
    public static final String TIMESTAMP = "X-Signature-Timestamp";

    private final byte[] secret;

    public PushSigner(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("the webhook secret is empty");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code sha256=} and the HMAC of the body. */
    public String signBody(byte[] body) {
        return "sha256=" + hex(hmac(body));
    }

    /** {@code sha256=} and the HMAC of {@code "<unixSeconds>.<body>"} (CONTRACTS.md "Push"). */
    public String signTimestamped(long unixSeconds, byte[] body) {
        byte[] prefix = (unixSeconds + ".").getBytes(StandardCharsets.US_ASCII);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return "sha256=" + hex(hmac(signed));
    }

    private byte[] hmac(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("no HMAC-SHA256 in this JVM", e);
        }
    }

    private static String hex(byte[] bytes) {
        char[] digits = "0123456789abcdef".toCharArray();
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(digits[(b >> 4) & 0xf]).append(digits[b & 0xf]);
        }
        return sb.toString();
    }
}
