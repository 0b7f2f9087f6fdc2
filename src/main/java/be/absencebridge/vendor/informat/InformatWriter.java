package be.absencebridge.vendor.informat;

import be.absencebridge.exchange.ExchangeProperties;
import be.absencebridge.exchange.deliver.DeliveryBatch;
import be.absencebridge.exchange.deliver.DeliveryOutcome;

import be.absencebridge.exchange.deliver.Delivery;
import be.absencebridge.exchange.deliver.VendorUnavailableException;

import be.absencebridge.domain.AbsenceCodes;
import be.absencebridge.domain.SchoolYear;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Informat's Student API call for one delivery ({@code PUT}, or {@code DELETE} to clear), and the meaning
 * of its answer: delivered, the target holds something newer, refused for good (headers), or worth another
 * try (an exception). A presence clears an Informat absence, except for non-compulsory kindergarten pupils,
 * whose presence Informat stores (DOMAIN.md rule 6, {@link be.absencebridge.domain.Presence}).
 */
@Component("informatWriter")
public class InformatWriter {

    private final InformatDirectory directory;
    private final InformatTokens tokens;
    private final ObjectMapper json;

    public InformatWriter(InformatDirectory directory, InformatTokens tokens, ObjectMapper json) {
        this.directory = directory;
        this.tokens = tokens;
        this.json = json;
    }

    private static DeliveryBatch.Item item(Exchange exchange) {
        return exchange.getProperty(ExchangeProperties.ITEM, DeliveryBatch.Item.class);
    }

    public void prepare(Exchange exchange) throws IOException {
        Delivery d = item(exchange).getDelivery();
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        // set below when a call is to be made: the route's filter reads it
        exchange.removeProperty(ExchangeProperties.METHOD);
        InformatDirectory.Student s = directory.student(d.institutionNumber(), d.registrationNumber());
        if (s == null) {
            item(exchange).result().refuse("pupil not found in Informat");
            return;
        }
        SchoolYear year = SchoolYear.of(d.date());
        boolean clear = d.officialCode() == null || (AbsenceCodes.PRESENT.equals(d.officialCode()) && !s.presenceStored(d.date()));

        m.setHeader(Exchange.HTTP_PATH, "/api/v1/students/" + s.personId() + "/absences");
        m.setHeader("instituteNo", s.instituteNo());
        m.setHeader("Authorization", tokens.authorization(s.instituteNo()));
        exchange.setProperty(ExchangeProperties.METHOD, clear ? "DELETE" : "PUT");
        if (clear) {
            m.setHeader(Exchange.HTTP_METHOD, "DELETE");
            m.setHeader(Exchange.HTTP_QUERY, "date=" + d.date() + "&partOfDay=" + d.part().informat()
                    + "&timestamp=" + URLEncoder.encode(d.registeredAt().toString(), StandardCharsets.UTF_8));
            m.setBody(null);
        } else {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("schoolYear", year.toString());
            body.put("absenceCode", d.informatCode() != null ? d.informatCode() : d.officialCode());
            body.put("date", d.date().toString());
            body.put("partOfDay", d.part().informat());
            body.put("locationIdDiscimus", s.locationIdDiscimus());
            body.put("timestamp", d.registeredAt().toString());
            body.put("remark", d.text());
            m.setHeader(Exchange.HTTP_METHOD, "PUT");
            m.setHeader(Exchange.CONTENT_TYPE, "application/json");
            m.setBody(json.writeValueAsBytes(body));
        }
    }

    /** The API refused the token (expired early, revoked): a new one, and the same call again. */
    public void renewToken(Exchange exchange) throws IOException {
        tokens.invalidate(item(exchange).getDelivery().institutionNumber());
        prepare(exchange);
    }

    /** 200/204 delivered; 409 MNA007 the target has something newer; retryable or permanent failures throw. */
    public void outcome(Exchange exchange) throws IOException {
        Message m = exchange.getMessage();
        int status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        // the answer is a stream that reads once: read and parsed once for every look below
        byte[] answer = m.getBody(byte[].class);
        JsonNode parsed = parse(answer);
        String code = errorCode(parsed);
        if (status == 401) {
            tokens.invalidate(m.getHeader("instituteNo", String.class));
        }
        if (VendorUnavailableException.retryable(status)) {
            throw new VendorUnavailableException("Informat answered " + status,
                    VendorUnavailableException.retryAfter(m.getHeader("Retry-After")));
        }
        switch (status) {
            case 200 -> {
                // a 200 without the absence id is not Informat's answer (a proxy's page, a cut-off body): not saved;
                // a clear answers 200 with no body (an empty 200 from elsewhere cannot be told apart: README)
                boolean put = "PUT".equals(exchange.getProperty(ExchangeProperties.METHOD, String.class));
                if (put ? !savedId(parsed) : answer != null && answer.length > 0 && parsed == null) {
                    throw new VendorUnavailableException("Informat answered 200 without its answer");
                }
                item(exchange).result().set(DeliveryOutcome.DELIVERED, "saved");
            }
            case 204 -> item(exchange).result().set(DeliveryOutcome.DELIVERED, "unchanged");
            default -> {
                if (status == 400 && "BR053B".equals(code)) {
                    // "in the future" by Informat's clock: the two vendors' clocks differ a little; it will not be
                    // in the future for long, so this is retried, not refused
                    throw new VendorUnavailableException("Informat finds the registration time in the future (BR053B)");
                }
                if (status == 409 && "MNA007".equals(code)) {
                    item(exchange).result().set(DeliveryOutcome.TARGET_NEWER, "Informat holds a newer registration (MNA007)");
                } else {
                    item(exchange).result().refuse("Informat refused: " + status + (code == null ? "" : " " + code));
                }
            }
        }
    }

    /** The answer as JSON; null when there is none or it is not JSON. */
    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean savedId(JsonNode answer) {
        return answer != null && answer.path("id").isNumber();
    }

    private static String errorCode(JsonNode answer) {
        JsonNode code = answer == null ? null : answer.path("validationErrors").path(0).path("code");
        return code != null && code.isTextual() ? code.asText() : null;
    }
}
