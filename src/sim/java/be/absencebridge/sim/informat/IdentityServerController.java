package be.absencebridge.sim.informat;

import be.absencebridge.sim.SimProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Informat's identity server ({@code https://www.identityserver.be}, another host than the APIs): OAuth2 client
 * credentials, form-encoded, one or more space-separated scopes {@code api_informat_sas_leerlingen.leerlingen.<institute>}.
 */
@RestController
@RequestMapping("/sim/identityserver")
@ConditionalOnProperty(name = "bridge.sim.enabled", havingValue = "true", matchIfMissing = true)
public class IdentityServerController {

    private final InformatSimulator sim;
    private final TokenStore tokens;
    private final SimProperties props;
    private final String clientId;
    private final byte[] clientSecret;

    public IdentityServerController(InformatSimulator sim, TokenStore tokens, SimProperties props,
                                    @Value("${bridge.informat.client-id}") String clientId,
                                    @Value("${bridge.informat.client-secret}") String clientSecret) {
        this.sim = sim;
        this.tokens = tokens;
        this.props = props;
        this.clientId = clientId;
        this.clientSecret = clientSecret.getBytes(StandardCharsets.UTF_8);
    }

    @PostMapping(path = "/connect/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    public ResponseEntity<Map<String, Object>> token(@RequestParam MultiValueMap<String, String> form) {
        if (!"client_credentials".equals(form.getFirst("grant_type"))) {
            return oauthError("unsupported_grant_type");
        }
        String id = form.getFirst("client_id");
        String secret = form.getFirst("client_secret");
        if (id == null || secret == null || !id.equals(clientId)
                || !MessageDigest.isEqual(clientSecret, secret.getBytes(StandardCharsets.UTF_8))) {
            return oauthError("invalid_client");
        }
        String scope = form.getFirst("scope");
        Set<String> institutes = new LinkedHashSet<>();
        if (scope == null || scope.isBlank()) {
            // A production client asks without scope (ictolvpbe/MySchool_addons myschool_core/models/informat_service.py,
            // CONTRACTS.md: accept it); the token covers every institute of the client registration, here every institute
            // of the population, and the answer names them as scopes, as an IdentityServer grants a client's allowed
            // scopes when none is asked (model: Informat's registration of a client is not published). In every
            // reading: InformatVariants.tokenWithoutScope changes nothing.
            for (String inst : sim.population().institutions()) {
                institutes.add(inst);
            }
            scope = institutes.stream().map(i -> TokenStore.SCOPE_PREFIX + i).collect(java.util.stream.Collectors.joining(" "));
        }
        for (String s : scope.trim().split("\\s+")) {
            String inst = s.startsWith(TokenStore.SCOPE_PREFIX) ? s.substring(TokenStore.SCOPE_PREFIX.length()) : null;
            if (inst == null || !sim.population().institutions().contains(inst)) {
                return oauthError("invalid_scope");
            }
            institutes.add(inst);
        }
        TokenStore.Token t = tokens.issue(id, institutes, props.getTokenTtlSeconds());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", t.value());
        body.put("token_type", "Bearer");
        body.put("expires_in", props.getTokenTtlSeconds());
        body.put("scope", scope.trim());
        return ResponseEntity.ok().header("Cache-Control", "no-store").body(body);
    }

    private static ResponseEntity<Map<String, Object>> oauthError(String error) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(Map.of("error", error));
    }
}
