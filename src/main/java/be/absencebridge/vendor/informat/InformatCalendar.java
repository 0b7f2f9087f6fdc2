package be.absencebridge.vendor.informat;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.domain.HalfDay;
import be.absencebridge.domain.SchoolYear;
import be.absencebridge.vendor.VendorHttp;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Informat's calendar of instruction half-days of a school year, in date order. */
@Component
public class InformatCalendar {

    private final VendorHttp http;
    private final String baseUrl;
    private final boolean partner;

    public InformatCalendar(VendorHttp http, BridgeProperties props) {
        this.http = http;
        this.baseUrl = props.informat().partnerUrl();
        this.partner = props.informat().partner();
    }

    /**
     * The instruction half-days of the school year, per date, in date order: Informat's calendar through the partner
     * endpoints; with public interfaces only, computed by the Flemish rule (the public interfaces publish no calendar,
     * so a school's own free days are not known then).
     */
    public TreeMap<LocalDate, List<HalfDay>> halfDays(SchoolYear year) throws IOException {
        TreeMap<LocalDate, List<HalfDay>> slots = new TreeMap<>();
        if (!partner) {
            for (be.absencebridge.domain.FlemishSchoolCalendar.HalfDaySlot slot
                    : new be.absencebridge.domain.FlemishSchoolCalendar(year).instructionHalfDays()) {
                slots.computeIfAbsent(slot.date(), d -> new ArrayList<>()).add(slot.part());
            }
            return slots;
        }
        for (JsonNode slot : http.getArray(baseUrl + "/calendar?schoolYear=" + year)) {
            slots.computeIfAbsent(LocalDate.parse(slot.path("date").asText()), d -> new ArrayList<>())
                    .add(HalfDay.fromInformat(slot.path("partOfDay").asText()));
        }
        return slots;
    }

    /** The instruction days of the school year of {@code upTo}, after {@code after} (null: from the start), up to {@code upTo}. */
    public List<LocalDate> instructionDays(LocalDate after, LocalDate upTo) throws IOException {
        List<LocalDate> days = new ArrayList<>();
        for (Map.Entry<LocalDate, List<HalfDay>> e : halfDays(SchoolYear.of(upTo)).entrySet()) {
            if ((after == null || e.getKey().isAfter(after)) && !e.getKey().isAfter(upTo)) {
                days.add(e.getKey());
            }
        }
        return days;
    }
}
