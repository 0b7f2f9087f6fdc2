package be.absencebridge.vendor.smartschool;

import be.absencebridge.exchange.ExchangeProperties;
import be.absencebridge.exchange.deliver.DeliveryBatch;
import be.absencebridge.exchange.deliver.DeliveryOutcome;

import be.absencebridge.exchange.deliver.Delivery;
import be.absencebridge.exchange.deliver.VendorThrottledException;
import be.absencebridge.exchange.deliver.VendorUnavailableException;
import be.absencebridge.vendor.informat.InformatDirectory;

import be.absencebridge.domain.AbsenceCodes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Smartschool's write for a batch of deliveries of one platform (its partner endpoint {@code partner/v1/absences},
 * pupils by username, the platform's access code as bearer token), the lane a row takes, and the meaning of its per-cell answer. An absence
 * cleared in Informat leaves an empty half-day there, which means present: Smartschool gets the official
 * presence {@code |} (except for non-compulsory kindergarten pupils, whose half-day is cleared).
 */
@Component("smartschoolWriter")
public class SmartschoolWriter {

    private final SmartschoolDirectory directory;
    private final InformatDirectory informat;
    private final ObjectMapper json;

    private final Platforms platforms;

    public SmartschoolWriter(SmartschoolDirectory directory, InformatDirectory informat, ObjectMapper json, Platforms platforms) {
        this.directory = directory;
        this.informat = informat;
        this.json = json;
        this.platforms = platforms;
    }

    /** The exchange property that names the platform's write for the call route. */
    static final String CALL_URL = "bridgeCallUrl";

    /**
     * The delivery lane of an outbox row ({@code seda:deliver-<lane>}): Informat's, or the lane of the Smartschool
     * platform that holds the institution ({@code smartschool-<platform>}); a row on no configured platform goes to
     * the lane that refuses it with the reason.
     */
    public String lane(String target, String institutionNumber) throws IOException {
        if (!"smartschool".equals(target)) {
            return target;
        }
        String platform = directory.platformOf(institutionNumber);
        return platform == null || platforms.get(platform) == null ? "smartschool" : "smartschool-" + platform;
    }

    /**
     * An outbox row of the hand-off to delivery ({@code id}, {@code target}, {@code institution}): its lane in
     * {@code bridgeTarget}, its id as the body. (A bean step, bound once: a {@code method} expression with parameters
     * made Camel introspect this class on every row.)
     */
    public void toLane(Exchange exchange) throws IOException {
        java.util.Map<?, ?> row = exchange.getMessage().getBody(java.util.Map.class);
        Object institution = row.get("institution");
        exchange.setProperty("bridgeTarget", lane(String.valueOf(row.get("target")), institution == null ? null : institution.toString()));
        exchange.getMessage().setBody(row.get("id"));
    }

    /** The rows of the lane for rows on no configured platform: refused for good, with the reason. */
    public void onNoPlatform(Exchange exchange) {
        DeliveryBatch batch = exchange.getProperty(ExchangeProperties.BATCH, DeliveryBatch.class);
        for (DeliveryBatch.Item item : batch.getItems()) {
            if (item.result().isPending()) {
                item.result().refuse("the pupil's institution is on no configured Smartschool platform");
            }
        }
    }

    /**
     * The presences call for the batch's rows: one cell each, in one request (the API takes up to 1,000). A row
     * whose pupil Smartschool does not know is refused for good here, without a call; without the partner endpoints
     * every row is recorded as not carried (no public write exists), without a call.
     */
    public void prepare(Exchange exchange) throws IOException {
        DeliveryBatch batch = exchange.getProperty(ExchangeProperties.BATCH, DeliveryBatch.class);
        be.absencebridge.config.BridgeProperties.Platform platform =
                platforms.get(exchange.getProperty(ExchangeProperties.PLATFORM, String.class));
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        List<DeliveryBatch.Item> sent = new ArrayList<>(batch.getItems().size());
        List<Map<String, Object>> cells = new ArrayList<>(batch.getItems().size());
        for (DeliveryBatch.Item item : batch.getItems()) {
            if (!item.result().isPending()) {
                continue;
            }
            if (!platform.partner()) {
                item.result().set(DeliveryOutcome.NOT_CARRIED, "Smartschool publishes no write of absences (public interfaces only)");
                continue;
            }
            Delivery d = item.getDelivery();
            SmartschoolDirectory.Pupil pupil = directory.pupil(d.institutionNumber(), d.registrationNumber());
            if (pupil == null) {
                item.result().refuse("pupil not found in Smartschool");
                continue;
            }
            if (!pupil.platform().equals(platform.name())) {
                // the pupil changed school (and platform) since the row was handed out: the next hand-off takes the new lane
                item.failed(new VendorUnavailableException("the pupil is now on Smartschool platform " + pupil.platform()));
                continue;
            }
            sent.add(item);
            cells.add(cell(pupil, d));
        }
        batch.sent(sent);
        exchange.setProperty(CALL_URL, platform.baseUrl() + "/partner/v1/absences");
        m.setHeader(Exchange.HTTP_METHOD, org.apache.camel.component.http.HttpMethods.POST);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setHeader("Authorization", "Bearer " + platform.accesscode());
        m.setBody(json.writeValueAsBytes(cells));
    }

