package be.absencebridge.exchange.receive;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.exchange.ExchangeProperties;

import be.absencebridge.domain.AbsenceRecord;
import be.absencebridge.domain.SourceSystem;

import be.absencebridge.domain.AbsenceCodes;
import be.absencebridge.domain.HalfDay;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.util.Map;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * Step 1, normalise: checks a push's HMAC signature over its timestamp and raw body, and turns a push (or a polled
 * item in the push's shape) into the canonical {@link AbsenceRecord}. Shape only: translation needs the school's
 * tables and happens later, so an event is stored even while a vendor is unreachable.
 */
@Component("inboundEvents")
public class InboundEvents {

    private static final Pattern INSTITUTION = Pattern.compile("\\d{6}");
    private static final int MAX_TEXT = 1000;
    private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

    /** How far a registration time may lie ahead of the bridge's clock (the vendors' clocks drift a little). */
    private static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofMinutes(5);

    private final ObjectMapper json;
    private final java.time.Clock clock;
    /** Each Smartschool platform's push secret, by name. */
    private final Map<String, WebhookSignature> smartschool = new java.util.HashMap<>();
    private final WebhookSignature informat;

    private final int previousYearDays;
    /** How far a push's signed timestamp may lie from the bridge's clock ({@code bridge.inbound.signature-tolerance}). */
    private final java.time.Duration signatureTolerance;

    public InboundEvents(ObjectMapper json, java.time.Clock clock, BridgeProperties props) {
        this.json = json;
        this.clock = clock;
        this.previousYearDays = props.exchange() == null ? 0 : props.exchange().previousYearDays();
        this.signatureTolerance = props.inbound() == null || props.inbound().signatureTolerance() == null
                ? java.time.Duration.ofMinutes(5) : props.inbound().signatureTolerance();
        for (BridgeProperties.Platform p : props.smartschool().platformList()) {
            smartschool.put(p.name(), new WebhookSignature(p.webhookSecret()));
        }
        this.informat = new WebhookSignature(props.informat().webhookSecret());
    }

    /** A pushed event, read: the record, its id in the inbox (its content id) and the event as parsed, to store. */
    public record Inbound(AbsenceRecord record, String eventId, String payload) {
    }

    /**
     * Checks the push's {@code X-Signature} over its {@code X-Signature-Timestamp} and body against the secret of its
     * source, and the timestamp against the bridge's clock (within {@code bridge.inbound.signature-tolerance}) (the exchange's {@code bridgeSource}): for
     * Smartschool, the secret of the platform the path names ({@code /api/inbound/smartschool/<platform>}, the
     * exchange's {@code bridgePlatform}); a path that names no configured platform is refused (404) before the body
     * is looked at. The platform stays on the exchange as its bare name.
     */
    public void verify(Exchange exchange) {
        SourceSystem source = source(exchange);
        String platform = trimSlashes(exchange.getProperty(ExchangeProperties.PLATFORM, "", String.class));
        WebhookSignature signature;
        if (source == SourceSystem.SMARTSCHOOL) {
            signature = smartschool.get(platform);
            if (signature == null) {
                throw new UnknownPlatformException(platform.isEmpty() ? "the webhook path names no Smartschool platform: "
                        + "/api/inbound/smartschool/<platform>" : "no Smartschool platform is configured by that name");
            }
            exchange.setProperty(ExchangeProperties.PLATFORM, platform);
        } else {
            if (!platform.isEmpty()) {
                throw new UnknownPlatformException("Informat's webhook is /api/inbound/informat");
            }
            signature = informat;
            exchange.removeProperty(ExchangeProperties.PLATFORM);
        }
        signature.verify(exchange.getMessage().getBody(byte[].class),
                exchange.getMessage().getHeader(WebhookSignature.TIMESTAMP_HEADER, String.class),
                exchange.getMessage().getHeader(WebhookSignature.HEADER, String.class), clock.instant(), signatureTolerance);
    }

    /**
     * The pushing package, as the webhook's route sets it (a constant, so a string): read without Camel's type
     * converter, whose string-to-enum conversion searched its registry on every push (measured: 4% of the bridge's CPU).
     */
    private static SourceSystem source(Exchange exchange) {
        Object source = exchange.getProperty(ExchangeProperties.SOURCE);
        return source instanceof SourceSystem s ? s : SourceSystem.valueOf(String.valueOf(source));
    }

