package be.absencebridge.exchange.receive;

import be.absencebridge.support.BridgeTest;

import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A corpus of hostile input, each with a clear outcome and nothing else lost: signed webhooks that are malformed,
 * of the wrong types, out of the school year, from the future, about unknown pupils or codes, huge, deeply nested
 * or not UTF-8 (each refused with 400/413 and a problem body, or accepted and parked with its reason); and vendors
 * that answer HTML error pages, cut-off JSON and XML, SOAP faults and empty bodies to a share of the bridge's calls
 * (retried until a real answer comes). Every route stays started and ordinary codes keep flowing both ways.
 */
class BadInputTest extends BridgeTest {


    private static String smartschoolEvent(Map<String, Object> overrides) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", "hostile-" + System.nanoTime());
        e.put("internalNumber", "1");
        e.put("institutionNumber", "123456");
        e.put("registrationNumber", "1");
        e.put("date", "2026-10-08");
        e.put("part", "am");
        e.put("code", "Z");
        e.put("alias", null);
        e.put("motivation", null);
        e.put("registeredAt", "2026-10-08T09:00:00+02:00");
        e.put("registeredBy", "leerkracht");
        e.putAll(overrides);
        return Http.write(e);
    }

    private static Map<String, Object> with(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void hostileWebhooksGetAClearAnswerAndLoseNothingElse() {
        JsonNode pupil = student("lager", true);
        String internal = internalNumberOf(pupil);
        Map<String, Object> known = with("internalNumber", internal, "institutionNumber", pupil.path("instituteNo").asText(),
                "registrationNumber", pupil.path("studentNo").asText());
        Map<String, byte[]> refused = new LinkedHashMap<>();
        refused.put("truncated JSON", "{\"eventId\":\"x\",\"internalNumber\":".getBytes(StandardCharsets.UTF_8));
        refused.put("an HTML page", "<html><body><h1>502 Bad Gateway</h1></body></html>".getBytes(StandardCharsets.UTF_8));
        refused.put("XML", "<?xml version=\"1.0\"?><event><code>Z</code></event>".getBytes(StandardCharsets.UTF_8));
        refused.put("a JSON string", "\"Z\"".getBytes(StandardCharsets.UTF_8));
        refused.put("JSON null", "null".getBytes(StandardCharsets.UTF_8));
        refused.put("a number", "42".getBytes(StandardCharsets.UTF_8));
        refused.put("date as a number", smartschoolEvent(with("date", 20261008)).getBytes(StandardCharsets.UTF_8));
        refused.put("part as a list", smartschoolEvent(with("part", List.of("am"))).getBytes(StandardCharsets.UTF_8));
        refused.put("registeredAt as an object", smartschoolEvent(with("registeredAt", Map.of("t", 1))).getBytes(StandardCharsets.UTF_8));
        refused.put("an impossible date", smartschoolEvent(with("date", "2026-02-30")).getBytes(StandardCharsets.UTF_8));
        refused.put("a date before the school year", smartschoolEvent(merge(known, with("date", "2025-06-02", "registeredAt", "2025-06-02T09:00:00+02:00"))).getBytes(StandardCharsets.UTF_8));
        refused.put("a date after today", smartschoolEvent(merge(known, with("date", "2027-03-01", "registeredAt", "2026-11-27T09:00:00+01:00"))).getBytes(StandardCharsets.UTF_8));
        refused.put("a registration from the future", smartschoolEvent(merge(known, with("registeredAt", "2027-01-01T09:00:00+01:00"))).getBytes(StandardCharsets.UTF_8));
        refused.put("an unknown code", smartschoolEvent(merge(known, with("code", "QQ"))).getBytes(StandardCharsets.UTF_8));
        refused.put("a code that is too long", smartschoolEvent(merge(known, with("code", "Z".repeat(500)))).getBytes(StandardCharsets.UTF_8));
        refused.put("not UTF-8", new byte[] {'{', '"', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        // valid JSON, but PostgreSQL's jsonb cannot store it (it was answered 503, as if the bridge were at fault)
        refused.put("a NUL character in the motivation", smartschoolEvent(merge(known, with("motivation", "a\u0000b"))).getBytes(StandardCharsets.UTF_8));
        refused.put("nested 5000 deep", ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8));
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> c : refused.entrySet()) {
            Http.Response r = http.post("/api/inbound/smartschool/school1", "application/json", c.getValue(),
                    smartschoolPush().of(c.getValue()));
            outcomes.put(c.getKey(), r.status() + " " + r.json().path("detail").asText());
            assertThat(r.status()).as(c.getKey() + ": " + r.text()).isIn(400, 422);
            assertThat(r.header("Content-Type")).as(c.getKey()).startsWith("application/problem+json");
            assertThat(r.json().path("detail").asText()).as(c.getKey()).isNotBlank();
        }
        byte[] huge = smartschoolEvent(merge(known, with("motivation", "x".repeat(2_000_000)))).getBytes(StandardCharsets.UTF_8);
        assertThat(http.post("/api/inbound/smartschool/school1", "application/json", huge, smartschoolPush().of(huge)).status()).isEqualTo(413);
        byte[] informatHtml = "<html>oops</html>".getBytes(StandardCharsets.UTF_8);
        Http.Response html = http.post("/api/inbound/informat", "application/json", informatHtml, informatPush().of(informatHtml));
        assertThat(html.status()).isEqualTo(400);
        // a push goes from the body limit straight to Camel's servlet: none of Spring's per-request filters (the security
        // chain's header writer among them) sees it, while every other path still has them
        assertThat(html.header("X-Content-Type-Options")).as("a push past Spring's filters").isNull();
        assertThat(http.get("/api/admin/dead-letters").header("X-Content-Type-Options")).isEqualTo("nosniff");

        // well-formed events about nobody the bridge knows: accepted, then waiting for the pupil with their reason (a
        // pupil one package does not know yet is normal; only a long wait makes it a dead letter, PupilsChangeTest)
        String unknown = smartschoolEvent(with("internalNumber", "999999", "institutionNumber", "999999", "registrationNumber", "999999"));
        Http.Response accepted = http.post("/api/inbound/smartschool/school1", "application/json", unknown,
                smartschoolPush().of(unknown));
        assertThat(accepted.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/api/admin/audit?institutionNumber=999999&registrationNumber=999999",
                "Authorization", adminAuth()).text().contains("WAITING_FOR_PUPIL"));
        JsonNode waiting = http.get("/api/admin/waiting", "Authorization", adminAuth()).json();
        assertThat(waiting.path("records").asInt()).isPositive();
        assertThat(waiting.path("groups").toString()).contains("pupil not found in Informat");
        outcomes.forEach((k, v) -> System.out.printf("hostile webhook, %s: %s%n", k, v));

        // nothing else is lost: an ordinary registration still flows, every route is still started
        smartschoolRegister(internal, "2026-10-08", "am", "Z", null, null);
        await().atMost(Duration.ofSeconds(20)).until(() -> informatCell(pupil.path("personId").asText(), "2026-10-08", "VM") != null);
        assertThat(camel.getRoutes()).allSatisfy(r -> assertThat(camel.getRouteController().getRouteStatus(r.getRouteId()))
                .as(r.getRouteId()).isEqualTo(ServiceStatus.Started));
    }

    @Test
    void vendorsAnsweringBrokenBodiesAreRetriedUntilEverythingArrives() {
        int deadBefore = deadLetters().size();
        List<JsonNode> pupils = new ArrayList<>();
        for (JsonNode s : students()) {
            boolean compulsory = Integer.parseInt(s.path("dateOfBirth").asText().substring(0, 4)) + 5 <= 2026;
            if (compulsory && s.path("startDate").asText().equals("2026-09-01") && s.path("endDate").isNull() && pupils.size() < 24) {
                pupils.add(s);
            }
        }
        Map<JsonNode, String> internal = new HashMap<>();
        pupils.forEach(p -> internal.put(p, internalNumberOf(p)));
        // 40% of the calls to either vendor answer an HTML page, a cut-off body, a SOAP fault or nothing
        http.postJson("/sim/informat/admin/faults", Map.of("garbageRate", 0.4));
        http.postJson("/sim/smartschool/admin/faults", Map.of("garbageRate", 0.4));
        for (int i = 0; i < 12; i++) {
            smartschoolRegister(internal.get(pupils.get(i)), "2026-10-09", "am", "B", null, null);
            informatRegister(pupils.get(12 + i).path("personId").asText(), "2026-10-09", "NM", "P", null);
        }
        // the pollers read through the same broken answers
        for (int i = 0; i < 5; i++) {
            poll("informat");
            poll("smartschool");
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (int i = 0; i < 12; i++) {
                assertThat(informatCell(pupils.get(i).path("personId").asText(), "2026-10-09", "VM")).as("in Informat").isNotNull();
                assertThat(smartschoolCell(internal.get(pupils.get(12 + i)), "2026-10-09", "pm")).as("in Smartschool").isNotNull();
            }
        });
        http.postJson("/sim/informat/admin/faults", Map.of());
        http.postJson("/sim/smartschool/admin/faults", Map.of());
        for (int i = 0; i < 12; i++) {
            assertThat(informatCell(pupils.get(i).path("personId").asText(), "2026-10-09", "VM").path("absenceCode").asText()).isEqualTo("B");
        }
        assertThat(deadLetters().size()).as("a broken answer is retried, never dead-lettered").isEqualTo(deadBefore);
        assertThat(camel.getRoutes()).allSatisfy(r -> assertThat(camel.getRouteController().getRouteStatus(r.getRouteId()))
                .as(r.getRouteId()).isEqualTo(ServiceStatus.Started));
    }

    /**
     * Every body over {@code bridge.inbound.max-body-bytes} is 413 problem details, whether it declares its length or
     * comes chunked (it was a 503 and an ERROR line when the route's read of a chunked body failed), and stores nothing;
     * a chunked body within the limit is taken as any other.
     */
    @Test
    @org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
    void aBodyOverTheLimitIs413WithOrWithoutContentLength(org.springframework.boot.test.system.CapturedOutput output)
            throws Exception {
        JsonNode pupil = student("lager", true, 17);
        String internal = internalNumberOf(pupil);
        Map<String, Object> known = with("internalNumber", internal, "institutionNumber", pupil.path("instituteNo").asText(),
                "registrationNumber", pupil.path("studentNo").asText(), "date", "2026-10-20", "part", "pm",
                "registeredAt", "2026-10-20T13:00:00+02:00");
        String eventId = "chunked-" + System.nanoTime();
        String webhook = smartschoolWebhook(internal);
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        java.util.function.BiFunction<byte[], Boolean, java.net.http.HttpResponse<String>> send = (body, chunked) -> {
            java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(http.base() + webhook))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(chunked
                            // an input stream of unknown length: sent chunked, without Content-Length
                            ? java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))
                            : java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
            String[] headers = smartschoolSigner(internal).of(body);
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            try {
                return client.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        int limit = 65536;
        byte[] huge = smartschoolEvent(merge(known, with("eventId", eventId, "motivation", "x".repeat(256 * 1024))))
                .getBytes(StandardCharsets.UTF_8);
        String event = smartschoolEvent(merge(known, with("eventId", eventId, "motivation", "")));
        // one byte past the limit, and the largest body taken (padding after the JSON object is whitespace)
        byte[] justOver = (event + " ".repeat(limit + 1 - event.length())).getBytes(StandardCharsets.UTF_8);
        for (byte[] body : List.of(huge, justOver)) {
            for (boolean chunked : List.of(true, false)) {
                java.net.http.HttpResponse<String> r = send.apply(body, chunked);
                assertThat(r.statusCode()).as(body.length + " bytes, chunked " + chunked + ": " + r.body()).isEqualTo(413);
                assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
                assertThat(Http.JSON.readTree(r.body()).path("status").asInt()).isEqualTo(413);
            }
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM inbox WHERE payload->>'eventId' = ?", Integer.class, eventId)).isZero();
        byte[] atTheLimit = (event + " ".repeat(limit - event.length())).getBytes(StandardCharsets.UTF_8);
        assertThat(send.apply(atTheLimit, true).statusCode()).as("a chunked body within the limit").isEqualTo(202);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM inbox WHERE payload->>'eventId' = ?", Integer.class, eventId)).isOne();
        assertThat(output.getAll().lines().filter(l -> l.contains("ERROR"))).as("no ERROR line").isEmpty();
    }

    private static Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> m = new HashMap<>(a);
        m.putAll(b);
        return m;
    }
}