    private Map<String, Object> cell(SmartschoolDirectory.Pupil pupil, Delivery d) throws IOException {
        String code = d.officialCode() == null ? null : d.smartschoolCode();
        if (code == null) {
            // an empty Informat half-day means present, except where Informat stores presences (rule 6)
            InformatDirectory.Student s = informat.studentOn(d.institutionNumber(), d.registrationNumber(), d.date());
            code = s != null && s.presenceStored(d.date()) ? null : AbsenceCodes.PRESENT;
        }
        Map<String, Object> cell = new LinkedHashMap<>();
        cell.put("username", pupil.username());
        cell.put("date", d.date().toString());
        cell.put("part", d.part().smartschool());
        cell.put("code", code);
        cell.put("alias", code == null ? null : d.smartschoolAlias());
        cell.put("motivation", code == null ? null : d.text());
        // RFC 3339: seconds always written (OffsetDateTime.toString leaves out zero seconds)
        cell.put("registeredAt", java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(d.registeredAt()));
        return cell;
    }

    /**
     * The answer, one result per cell in the order sent. Retryable statuses throw (every row of the call waits); a
     * refusal of the whole call is final for a call of one cell, and makes a larger batch go again one cell a call,
     * so one bad cell cannot hold back or dead-letter the others.
     */
    public void outcome(Exchange exchange) throws IOException {
        DeliveryBatch batch = exchange.getProperty(ExchangeProperties.BATCH, DeliveryBatch.class);
        List<DeliveryBatch.Item> sent = batch.sent();
        Message m = exchange.getMessage();
        int status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (VendorUnavailableException.retryable(status)) {
            VendorUnavailableException e = VendorUnavailableException.answered("Smartschool", status, m.getHeader("Retry-After"));
            if (e instanceof VendorThrottledException) {
                // a vendor that is up and asks for time: the rows wait, the circuit breaker counts no failure
                sent.forEach(i -> i.failed(e));
                return;
            }
            throw e;
        }
        if (status != 200) {
            if (sent.size() == 1) {
                sent.get(0).result().refuse("Smartschool refused: " + status);
            } else {
                batch.markRefusedAsWhole();
            }
            return;
        }
        JsonNode results;
        try {
            results = json.readTree(m.getBody(byte[].class));
        } catch (IOException e) {
            throw new VendorUnavailableException("Smartschool answered an unreadable body");
        }
        if (results == null || !results.isArray() || results.size() != sent.size()) {
            throw new VendorUnavailableException("Smartschool answered " + (results == null || !results.isArray() ? "no list of results"
                    : results.size() + " results for " + sent.size() + " cells"));
        }
        for (int i = 0; i < sent.size(); i++) {
            DeliveryBatch.Item item = sent.get(i);
            JsonNode result = results.get(i);
            String cellStatus = result.path("status").asText("");
            switch (cellStatus) {
                case "saved", "unchanged" -> item.result().set(DeliveryOutcome.DELIVERED, cellStatus);
                case "stale" -> item.result().set(DeliveryOutcome.TARGET_NEWER, "Smartschool holds a newer registration");
                // Smartschool's reason is its own text: stored with the dead letter, not in what leaves the product
                case "rejected" -> item.result().refuse("Smartschool rejected: " + result.path("reason").asText("no reason"),
                        "Smartschool rejected");
                default -> item.failed(new VendorUnavailableException("Smartschool answered an unexpected cell status"));
            }
        }
    }
}
