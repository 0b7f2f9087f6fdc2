package be.absencebridge.exchange.receive;

import be.absencebridge.support.BridgeTest;
import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The partner push's signed timestamp (CONTRACTS.md "Push"): a push is taken only with {@code X-Signature} over
 * {@code "<timestamp>.<body>"} and a timestamp within {@code bridge.inbound.signature-tolerance} (5 minutes) of the
 * bridge's clock; anything else is 401 with problem details, and nothing is stored.
 */
class PushSignatureTest extends BridgeTest {


    /** A registration of the pupil on 16 October, the given half-day (each test its own: the inbox names events by content). */
    private byte[] event(JsonNode pupil, String eventId, String part) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", eventId);
        e.put("username", "push-signature");
        e.put("internalNumber", internalNumberOf(pupil));
        e.put("institutionNumber", pupil.path("instituteNo").asText());
        e.put("registrationNumber", pupil.path("studentNo").asText());
        e.put("date", "2026-10-16");
        e.put("part", part);
        e.put("code", "Z");
        e.put("alias", null);
        e.put("motivation", null);
        e.put("registeredAt", "2026-10-16T13:30:00+02:00");
        e.put("registeredBy", "leerkracht");
        return Http.write(e).getBytes(StandardCharsets.UTF_8);
    }

    private int stored(String eventId) {
        return jdbc.queryForObject("SELECT count(*) FROM inbox WHERE payload->>'eventId' = ?", Integer.class, eventId);
    }

    private void refused(Http.Response r, String detail) {
        assertThat(r.status()).as(r.text()).isEqualTo(401);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().path("status").asInt()).isEqualTo(401);
        assertThat(r.json().path("detail").asText()).contains(detail);
    }

    @Test
    void aSignedPushIsTakenAndTheSameHeadersAreRefusedOnceItsTimestampIsOld() {
        JsonNode pupil = pupil();
        String eventId = "push-signature-replay-" + System.nanoTime();
        byte[] body = event(pupil, eventId, "pm");
        String[] headers = push.of(body);
        assertThat(http.post(webhook, "application/json", body, headers).status()).isEqualTo(202);
        assertThat(stored(eventId)).isEqualTo(1);

        // the captured push sent again after the tolerance: refused, whatever the inbox remembers of it
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        refused(http.post(webhook, "application/json", body, headers), "more than 300 s");
        jdbc.update("DELETE FROM inbox WHERE payload->>'eventId' = ?", eventId);
        refused(http.post(webhook, "application/json", body, headers), "more than 300 s");
        assertThat(stored(eventId)).as("a replay stores nothing, even once its first copy is gone").isZero();
    }

    @Test
    void aTimestampTooFarAheadOrBehindIsRefusedAndStoresNothing() {
        JsonNode pupil = pupil();
        String eventId = "push-signature-window-" + System.nanoTime();
        byte[] body = event(pupil, eventId, "am");
        Instant now = clock.instant();
        refused(http.post(webhook, "application/json", body, push.at(now.plusSeconds(301), body)), "more than 300 s");
        refused(http.post(webhook, "application/json", body, push.at(now.minusSeconds(301), body)), "more than 300 s");
        assertThat(stored(eventId)).isZero();
        // within the tolerance either way: taken (a vendor's clock drifts a little)
        assertThat(http.post(webhook, "application/json", body, push.at(now.plusSeconds(290), body)).status())
                .isEqualTo(202);
        assertThat(stored(eventId)).isEqualTo(1);
    }

    @Test
    void theOldBodyOnlySignatureAndMissingOrMalformedTimestampsAreRefused() throws Exception {
        JsonNode pupil = pupil();
        String eventId = "push-signature-scheme-" + System.nanoTime();
        byte[] body = event(pupil, eventId, "am");
        String now = Long.toString(clock.instant().getEpochSecond());
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String bodyOnly = "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));

        refused(http.post(webhook, "application/json", body, "X-Signature", bodyOnly), "X-Signature-Timestamp header is missing");
        refused(http.post(webhook, "application/json", body, "X-Signature-Timestamp", now, "X-Signature", bodyOnly),
                "does not match");
        String[] good = push.of(body);
        for (String malformed : new String[] {now + ".0", "-" + now, "abc", now + "000000", "0x" + now}) {
            refused(http.post(webhook, "application/json", body, "X-Signature-Timestamp", malformed, good[2], good[3]),
                    "not Unix seconds");
        }
        // signed for one moment, sent with another
        refused(http.post(webhook, "application/json", body, "X-Signature-Timestamp", Long.toString(Long.parseLong(now) - 1),
                good[2], good[3]), "does not match");
        assertThat(stored(eventId)).isZero();
    }

    /** A secondary pupil no other test uses; pushes for it go to its platform's webhook, signed with that platform's secret. */
    private JsonNode pupil() {
        JsonNode s = student("secundair", true, 38);
        webhook = smartschoolWebhook(internalNumberOf(s));
        push = smartschoolSigner(internalNumberOf(s));
        secret = "school2".equals(platformOf(internalNumberOf(s))) ? "sim-school2-webhook-secret" : "sim-smartschool-webhook-secret";
        return s;
    }

    private String webhook;
    private be.absencebridge.support.PushHeaders push;
    private String secret;
}
