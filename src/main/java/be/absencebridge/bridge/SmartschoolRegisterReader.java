package be.absencebridge.bridge;

import be.absencebridge.bridge.AbsenceRecord.SourceSystem;
import be.absencebridge.domain.FlemishSchoolCalendar;
import be.absencebridge.domain.SchoolYear;
import be.absencebridge.soap.SoapEnvelope;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The safety net for lost Smartschool pushes: reads the register of today and a few recent instruction days
 * through the SOAP web service ({@code getAbsentsWithAliasByDate}) and stores what it has not seen before
 * (an id derived from the content). The SOAP answer carries no account: the bridge's own writes read back
 * this way are recognised by the decision, as equal to what it wrote.
 */
@Component("smartschoolRegisterReader")
public class SmartschoolRegisterReader {

    private static final Logger LOG = LoggerFactory.getLogger(SmartschoolRegisterReader.class);
    private static final String NAMESPACE = "https://school.smartschool.be/Webservices/V3";
    private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

    private final VendorHttp http;
    private final Inbox inbox;
    private final InboundEvents events;
    private final SmartschoolDirectory directory;
    private final ObjectMapper json;
    private final Clock clock;
    private final String baseUrl;
    private final String accesscode;
    private final int days;

    public SmartschoolRegisterReader(VendorHttp http, Inbox inbox, InboundEvents events, SmartschoolDirectory directory, ObjectMapper json,
                                     Clock clock, @Value("${bridge.smartschool.base-url}") String baseUrl,
                                     @Value("${bridge.smartschool.accesscode}") String accesscode,
                                     @Value("${bridge.pollers.smartschool-days:3}") int days) {
        this.http = http;
        this.inbox = inbox;
        this.events = events;
        this.directory = directory;
        this.json = json;
        this.clock = clock;
        this.baseUrl = baseUrl;
        this.accesscode = accesscode;
        this.days = days;
    }

    /** Reads the recent days; returns the inbox ids of the registrations not stored before. */
    public List<Long> poll() throws Exception {
        LocalDate today = LocalDate.now(clock.withZone(BRUSSELS));
        FlemishSchoolCalendar calendar = new FlemishSchoolCalendar(SchoolYear.of(today));
        List<Long> fresh = new ArrayList<>();
        int read = 0;
        for (LocalDate date : calendar.instructionDaysUpTo(today, days)) {
            List<String> ids = new ArrayList<>();
            List<JsonNode> readable = new ArrayList<>();
            for (Cell cell : readDay(date)) {
                read++;
                if (readable(cell)) {
                    ids.add(cell.event().path("eventId").asText());
                    readable.add(cell.event());
                }
            }
            fresh.addAll(inbox.storeAll(SourceSystem.SMARTSCHOOL, "POLL", ids, readable));
        }
        if (!fresh.isEmpty()) {
            LOG.info("Smartschool register: {} half-days read, {} new to the inbox", read, fresh.size());
        }
        return fresh;
    }

    /** One registered half-day of the register, with the pupil's identity and the cell in the push's shape. */
    public record Cell(String institutionNumber, String registrationNumber, String part, String code, ObjectNode event) {
    }

    /**
     * The register of one day through the SOAP web service ({@code getAbsentsWithAliasByDate}), for the
     * pollers and the backfill: every registered half-day of a pupil Smartschool's pupil list knows.
     */
    public List<Cell> readDay(LocalDate date) throws Exception {
        byte[] response = http.postXml(baseUrl + "/Webservices/V3",
                SoapEnvelope.request("getAbsentsWithAliasByDate", NAMESPACE, accesscode, date.toString()),
                NAMESPACE + "#getAbsentsWithAliasByDate");
        JsonNode register = json.readTree(SoapEnvelope.parseResponse(response));
        List<Cell> cells = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = register.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> pupil = it.next();
            String[] identity = directory.identity(pupil.getKey());
            if (identity == null) {
                continue;
            }
            for (String part : List.of("am", "pm")) {
                JsonNode cell = pupil.getValue().get(part);
                if (cell != null && !cell.isNull()) {
                    cells.add(new Cell(identity[0], identity[1], part, cell.path("code").asText(null),
                            event(pupil.getKey(), identity, date, part, cell)));
                }
            }
        }
        return cells;
    }

    private ObjectNode event(String internal, String[] identity, LocalDate date, String part, JsonNode cell) {
        ObjectNode event = json.createObjectNode();
        event.put("eventId", ContentId.smartschoolCell(internal, date, part, cell));
        event.put("internalNumber", internal);
        event.put("institutionNumber", identity[0]);
        event.put("registrationNumber", identity[1]);
        event.put("date", date.toString());
        event.put("part", part);
        event.set("code", cell.get("code"));
        event.set("alias", cell.get("alias"));
        event.set("motivation", cell.get("motivation"));
        event.set("registeredAt", cell.get("registeredAt"));
        event.putNull("registeredBy");
        return event;
    }

    private boolean readable(Cell cell) {
        try {
            events.read(SourceSystem.SMARTSCHOOL, cell.event());
            return true;
        } catch (MalformedEventException e) {
            LOG.warn("Smartschool register: unreadable half-day skipped ({})", e.getMessage());
            return false;
        }
    }
}
