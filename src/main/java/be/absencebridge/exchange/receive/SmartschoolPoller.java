package be.absencebridge.exchange.receive;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.domain.FlemishSchoolCalendar;
import be.absencebridge.domain.SchoolYear;
import be.absencebridge.domain.SourceSystem;
import be.absencebridge.vendor.smartschool.SmartschoolSoapClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The safety net for lost Smartschool pushes: reads the register of today and a few recent instruction days
 * through the SOAP web service and stores what it has not seen before (an id derived from the content, the same as
 * a push of that registration gets). The SOAP answer carries no account: the bridge's own writes read back this way
 * are recognised by the decision, as equal to what it wrote.
 */
@Component("smartschoolPoller")
public class SmartschoolPoller {

    private static final Logger LOG = LoggerFactory.getLogger(SmartschoolPoller.class);
    private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

    private final SmartschoolSoapClient soap;
    private final Inbox inbox;
    private final InboundEvents events;
    private final ObjectMapper json;
    private final Clock clock;
    private final int days;

    public SmartschoolPoller(SmartschoolSoapClient soap, Inbox inbox, InboundEvents events, ObjectMapper json, Clock clock,
                             BridgeProperties props) {
        this.soap = soap;
        this.inbox = inbox;
        this.events = events;
        this.json = json;
        this.clock = clock;
        this.days = props.pollers().smartschoolDays();
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
            for (SmartschoolSoapClient.Cell cell : soap.readDay(date)) {
                read++;
                ObjectNode event = event(cell);
                if (readable(event)) {
                    ids.add(event.path("eventId").asText());
                    readable.add(event);
                }
            }
            fresh.addAll(inbox.storeAll(SourceSystem.SMARTSCHOOL, "POLL", ids, readable));
        }
        if (!fresh.isEmpty()) {
            LOG.info("Smartschool register: {} half-days read, {} new to the inbox", read, fresh.size());
        }
        return fresh;
    }

    /** A register cell in the push's shape, named by its content as its push is. */
    public ObjectNode event(SmartschoolSoapClient.Cell c) {
        JsonNode cell = c.cell();
        ObjectNode event = json.createObjectNode();
        event.put("eventId", ContentId.smartschoolCell(c.internalNumber(), c.date(), c.part(), cell));
        event.put("internalNumber", c.internalNumber());
        event.put("institutionNumber", c.institutionNumber());
        event.put("registrationNumber", c.registrationNumber());
        event.put("date", c.date().toString());
        event.put("part", c.part());
        event.set("code", cell.get("code"));
        event.set("alias", cell.get("alias"));
        event.set("motivation", cell.get("motivation"));
        event.set("registeredAt", cell.get("registeredAt"));
        event.putNull("registeredBy");
        return event;
    }

    private boolean readable(JsonNode event) {
        try {
            events.read(SourceSystem.SMARTSCHOOL, event);
            return true;
        } catch (MalformedEventException e) {
            LOG.warn("Smartschool register: unreadable half-day skipped ({})", e.getMessage());
            return false;
        }
    }
}
