package be.absencebridge.sim.informat;

import be.absencebridge.sim.SimValidationException;

/** The bearer tokens of Informat's identity server as its APIs check them: 401 without a valid one, 403 outside its scope. */
public final class InformatAuth {

    private final TokenStore tokens;

    public InformatAuth(TokenStore tokens) {
        this.tokens = tokens;
    }

    /** A valid token whose scope covers the institute of the request's {@code instituteNo} header. */
    public TokenStore.Token forInstitute(String authorization, String instituteNo) {
        TokenStore.Token token = token(authorization);
        if (instituteNo == null || instituteNo.isBlank()) {
            throw new SimValidationException(400, null, "The instituteNo header is required.");
        }
        if (!token.institutes().contains(instituteNo.trim())) {
            throw new SimValidationException(403, null, "The token's scope does not cover institute " + instituteNo.trim() + ".");
        }
        return token;
    }

    /** The token when one is given (then it must be valid), null without an {@code Authorization} header. */
    public TokenStore.Token optional(String authorization) {
        return authorization == null ? null : token(authorization);
    }

    /** A valid token. */
    public TokenStore.Token token(String authorization) {
        TokenStore.Check check = tokens.check(authorization);
        if (check.rejection() != null) {
            throw new UnauthorizedException(switch (check.rejection()) {
                case MISSING -> "a bearer token is required";
                case UNKNOWN -> "the token is not valid";
                case EXPIRED -> "the token has expired";
            });
        }
        return check.token();
    }

    /** Answered 401 with {@code WWW-Authenticate: Bearer}. */
    public static final class UnauthorizedException extends RuntimeException {
        public UnauthorizedException(String message) {
            super(message);
        }
    }
}
