package be.absencebridge.exchange.routes;

import be.absencebridge.exchange.ExchangeProperties;
import be.absencebridge.exchange.receive.InboundEvents;
import be.absencebridge.exchange.receive.Inbox;
import be.absencebridge.exchange.receive.InvalidSignatureException;
import be.absencebridge.exchange.receive.MalformedEventException;
import be.absencebridge.exchange.receive.UnknownPlatformException;
import be.absencebridge.domain.Decision;
import org.apache.camel.Exchange;
import org.apache.camel.StreamCacheException;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.servlet.CamelHttpTransportServlet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.stubbing.Answer;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockServletConfig;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * The webhook template (webhooks.camel.yaml) and its error configuration (inbound-errors, error-handling.camel.yaml),
 * over HTTP: requests go through Camel's own servlet as the product mounts it ({@code /api/inbound/*}), without a
 * server. A push is verified, read, checked for an echo and stored before its 202; only a newly stored one is handed
 * to processing; bad input is answered 401, 404 or 400, a failure of ours 503, never a 5xx for bad input.
 */
class WebhookRoutesTest extends RoutesTestSupport {

    private CamelHttpTransportServlet servlet;
    /** What inboundEvents.verify saw: the headers, and the properties the route set before it. */
    private final Map<String, Object> verified = new HashMap<>();

    @BeforeEach
    void mountTheServlet() throws Exception {
        servlet = new CamelHttpTransportServlet();
        // the name this context's servlet consumers look for (CamelServlet in the product)
        servlet.init(new MockServletConfig(servletName));
        doAnswer(call -> {
            Exchange e = call.getArgument(0);
            verified.putAll(e.getMessage().getHeaders());
            verified.put("property:" + ExchangeProperties.PLATFORM, e.getProperty(ExchangeProperties.PLATFORM));
            verified.put("property:" + ExchangeProperties.SOURCE, e.getProperty(ExchangeProperties.SOURCE));
            verified.put("body", e.getMessage().getBody());
            return null;
        }).when(inboundEvents).verify(any());
        doAnswer(call -> {
            Exchange e = call.getArgument(0);
            InboundEvents.Inbound in = new InboundEvents.Inbound(null, "event-1", "{}");
            e.getMessage().setBody(in);
            return in;
        }).when(inboundEvents).read(any());
    }

    @AfterEach
    void unmountTheServlet() {
        servlet.destroy();
    }

    /** The inbox stores the push as a new event, 7. */
    private void storedAsNew() {
        doAnswer(call -> {
            Exchange e = call.getArgument(0);
            e.setProperty(ExchangeProperties.INBOX_ID, 7L);
            e.setProperty(ExchangeProperties.STORED, new Inbox.Stored(7L, null));
            return null;
        }).when(inbox).storePush(any());
    }

    private MockHttpServletResponse post(String path, String body, Map<String, String> headers) throws Exception {
        return call("POST", path, body, headers);
    }

