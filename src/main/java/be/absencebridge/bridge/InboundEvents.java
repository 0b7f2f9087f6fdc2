package be.absencebridge.bridge;

import be.absencebridge.bridge.AbsenceRecord.SourceSystem;
import be.absencebridge.domain.AbsenceCodes;
import be.absencebridge.domain.HalfDay;
import be.absencebridge.webhook.WebhookSignature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The receiving end of both webhooks: checks the HMAC signature over the raw body, then reads the vendor's
 * event into an {@link AbsenceRecord}. Sets the exchange properties the routes decide on: {@code bridgeSource},
 * {@code bridgeEcho} (the bridge's own write coming back) and {@code bridgeKey} (no personal data).
 */
@Component("inboundEvents")
public class InboundEvents {

    public static final String ECHO = "bridgeEcho";
    public static final String KEY = "bridgeKey";
    public static final String SOURCE = "bridgeSource";

    private static final Pattern INSTITUTION = Pattern.compile("\\d{6}");
    private static final int MAX_TEXT = 1000;
    private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

    private final ObjectMapper json;
    private final InformatDirectory informatDirectory;
    private final WebhookSignature smartschoolSignature;
    private final WebhookSignature informatSignature;
    private final String smartschoolAccount;
    private final String informatClientId;

    public InboundEvents(ObjectMapper json, InformatDirectory informatDirectory,
                         @Value("${bridge.smartschool.webhook-secret}") String smartschoolSecret,
                         @Value("${bridge.informat.webhook-secret}") String informatSecret,
                         @Value("${bridge.smartschool.account}") String smartschoolAccount,
                         @Value("${bridge.informat.client-id}") String informatClientId) {
        this.json = json;
        this.informatDirectory = informatDirectory;
        this.smartschoolSignature = new WebhookSignature(smartschoolSecret);
        this.informatSignature = new WebhookSignature(informatSecret);
        this.smartschoolAccount = smartschoolAccount;
        this.informatClientId = informatClientId;
    }

    public void verifySmartschool(Exchange exchange) {
        verify(exchange, smartschoolSignature);
    }

    public void verifyInformat(Exchange exchange) {
        verify(exchange, informatSignature);
    }

    private static void verify(Exchange exchange, WebhookSignature signature) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        String header = exchange.getMessage().getHeader(WebhookSignature.HEADER, String.class);
        if (!signature.verify(body, header)) {
            throw new InvalidSignatureException("the X-Signature header does not match the body");
        }
    }

    /** Reads Smartschool's push event. */
    public AbsenceRecord fromSmartschool(Exchange exchange) {
        JsonNode e = parse(exchange);
        String code = optionalText(e, "code");
        String alias = optionalText(e, "alias");
        if (code != null && !AbsenceCodes.isSmartschoolCode(code)) {
            throw new MalformedEventException("code is not a Smartschool code");
        }
        String official = code == null ? null : AbsenceCodes.officialOf(code).orElse(code);
        HalfDay part;
        try {
            part = HalfDay.fromSmartschool(requiredText(e, "part"));
        } catch (IllegalArgumentException ex) {
            throw new MalformedEventException("part must be am or pm");
        }
        AbsenceRecord r = new AbsenceRecord(SourceSystem.SMARTSCHOOL, requiredText(e, "eventId"),
                institution(requiredText(e, "institutionNumber")), requiredText(e, "registrationNumber"),
                date(requiredText(e, "date")), part, official, alias != null ? alias : code,
                text(e, "motivation"), instant(requiredText(e, "registeredAt"), "registeredAt"),
                optionalText(e, "registeredBy"));
        return mark(exchange, r, smartschoolAccount.equals(r.registeredBy()));
    }

    /** Reads Informat's push event (an item of the change feed plus {@code eventId}). */
    public AbsenceRecord fromInformat(Exchange exchange) throws IOException {
        JsonNode e = parse(exchange);
        boolean deleted = e.path("deleted").asBoolean(false);
        if (e.has("deleted") && !e.get("deleted").isBoolean()) {
            throw new MalformedEventException("deleted must be true or false");
        }
        JsonNode loc = e.get("locationIdDiscimus");
        if (loc == null || !loc.canConvertToInt()) {
            throw new MalformedEventException("locationIdDiscimus must be a number");
        }
        String code = optionalText(e, "absenceCode");
        String official = null;
        if (!deleted) {
            if (code == null) {
                throw new MalformedEventException("absenceCode is missing");
            }
            String main = informatDirectory.mainCode(loc.asInt(), code);
            // an unknown subcode is kept as it is: delivery refuses it with its reason, nothing is guessed
            official = main == null ? code : AbsenceCodes.officialOf(main).orElse(main);
        }
        HalfDay part;
        try {
            part = HalfDay.fromInformat(requiredText(e, "partOfDay"));
        } catch (IllegalArgumentException ex) {
            throw new MalformedEventException("partOfDay must be VM or NM");
        }
        AbsenceRecord r = new AbsenceRecord(SourceSystem.INFORMAT, requiredText(e, "eventId"),
                institution(requiredText(e, "instituteNo")), requiredText(e, "studentNo"),
                date(requiredText(e, "date")), part, official, deleted ? null : code,
                deleted ? null : text(e, "remark"), instant(requiredText(e, "timestamp"), "timestamp"),
                optionalText(e, "registeredBy"));
        return mark(exchange, r, informatClientId.equals(r.registeredBy()));
    }

    private static AbsenceRecord mark(Exchange exchange, AbsenceRecord r, boolean echo) {
        exchange.setProperty(ECHO, echo);
        exchange.setProperty(KEY, r.key());
        exchange.setProperty(SOURCE, r.sourceSystem().name().toLowerCase());
        return r;
    }

    private JsonNode parse(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw new MalformedEventException("the body is empty");
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new MalformedEventException("the body must be a JSON object");
            }
            return node;
        } catch (IOException ex) {
            throw new MalformedEventException("the body is not valid JSON");
        }
    }

    private static String requiredText(JsonNode e, String field) {
        JsonNode n = e.get(field);
        if (n == null || n.isNull()) {
            throw new MalformedEventException(field + " is missing");
        }
        if (!n.isTextual() && !n.isNumber()) {
            throw new MalformedEventException(field + " must be a string");
        }
        String s = n.asText().trim();
        if (s.isEmpty()) {
            throw new MalformedEventException(field + " is empty");
        }
        return s;
    }

    private static String optionalText(JsonNode e, String field) {
        JsonNode n = e.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new MalformedEventException(field + " must be a string");
        }
        String s = n.asText().trim();
        return s.isEmpty() ? null : s;
    }

    private static String text(JsonNode e, String field) {
        String s = optionalText(e, field);
        if (s != null && s.length() > MAX_TEXT) {
            throw new MalformedEventException(field + " is longer than " + MAX_TEXT + " characters");
        }
        return s;
    }

    private static String institution(String s) {
        if (!INSTITUTION.matcher(s).matches()) {
            throw new MalformedEventException("the institution number must have 6 digits");
        }
        return s;
    }

    private static LocalDate date(String s) {
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException ex) {
            throw new MalformedEventException("date must look like 2026-09-01");
        }
    }

    /** A registration moment; vendors without an offset write Belgian local time. */
    private static OffsetDateTime instant(String s, String field) {
        try {
            return OffsetDateTime.parse(s);
        } catch (DateTimeParseException ex) {
            try {
                return LocalDateTime.parse(s).atZone(BRUSSELS).toOffsetDateTime();
            } catch (DateTimeParseException ex2) {
                throw new MalformedEventException(field + " must be an ISO-8601 date-time");
            }
        }
    }
}
