package be.absencebridge.exchange.receive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/** Answers an inbound HTTP call with an RFC 7807 problem body; the routes' error handlers call it. */
@Component("problemResponse")
public class ProblemResponse {

    private final ObjectMapper json;

    public ProblemResponse(ObjectMapper json) {
        this.json = json;
    }

    public void answer(Exchange exchange, int status, String title) throws JsonProcessingException {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        // only our own exceptions carry a message meant for the caller
        String detail = cause instanceof MalformedEventException || cause instanceof InvalidSignatureException
                || cause instanceof UnknownPlatformException
                ? cause.getMessage()
                : cause instanceof org.apache.camel.StreamCacheException || cause instanceof java.nio.charset.CharacterCodingException
                ? "the body cannot be read as UTF-8 text" : title;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/problem+json");
        m.setBody(json.writeValueAsString(body));
    }
}