    private MockHttpServletResponse call(String method, String path, String body, Map<String, String> headers) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, "/api/inbound" + path);
        request.setServletPath("/api/inbound");
        request.setPathInfo(path);
        request.setContentType("application/json");
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        headers.forEach(request::addHeader);
        MockHttpServletResponse response = new MockHttpServletResponse();
        servlet.service(request, response);
        return response;
    }

    private static final Map<String, String> SIGNED = Map.of("X-Signature", "sha256=abc", "X-Signature-Timestamp", "1764000000");

    @Test
    void aStoredPushIsAcceptedWith202AndHandedToProcessingWithItsRecord() throws Exception {
        storedAsNew();
        MockEndpoint processing = getMockEndpoint("mock:seda:process");
        processing.expectedMessageCount(1);

        MockHttpServletResponse response = post("/smartschool/school1", "{\"code\":\"B\"}", SIGNED);

        assertThat(response.getStatus()).isEqualTo(202);
        assertThat(response.getContentType()).isEqualTo("application/json");
        assertThat(response.getContentAsString()).isEqualTo("{\"status\":\"accepted\"}");
        // nothing of the request goes back to the sender
        assertThat(response.getHeaderNames()).doesNotContain("X-Signature", "X-Signature-Timestamp");
        processing.assertIsSatisfied();
        assertThat(processing.getReceivedExchanges().get(0).getMessage().getBody()).isEqualTo(new Inbox.Stored(7L, null));
        verify(gate).echo(any());
    }

    @Test
    void theSignatureIsCheckedOnTheRawBodyWithThePathsPlatformAndNoCamelHeaderFromOutside() throws Exception {
        storedAsNew();

        post("/smartschool/school1", "{\"code\":\"B\"}", Map.of("X-Signature", "sha256=abc", "X-Signature-Timestamp", "1764000000",
                "CamelBeanMethodName", "read", "CamelHttpResponseCode", "200"));

        assertThat(verified).containsEntry("X-Signature", "sha256=abc")
                .containsEntry("property:" + ExchangeProperties.PLATFORM, "/school1")
                .containsEntry("property:" + ExchangeProperties.SOURCE, "SMARTSCHOOL");
        assertThat(verified.keySet()).noneMatch(h -> h.startsWith("Camel"));
        assertThat(verified.get("body")).isInstanceOf(byte[].class);
        assertThat(new String((byte[]) verified.get("body"), StandardCharsets.UTF_8)).isEqualTo("{\"code\":\"B\"}");
    }

    @Test
    void informatsWebhookIsInformatsSource() throws Exception {
        storedAsNew();

        assertThat(post("/informat", "{}", SIGNED).getStatus()).isEqualTo(202);

        assertThat(verified).containsEntry("property:" + ExchangeProperties.SOURCE, "INFORMAT");
    }

    @Test
    void aPushStoredBeforeOrAnEchoIsAcceptedButNotProcessedAgain() throws Exception {
        // the inbox's answer to a repeat or an echo: no new row
        doAnswer(call -> {
            ((Exchange) call.getArgument(0)).setProperty(ExchangeProperties.INBOX_ID, null);
            return null;
        }).when(inbox).storePush(any());
        doAnswer(call -> {
            ((Exchange) call.getArgument(0)).setProperty(ExchangeProperties.STOP, Decision.ECHO);
            return null;
        }).when(gate).echo(any());

        assertThat(post("/smartschool/school1", "{}", SIGNED).getStatus()).isEqualTo(202);

        // the hand-off to the queue happens before the answer: none was made
        assertThat(getMockEndpoint("mock:seda:process").getReceivedCounter()).isZero();
        verify(inbox).storePush(any());
    }

    @Test
    void onlyPostIsTaken() throws Exception {
        assertThat(call("GET", "/smartschool/school1", "", Map.of()).getStatus()).isEqualTo(405);
        verify(inboundEvents, never()).verify(any());
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("verify", new InvalidSignatureException("the signature does not match"), 401, "Unauthorized",
                        "the signature does not match"),
                Arguments.of("verify", new UnknownPlatformException("no Smartschool platform is configured by that name"), 404,
                        "Not Found", "no Smartschool platform is configured by that name"),
                Arguments.of("read", new MalformedEventException("date is after today"), 400, "Bad Request", "date is after today"),
                Arguments.of("read", new CharacterCodingException(), 400, "Bad Request", "the body cannot be read as UTF-8 text"),
                Arguments.of("verify", new StreamCacheException(null, new java.io.IOException("cut")), 400, "Bad Request",
                        "the body cannot be read as UTF-8 text"),
                // the database, a bug: the sender may try again (its own retry, or the pollers find the registration)
                Arguments.of("store", new IllegalStateException("the inbox's writer is gone"), 503, "Service Unavailable",
                        "Service Unavailable"));
    }

    @ParameterizedTest(name = "{1} in {0}: {2}")
    @MethodSource("refusals")
    void aPushThatFailsIsAnsweredWithAProblemAndNotProcessed(String step, Exception failure, int status, String title,
                                                             String detail) throws Exception {
        storedAsNew();
        Answer<Object> fails = call -> {
            throw failure;
        };
        switch (step) {
            case "verify" -> doAnswer(fails).when(inboundEvents).verify(any());
            case "read" -> doAnswer(fails).when(inboundEvents).read(any());
            default -> doAnswer(fails).when(inbox).storePush(any());
        }

        MockHttpServletResponse response = post("/smartschool/school1", "{}", SIGNED);

        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getContentAsString()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":"
                + status + ",\"detail\":\"" + detail + "\"}");
        assertThat(response.getHeaderNames()).doesNotContain("X-Signature");
        assertThat(getMockEndpoint("mock:seda:process").getReceivedCounter()).isZero();
    }
}
