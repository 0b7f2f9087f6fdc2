package be.absencebridge.exchange;

import be.absencebridge.support.BridgeTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The integration team's example route (routes/dead-letter-chat.camel.yaml, docs/extending.md) switched on, posting to
 * a chat webhook that is a real HTTP receiver in this test: a dead letter the product records for real (Informat
 * refuses a code for good) arrives as exactly one message, with the pupil by number, the half-day, the stage and the
 * reason in the bridge's words, and nothing else: no name, no motivation, not the vendor's own text. A post the chat
 * refuses is tried again. A context of its own (the route is on, its URL is this test's receiver): its Camel servlet
 * needs a name of its own.
 */
@TestPropertySource(properties = {"bridge.extensions.dead-letter-chat.enabled=true",
        "camel.servlet.mapping.servlet-name=CamelServletChat", "camel.component.servlet.servlet-name=CamelServletChat"})
// a context of its own, closed after the class: its pollers and timers do not run on beside the later tests
@org.springframework.test.annotation.DirtiesContext
class DeadLetterChatTest extends BridgeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A post as the chat received it. */
    record Post(String method, String query, Map<String, List<String>> headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String text() {
            return json().path("text").asText();
        }
    }

    private static final List<Post> POSTS = new CopyOnWriteArrayList<>();
    /** How many posts the chat still answers 503 (a chat that is down for a moment). */
    private static final AtomicInteger FAILING = new AtomicInteger();
    private static final HttpServer CHAT = chat();

    private static HttpServer chat() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hooks/absence-bridge", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                boolean fail = FAILING.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
                POSTS.add(new Post(exchange.getRequestMethod(), exchange.getRequestURI().getRawQuery(),
                        Map.copyOf(exchange.getRequestHeaders()), body));
                exchange.sendResponseHeaders(fail ? 503 : 200, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void chatUrl(DynamicPropertyRegistry registry) {
        registry.add("bridge.extensions.dead-letter-chat.url",
                () -> "http://127.0.0.1:" + CHAT.getAddress().getPort() + "/hooks/absence-bridge");
    }

    @AfterAll
    static void stopChat() {
        CHAT.stop(0);
    }

    @BeforeEach
    void chatUp() {
        FAILING.set(0);
    }

    /** The posts whose message names this registration number. */
    private static List<Post> postsFor(String registrationNumber) {
        return POSTS.stream().filter(p -> p.body().contains("registration number " + registrationNumber + ",")).toList();
    }

    /** A code Informat refuses for good (A is for non-compulsory kindergarten pupils: DNF010), with a motivation. */
    private JsonNode deadLetterFor(JsonNode pupil, String date, String motivation) {
        assertThat(smartschoolRegister(internalNumberOf(pupil), date, "am", "A", null, motivation).status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> decisions(pupil, date).contains("DEAD_LETTERED"));
        for (JsonNode d : deadLetters()) {
            if (d.path("registrationNumber").asText().equals(pupil.path("studentNo").asText()) && d.path("date").asText().equals(date)) {
                return d;
            }
        }
        throw new AssertionError("no dead letter for the pupil on " + date);
    }

    @Test
    void aDeadLetterIsPostedToTheChatOnceByNumberWithoutNameOrFreeText() {
        assertThat(camel.getRouteController().getRouteStatus("dead-letter-chat")).isEqualTo(ServiceStatus.Started);
        JsonNode pupil = student("secundair", true, 44);
        String registration = pupil.path("studentNo").asText();
        String motivation = "griep met hoge koorts, mama belde";
        JsonNode dead = deadLetterFor(pupil, "2026-11-16", motivation);
        // the stored reason has Informat's own text; the message has its status and code only
        assertThat(dead.path("reason").asText()).contains("DNF010").contains("No allowed absence code");

        await().atMost(WAIT).until(() -> !postsFor(registration).isEmpty());
        // and no second one comes
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> postsFor(registration).size() == 1);
        Post post = postsFor(registration).get(0);
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.query()).as("nothing of the route's options reaches the chat's URL").isNull();
        assertThat(post.headers().get("Content-type")).containsExactly("application/json");
        assertThat(post.headers().keySet()).as("no exchange header goes along")
                .noneMatch(h -> h.toLowerCase().startsWith("camel") || h.toLowerCase().startsWith("bridge"));
        JsonNode body = post.json();
        assertThat(body.size()).as(post.body()).isEqualTo(1);
        assertThat(post.text()).isEqualTo("absence-bridge: dead letter " + dead.path("id").asText()
                + " (DELIVER, smartschool-to-informat): institution " + pupil.path("instituteNo").asText()
                + ", registration number " + registration + ", 2026-11-16 AM: Informat refused: 409 DNF010");
        // no name of the pupil (the simulated population holds none: its Smartschool account and person id stand in),
        // no motivation, not the vendor's own words
        String internal = internalNumberOf(pupil);
        assertThat(post.body()).doesNotContain(motivation).doesNotContain("griep")
                .doesNotContain("leerling" + internal).doesNotContain(pupil.path("personId").asText())
                .doesNotContain("No allowed absence code");
    }

    @Test
    void aPostTheChatRefusesIsTriedAgainAndTheDeadLetterStaysAsEver() {
        JsonNode pupil = student("secundair", true, 45);
        String registration = pupil.path("studentNo").asText();
        FAILING.set(1);
        JsonNode dead = deadLetterFor(pupil, "2026-11-16", null);
        // the first post got 503; the route tried again (extension-errors) and the second got through
        await().atMost(WAIT).until(() -> postsFor(registration).size() == 2);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> postsFor(registration).size() == 2);
        assertThat(postsFor(registration).get(0).body()).isEqualTo(postsFor(registration).get(1).body());
        assertThat(postsFor(registration).get(1).text()).contains("dead letter " + dead.path("id").asText() + " ");
        // the product went on as without the chat: the dead letter waits for a person, open
        assertThat(dead.path("replayedAt").isNull() || dead.path("replayedAt").isMissingNode()).isTrue();
        assertThat(dead.path("stage").asText()).isEqualTo("DELIVER");
    }
}
