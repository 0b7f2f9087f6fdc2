package be.absencebridge.vendor.informat;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.domain.AbsenceCodes;
import be.absencebridge.domain.SchoolYear;
import be.absencebridge.exchange.ExchangeProperties;
import be.absencebridge.exchange.deliver.Delivery;
import be.absencebridge.exchange.deliver.DeliveryBatch;
import be.absencebridge.exchange.deliver.DeliveryOutcome;
import be.absencebridge.exchange.deliver.VendorThrottledException;
import be.absencebridge.exchange.deliver.VendorUnavailableException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Informat's write for one delivery, and the meaning of its answer. A code goes through the public Student API's
 * {@code PUT students/{studentId}/absences} with exactly its six fields, the timestamp in Belgian local time without an
 * offset as the vendor's document writes it; a clear (an absence cleared in Smartschool, or a presence of a pupil whose
 * presence Informat does not store: DOMAIN.md rule 6), a remark, or a pupil outside secondary education goes through the
 * link's partner write. Without the partner endpoints, what the public API cannot carry is recorded as such
 * ({@code NOT_CARRIED}), never retried: a remark is left behind and the code is still written.
 * <p>
 * Answers: 200 with the absence's id as a JSON string (the empty GUID for an update) or 204 (the same code stored):
 * delivered; 409 {@code MNA007} (a newer registration not made through the API): the target holds something newer;
 * 400 {@code BR053B} (in the future by Informat's clock): retried, the clocks differ a little; any other 400, 403 and
 * the 409 {@code DNF...} codes: refused for good with the vendor's code and reason; 401 (token renewed), 408, 429,
 * 5xx: tried again.
 */
@Component("informatWriter")
public class InformatWriter {

    private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");
    private static final String EMPTY_GUID = "00000000-0000-0000-0000-000000000000";
    /** Belgian local time without an offset, seconds always written, as the document's example ({@code 2025-10-15T08:30:00}). */

    private final InformatDirectory directory;
    private final InformatTokens tokens;
    private final ObjectMapper json;
    private final BridgeProperties.Informat settings;

    public InformatWriter(InformatDirectory directory, InformatTokens tokens, ObjectMapper json, BridgeProperties props) {
        this.directory = directory;
        this.tokens = tokens;
        this.json = json;
        this.settings = props.informat();
    }

    private static DeliveryBatch.Item item(Exchange exchange) {
        return exchange.getProperty(ExchangeProperties.ITEM, DeliveryBatch.Item.class);
    }

    public void prepare(Exchange exchange) throws IOException {
        DeliveryBatch.Item item = item(exchange);
        Delivery d = item.getDelivery();
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        // set below when a call is to be made: the route's filter reads it
        exchange.removeProperty(ExchangeProperties.METHOD);
        // the enrolment of the day: its branch and institute (a pupil who changed branch has one per branch)
        InformatDirectory.Student s = directory.studentOn(d.institutionNumber(), d.registrationNumber(), d.date());
        if (s == null) {
            item.result().refuse("pupil not found in Informat");
            return;
        }
        boolean clear = d.officialCode() == null || (AbsenceCodes.PRESENT.equals(d.officialCode()) && !s.presenceStored(d.date()));
        boolean secondary = "secundair".equals(s.level());
        boolean partner = clear || d.text() != null || !secondary;
        if (partner && !settings.partner()) {
            if (clear || !secondary) {
                item.result().set(DeliveryOutcome.NOT_CARRIED, clear
                        ? "a clear is not carried by Informat's public Student API (no delete)"
                        : "Informat's public Student API covers secondary education only (level " + s.level() + ")");
                return;
            }
            // a remark: the code still goes through the public write, the remark is left behind (the outcome says so)
            partner = false;
            exchange.setProperty(REMARK_LEFT, true);
        }
        m.setHeader(Exchange.HTTP_URI, partner ? settings.partnerUrl() : settings.studentApiUrl());
        m.setHeader(Exchange.HTTP_PATH, "/students/" + s.personId() + "/absences");
        m.setHeader("instituteNo", s.instituteNo());
        m.setHeader("Authorization", tokens.authorization(s.instituteNo()));
        // the public Student API's form is local time without offset (its document); the partner endpoints are the
        // product's own contract, which carries the offset: the hour that comes twice in October is then not ambiguous
        String timestamp = partner ? be.absencebridge.domain.VendorTime.belgian(d.registeredAt())
                : be.absencebridge.domain.VendorTime.local(d.registeredAt());
        if (clear) {
            exchange.setProperty(ExchangeProperties.METHOD, "DELETE");
            m.setHeader(Exchange.HTTP_METHOD, org.apache.camel.component.http.HttpMethods.DELETE);
            m.setHeader(Exchange.HTTP_QUERY, "date=" + d.date() + "&partOfDay=" + d.part().informat()
                    + "&timestamp=" + URLEncoder.encode(timestamp, StandardCharsets.UTF_8));
            m.setBody(null);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("schoolYear", SchoolYear.of(d.date()).toString());
        body.put("absenceCode", d.informatCode() != null ? d.informatCode() : d.officialCode());
        body.put("date", d.date().toString());
        body.put("partOfDay", d.part().informat());
        body.put("locationIdDiscimus", s.locationIdDiscimus());
        body.put("timestamp", timestamp);
        if (partner) {
            body.put("remark", d.text());
        }
        exchange.setProperty(ExchangeProperties.METHOD, "PUT");
        m.setHeader(Exchange.HTTP_METHOD, org.apache.camel.component.http.HttpMethods.PUT);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(json.writeValueAsBytes(body));
    }

    /**
     * Attempts of a row Informat refuses with DNF002 or DNF011 before it is refused for good: the second and third use a
     * copy of the pupils read after the first refusal.
     */
    private static final int ENROLMENT_RETRIES = 3;

    /** A remark the public write could not carry (public interfaces only): the outcome says it was left behind. */
    private static final String REMARK_LEFT = "bridgeRemarkLeft";

    /** The API refused the token (expired early, revoked): a new one, and the same call again. */
    public void renewToken(Exchange exchange) throws IOException {
        tokens.invalidate(item(exchange).getDelivery().institutionNumber());
        prepare(exchange);
    }

    /** The answer's meaning for the row (see the class comment); retryable answers throw. */
    public void outcome(Exchange exchange) throws IOException {
        Message m = exchange.getMessage();
        DeliveryBatch.Item item = item(exchange);
        int status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        // the answer is a stream that reads once: read and parsed once for every look below
        byte[] answer = m.getBody(byte[].class);
        JsonNode parsed = parse(answer);
        JsonNode error = parsed == null ? null : parsed.path("validationErrors").path(0);
        String code = error != null && error.path("code").isTextual() ? error.path("code").asText() : null;
        if (status == 401) {
            tokens.invalidate(m.getHeader("instituteNo", String.class));
        }
        if (VendorUnavailableException.retryable(status)) {
            VendorUnavailableException e = VendorUnavailableException.answered("Informat", status, m.getHeader("Retry-After"));
            if (e instanceof VendorThrottledException) {
                // a vendor that is up and asks for time: the row waits, the circuit breaker counts no failure
                item.failed(e);
                return;
            }
            throw e;
        }
        long refusedAt = System.nanoTime();
        boolean delete = "DELETE".equals(exchange.getProperty(ExchangeProperties.METHOD, String.class));
        String left = Boolean.TRUE.equals(exchange.getProperty(REMARK_LEFT, Boolean.class))
                ? "; the remark is not carried by Informat's public Student API" : "";
        switch (status) {
            case 200 -> {
                if (delete) {
                    item.result().set(DeliveryOutcome.DELIVERED, "cleared");
                    return;
                }
                // the absence's id as a JSON string; anything else is not Informat's answer (a proxy's page, a cut-off body)
                if (parsed == null || !parsed.isTextual() || !UUID_TEXT.matcher(parsed.asText()).matches()) {
                    throw new VendorUnavailableException("Informat answered 200 without the absence's id");
                }
                item.result().set(DeliveryOutcome.DELIVERED, (EMPTY_GUID.equals(parsed.asText()) ? "updated" : "saved") + left);
            }
            case 204 -> item.result().set(DeliveryOutcome.DELIVERED, (delete ? "nothing to clear" : "unchanged") + left);
            default -> {
                if (status == 400 && "BR053B".equals(code)) {
                    // "in the future" by Informat's clock: the two vendors' clocks differ a little; it will not be
                    // in the future for long, so this row is retried, not refused. Not thrown: Informat answered, and
                    // one row's time is no reason for its circuit breaker to count a failure
                    item.failed(new VendorUnavailableException("Informat finds the registration time in the future (BR053B)"));
                    return;
                }
                if (status == 409 && ("DNF011".equals(code) || "DNF002".equals(code)) && item.attemptNumber() < ENROLMENT_RETRIES) {
                    // no such pupil, or no enrolment at that location on that day: the pupil moved or left since the
                    // bridge's copy was read. The copy is read again (once for every row refused meanwhile) and the row
                    // goes again (its write is prepared anew, for the enrolment of its day); only a refusal that
                    // outlives the read goes to the dead letters
                    directory.refreshUnlessReadSince(refusedAt);
                    item.failed(new VendorUnavailableException("Informat has no such enrolment (" + code + "): the pupils "
                            + "are read again before the next attempt"));
                    return;
                }
                if (status == 409 && "MNA007".equals(code)) {
                    item.result().set(DeliveryOutcome.TARGET_NEWER, "Informat holds a newer registration (MNA007)");
                } else {
                    String reason = error == null ? null : error.path("reason").asText(null);
                    String refused = "Informat refused: " + status + (code == null ? "" : " " + code);
                    // Informat's reason is its own text: stored with the dead letter, not in what leaves the product
                    // (nor its code, should it be more than a code)
                    item.result().refuse(refused + (reason == null ? "" : " (" + reason + ")"),
                            code == null || code.matches("[A-Za-z0-9_-]{1,16}") ? refused : "Informat refused: " + status);
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
}
