package be.absencebridge.sim.informat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Access tokens of Informat's identity server: client credentials, a scope per institute, an expiry. */
public final class TokenStore {

    public static final String SCOPE_PREFIX = "api_informat_sas_leerlingen.leerlingen.";

    public record Token(String value, String clientId, Set<String> institutes, Instant expiresAt) {
    }

    /** Why a bearer token is not accepted. */
    public enum Rejection { MISSING, UNKNOWN, EXPIRED }

    public record Check(Token token, Rejection rejection) {
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    public TokenStore(Clock clock) {
        this.clock = clock;
    }

    public Token issue(String clientId, Set<String> institutes, long ttlSeconds) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Token t = new Token(value, clientId, Set.copyOf(institutes), clock.instant().plusSeconds(ttlSeconds));
        tokens.put(value, t);
        if (tokens.size() > 10_000) {
            Instant now = clock.instant();
            tokens.values().removeIf(x -> x.expiresAt().isBefore(now));
        }
        return t;
    }

    /** Checks an {@code Authorization} header value. */
    public Check check(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Check(null, Rejection.MISSING);
        }
        Token t = tokens.get(authorization.substring(7).trim());
        if (t == null) {
            return new Check(null, Rejection.UNKNOWN);
        }
        if (!clock.instant().isBefore(t.expiresAt())) {
            return new Check(null, Rejection.EXPIRED);
        }
        return new Check(t, null);
    }

    public void clear() {
        tokens.clear();
    }
}
