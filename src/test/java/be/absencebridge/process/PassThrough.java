package be.absencebridge.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.servlet.CamelHttpTransportServlet;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's floor (issue 17), benchmark-only code: the simplest Camel bridge anyone would write on the same
 * parts (Tomcat, Camel's servlet consumer, Camel's HTTP producer, Jackson). A push is read, the bridge's own write
 * coming back is dropped, and the registration is forwarded at once, on the push's thread, to the other simulator's
 * partner write; then the push hears 202. No database, no decision, no retry, no rule, no signature check, no
 * translation (the benchmark's codes are official codes in both packages), pupils matched from one read of the
 * simulators' bookkeeping at start. What it does not do is what absence-bridge's durability and rules cost.
 *
 * <p>{@code java -cp <test classpath> be.absencebridge.process.PassThrough <port> <simulators' base URL>}; it counts
 * at {@code GET /api/inbound/stats}.
 */
public final class PassThrough {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");
    /** The accounts under which the simulators store the link's writes (the sim profile's). */
    private static final String SMARTSCHOOL_ACCOUNT = "koppeling-informat";
    private static final String INFORMAT_CLIENT = "absence-bridge";

    private final String sims;
    private final Map<String, String[]> informatByRegistration = new HashMap<>();
    private final Map<String, String[]> smartschoolByPerson = new HashMap<>();
    private final Map<String, String> platformUrls = new HashMap<>();
    private String token;
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong echoes = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong lastForwardMs = new AtomicLong();

    private PassThrough(String sims) {
        this.sims = sims;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        PassThrough p = new PassThrough(args[1]);
        p.readDirectories();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("pass-through").toString());
        tomcat.setPort(port);
        tomcat.getConnector();
        Context context = tomcat.addContext("", null);
        Wrapper servlet = Tomcat.addServlet(context, "CamelServlet", new CamelHttpTransportServlet());
        servlet.setLoadOnStartup(1);
        context.addServletMappingDecoded("/api/inbound/*", "CamelServlet");
        CamelContext camel = new DefaultCamelContext();
        camel.addRoutes(p.routes());
        camel.start();
        tomcat.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                tomcat.stop();
            } catch (Exception e) {
                // stopping anyway
            }
            camel.stop();
        }));
        tomcat.getServer().await();
    }

    private RouteBuilder routes() {
        String informat = sims + "/sim/informat/partner/v1/students/";
        return new RouteBuilder() {
            @Override
            public void configure() {
                onException(Exception.class).handled(true).process(e -> failed.incrementAndGet())
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(503)).setBody(constant(""));
                // Smartschool -> Informat, Informat -> Smartschool
                PassThrough.this.forward(from("servlet:/smartschool?matchOnUriPrefix=true&httpMethodRestrict=POST"), e -> smartschoolToInformat(e, informat));
                PassThrough.this.forward(from("servlet:/informat?httpMethodRestrict=POST"), PassThrough.this::informatToSmartschool);
                from("servlet:/stats?httpMethodRestrict=GET")
                        .removeHeaders("*")
                        .process(e -> e.getMessage().setBody(JSON.writeValueAsString(Map.of("forwarded", forwarded.get(),
                                "echoes", echoes.get(), "failed", failed.get(), "lastForwardMs", lastForwardMs.get()))))
                        .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));
            }
        };
    }

    /** A push read into the other simulator's write, sent unless it was the bridge's own write coming back; then 202. */
    private void forward(org.apache.camel.model.RouteDefinition route, org.apache.camel.Processor toWrite) {
        route.process(toWrite)
                .choice().when(org.apache.camel.builder.Builder.exchangeProperty("forward"))
                    .to("http://forwarded?throwExceptionOnFailure=true")
                    .process(e -> counted())
                .end()
                .removeHeaders("*").setHeader(Exchange.HTTP_RESPONSE_CODE, org.apache.camel.builder.Builder.constant(202))
                .setBody(org.apache.camel.builder.Builder.constant(""));
    }

    private void counted() {
        forwarded.incrementAndGet();
        lastForwardMs.accumulateAndGet(System.currentTimeMillis(), Math::max);
    }

    /**
     * The push of the exchange, its headers dropped; null (and not forwarded) when the link's own account registered it:
     * the bridge's write coming back.
     */
    private JsonNode readPush(Exchange e, String linkAccount) throws Exception {
        JsonNode push = JSON.readTree(e.getMessage().getBody(byte[].class));
        e.getMessage().removeHeaders("*");
        boolean echo = linkAccount.equals(push.path("registeredBy").asText());
        e.setProperty("forward", !echo);
        if (echo) {
            echoes.incrementAndGet();
            return null;
        }
        return push;
    }

    private void smartschoolToInformat(Exchange e, String informat) throws Exception {
        JsonNode push = readPush(e, SMARTSCHOOL_ACCOUNT);
        if (push == null) {
            return;
        }
        String[] student = informatByRegistration.get(push.path("institutionNumber").asText() + "|" + push.path("registrationNumber").asText());
        ObjectNode body = JSON.createObjectNode().put("schoolYear", "2026-27").put("absenceCode", push.path("code").asText())
                .put("date", push.path("date").asText()).put("partOfDay", "am".equals(push.path("part").asText()) ? "VM" : "NM")
                .put("locationIdDiscimus", Integer.parseInt(student[2]))
                .put("timestamp", OffsetDateTime.parse(push.path("registeredAt").asText()).atZoneSameInstant(BRUSSELS)
                        .toLocalDateTime().toString());
        e.getMessage().setHeader(Exchange.HTTP_URI, informat + student[0] + "/absences");
        e.getMessage().setHeader(Exchange.HTTP_METHOD, org.apache.camel.component.http.HttpMethods.PUT);
        e.getMessage().setHeader("Authorization", "Bearer " + token);
        e.getMessage().setHeader("instituteNo", student[1]);
        e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        e.getMessage().setBody(JSON.writeValueAsBytes(body));
    }

    private void informatToSmartschool(Exchange e) throws Exception {
        JsonNode push = readPush(e, INFORMAT_CLIENT);
        if (push == null) {
            return;
        }
        String[] pupil = smartschoolByPerson.get(push.path("personId").asText());
        ArrayNode cells = JSON.createArrayNode();
        cells.addObject().put("username", pupil[1]).put("date", push.path("date").asText())
                .put("part", "VM".equals(push.path("partOfDay").asText()) ? "am" : "pm")
                .put("code", push.path("absenceCode").asText()).put("registeredAt", push.path("timestamp").asText());
        e.getMessage().setHeader(Exchange.HTTP_URI, platformUrls.get(pupil[0]) + "/partner/v1/absences");
        e.getMessage().setHeader(Exchange.HTTP_METHOD, org.apache.camel.component.http.HttpMethods.POST);
        e.getMessage().setHeader("Authorization", "Bearer sim-accesscode");
        e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        e.getMessage().setBody(JSON.writeValueAsBytes(cells));
    }

    /** Pupils of both simulators matched by institution and registration number, and a token for every institute. */
    private void readDirectories() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Map<String, String> personByRegistration = new HashMap<>();
        StringBuilder scopes = new StringBuilder();
        java.util.Set<String> institutes = new java.util.TreeSet<>();
        for (JsonNode s : get(http, "/sim/informat/admin/students")) {
            String key = s.path("instituteNo").asText() + "|" + s.path("studentNo").asText();
            informatByRegistration.put(key, new String[] {s.path("personId").asText(), s.path("instituteNo").asText(),
                    s.path("locationIdDiscimus").asText()});
            personByRegistration.put(key, s.path("personId").asText());
            institutes.add(s.path("instituteNo").asText());
        }
        for (JsonNode p : get(http, "/sim/smartschool/admin/pupils")) {
            String person = personByRegistration.get(p.path("institutionNumber").asText() + "|" + p.path("registrationNumber").asText());
            if (person != null) {
                smartschoolByPerson.put(person, new String[] {p.path("platform").asText(), p.path("username").asText()});
            }
        }
        for (JsonNode p : get(http, "/sim/smartschool/admin/platforms")) {
            platformUrls.put(p.path("name").asText(), p.path("baseUrl").asText());
        }
        for (String i : institutes) {
            scopes.append(scopes.length() == 0 ? "" : " ").append("api_informat_sas_leerlingen.leerlingen.").append(i);
        }
        String form = "grant_type=client_credentials&client_id=" + INFORMAT_CLIENT + "&client_secret=sim-informat-client-secret&scope="
                + URLEncoder.encode(scopes.toString(), StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sims + "/sim/identityserver/connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        token = JSON.readTree(r.body()).path("access_token").asText();
        if (token.isEmpty()) {
            throw new IllegalStateException("no token: " + r.statusCode());
        }
    }

    private JsonNode get(HttpClient http, String path) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(sims + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }
}