    /** The path without leading and trailing slashes. */
    private static String trimSlashes(String path) {
        int from = 0;
        int to = path.length();
        while (from < to && path.charAt(from) == '/') {
            from++;
        }
        while (to > from && path.charAt(to - 1) == '/') {
            to--;
        }
        return path.substring(from, to);
    }

    /**
     * Reads a verified push into its record ({@code bridgeRecord}, and the key and direction for the logs), checks that
     * it is plausible, and names it by its content, as the pollers' copy of it (Informat's change feed, Smartschool's
     * register read) will be named: a registration pushed and polled is decided once. The body becomes the
     * {@link Inbound} to store.
     */
    public Inbound read(Exchange exchange) {
        SourceSystem source = source(exchange);
        JsonNode payload = parse(exchange.getMessage().getBody(byte[].class));
        // a push carries its registration time: only the bridge's own register reads are "observed"
        ((com.fasterxml.jackson.databind.node.ObjectNode) payload).remove("observed");
        // the platform is the one whose secret signed the push (verify), whatever the body says
        if (source == SourceSystem.SMARTSCHOOL) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) payload).put("platform",
                    exchange.getProperty(ExchangeProperties.PLATFORM, String.class));
        }
        AbsenceRecord r = read(source, payload);
        checkPlausible(r);
        Inbox.mark(exchange, r);
        exchange.setProperty(ExchangeProperties.RECORD, r);
        String eventId = source == SourceSystem.INFORMAT ? ContentId.informatChange(payload)
                // internal numbers are the platform's own: the same number on two platforms is two pupils
                : ContentId.smartschoolCell(exchange.getProperty(ExchangeProperties.PLATFORM, String.class) + "/"
                        + payload.path("internalNumber").asText(), payload.path("date").asText(),
                        payload.path("part").asText(), payload);
        // the event as parsed (not the raw body: Jackson reads past what PostgreSQL's jsonb would refuse, e.g. trailing text)
        Inbound inbound = new Inbound(r, eventId, payload.toString());
        exchange.getMessage().setBody(inbound);
        return inbound;
    }

    /**
     * What a pushed event must also be, beyond well-formed, to be taken in: about a day up to today of the current
     * school year (or of the previous one, for {@code bridge.exchange.previous-year-days} after 1 September: June
     * corrections), registered no later than now (with a few minutes' clock skew). Checked when a push arrives, not
     * when a stored event is processed later (a day may have turned since).
     */
    public void checkPlausible(AbsenceRecord r) {
        java.time.LocalDate today = java.time.LocalDate.now(clock.withZone(BRUSSELS));
        if (r.date().isAfter(today)) {
            throw new MalformedEventException("date is after today");
        }
        if (!be.absencebridge.domain.SchoolYear.takes(today, previousYearDays, r.date())) {
            throw new MalformedEventException("date is outside the school years still exchanged ("
                    + be.absencebridge.domain.SchoolYear.open(today, previousYearDays).get(0) + " and, for "
                    + previousYearDays + " days after 1 September, the year before)");
        }
        if (r.registeredAt().toInstant().isAfter(clock.instant().plus(CLOCK_SKEW))) {
            throw new MalformedEventException("the registration time is in the future");
        }
    }

    public AbsenceRecord read(SourceSystem source, JsonNode e) {
        return source == SourceSystem.SMARTSCHOOL ? smartschool(e) : informat(e);
    }

    private AbsenceRecord smartschool(JsonNode e) {
        String code = optionalText(e, "code");
        String alias = optionalText(e, "alias");
        if (code != null && !AbsenceCodes.isSmartschoolCode(code)) {
            throw new MalformedEventException("code is not a Smartschool code");
        }
        if (code == null && alias != null) {
            throw new MalformedEventException("alias without code");
        }
        HalfDay part;
        try {
            part = HalfDay.fromSmartschool(requiredText(e, "part"));
        } catch (IllegalArgumentException ex) {
            throw new MalformedEventException("part must be am or pm");
        }
        return new AbsenceRecord(SourceSystem.SMARTSCHOOL, requiredText(e, "eventId"),
                institution(requiredText(e, "institutionNumber")), requiredText(e, "registrationNumber"),
                date(requiredText(e, "date")), part, code, alias,
                code == null ? null : text(e, "motivation"), instant(requiredText(e, "registeredAt"), "registeredAt"),
                optionalText(e, "registeredBy"), null, requiredText(e, "internalNumber"), observation(e.get("observed")),
                optionalText(e, "platform"));
    }

    /**
     * What a register read knew of a cell ({@code observed}: {@code readAt}, {@code lastWrite}, the cell's
     * {@code username}); {@code true} in events stored before an observation carried its read: nothing more is known.
     */
    private static be.absencebridge.domain.Observation observation(JsonNode o) {
        if (o == null || o.isNull() || (o.isBoolean() && !o.asBoolean())) {
            return null;
        }
        if (o.isBoolean()) {
            return new be.absencebridge.domain.Observation(null, null);
        }
        if (!o.isObject()) {
            throw new MalformedEventException("observed must be an object");
        }
        return new be.absencebridge.domain.Observation(
                o.hasNonNull("readAt") ? instant(o.get("readAt").asText(), "observed.readAt").toInstant() : null,
                o.hasNonNull("lastWrite") ? instant(o.get("lastWrite").asText(), "observed.lastWrite").toInstant() : null,
                o.hasNonNull("username") ? o.get("username").asText() : null);
    }

    private AbsenceRecord informat(JsonNode e) {
        // the person id is part of the change's identity (its content id): an item without one is refused
        requiredText(e, "personId");
        JsonNode deletedNode = e.get("deleted");
        if (deletedNode != null && !deletedNode.isNull() && !deletedNode.isBoolean()) {
            throw new MalformedEventException("deleted must be true or false");
        }
        boolean deleted = deletedNode != null && deletedNode.asBoolean();
        JsonNode loc = e.get("locationIdDiscimus");
        if (loc == null || !loc.isIntegralNumber() || !loc.canConvertToInt()) {
            throw new MalformedEventException("locationIdDiscimus must be a number");
        }
        String code = deleted ? null : optionalText(e, "absenceCode");
        if (!deleted && code == null) {
            throw new MalformedEventException("absenceCode is missing");
        }
        if (code != null && code.length() > 20) {
            throw new MalformedEventException("absenceCode is too long");
        }
        HalfDay part;
        try {
            part = HalfDay.fromInformat(requiredText(e, "partOfDay"));
        } catch (IllegalArgumentException ex) {
            throw new MalformedEventException("partOfDay must be VM or NM");
        }
        return new AbsenceRecord(SourceSystem.INFORMAT, requiredText(e, "eventId"),
                institution(requiredText(e, "instituteNo")), requiredText(e, "studentNo"),
                date(requiredText(e, "date")), part, code, null,
                deleted ? null : text(e, "remark"), instant(requiredText(e, "timestamp"), "timestamp"),
                optionalText(e, "registeredBy"), loc.asInt(), null);
    }

    public JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new MalformedEventException("the body is empty");
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new MalformedEventException("the body must be a JSON object");
            }
            // valid JSON, but PostgreSQL's jsonb cannot hold a NUL character: the sender's fault, said as such
            if (mayHoldNul(body) && node.toString().contains("\\u0000")) {
                throw new MalformedEventException("the body contains a NUL character (\\u0000)");
            }
            return node;
        } catch (IOException ex) {
            throw new MalformedEventException("the body is not valid JSON");
        }
    }

    /** Whether the body has the escape of a NUL character somewhere (a quick look before the exact one). */
    private static boolean mayHoldNul(byte[] body) {
        for (int i = 0; i + 5 < body.length; i++) {
            if (body[i] == '\\' && (body[i + 1] == 'u' || body[i + 1] == 'U') && body[i + 2] == '0' && body[i + 3] == '0'
                    && body[i + 4] == '0' && body[i + 5] == '0') {
                return true;
            }
        }
        return false;
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
        if (s.length() > 100) {
            throw new MalformedEventException(field + " is too long");
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

    /**
     * A registration moment; vendors without an offset write Belgian local time. Kept to the microsecond,
     * the database's precision, so that a moment read back compares equal to the one stored.
     */
    private static OffsetDateTime instant(String s, String field) {
        try {
            return be.absencebridge.domain.VendorTime.parse(s);
        } catch (DateTimeParseException ex) {
            throw new MalformedEventException(field + " must be an ISO-8601 date-time");
        }
    }
}
