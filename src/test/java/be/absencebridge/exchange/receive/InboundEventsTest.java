package be.absencebridge.exchange.receive;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.domain.AbsenceRecord;
import be.absencebridge.domain.HalfDay;
import be.absencebridge.domain.SourceSystem;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Normalise on its own: a vendor's event into the canonical record, and what is refused with which reason. */
class InboundEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock NOON = Clock.fixed(Instant.parse("2026-11-27T11:00:00Z"), ZoneOffset.UTC);

    private final InboundEvents events = new InboundEvents(JSON, NOON, new BridgeProperties(null, null, null, null, null, null,
            null, null, null, null, new BridgeProperties.Smartschool(null, null, "s", null, java.util.Map.of("school1",
                    new BridgeProperties.PlatformSettings("http://school1", null, null, null, null, null, null))),
            new BridgeProperties.Informat(null, null, null, null, null, null, "i", null), null, null, null));

    private AbsenceRecord read(SourceSystem source, String json) throws Exception {
        return events.read(source, events.parse(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String smartschool(String fields) {
        return "{\"eventId\":\"e1\",\"internalNumber\":\"7\",\"institutionNumber\":\"123456\",\"registrationNumber\":\"1001\","
                + "\"date\":\"2026-11-26\",\"part\":\"pm\",\"code\":\"Z\",\"alias\":\"ZM\",\"motivation\":\"briefje\","
                + "\"registeredAt\":\"2026-11-26T13:05:00+01:00\",\"registeredBy\":\"leerkracht\"" + fields + "}";
    }

    @Test
    void aSmartschoolPushBecomesTheCanonicalRecord() throws Exception {
        AbsenceRecord r = read(SourceSystem.SMARTSCHOOL, smartschool(""));
        assertThat(r.source()).isEqualTo(SourceSystem.SMARTSCHOOL);
        assertThat(r.institutionNumber()).isEqualTo("123456");
        assertThat(r.registrationNumber()).isEqualTo("1001");
        assertThat(r.date()).isEqualTo(LocalDate.parse("2026-11-26"));
        assertThat(r.part()).isEqualTo(HalfDay.PM);
        assertThat(r.code()).isEqualTo("Z");
        assertThat(r.alias()).isEqualTo("ZM");
        assertThat(r.text()).isEqualTo("briefje");
        assertThat(r.internalNumber()).isEqualTo("7");
        assertThat(r.key()).as("the log key has no personal data").isEqualTo("123456/1001 2026-11-26 PM");
    }

    @Test
    void anInformatChangeWithoutOffsetIsBelgianTime() throws Exception {
        AbsenceRecord r = read(SourceSystem.INFORMAT, "{\"eventId\":\"c1\",\"personId\":\"p\",\"studentNo\":\"1001\","
                + "\"instituteNo\":\"123456\",\"locationIdDiscimus\":12345,\"date\":\"2026-10-15\",\"partOfDay\":\"VM\","
                + "\"absenceCode\":\"R03\",\"remark\":\"begrafenis\",\"timestamp\":\"2026-10-15T08:30:00\",\"deleted\":false}");
        assertThat(r.registeredAt().toInstant()).isEqualTo(OffsetDateTime.parse("2026-10-15T08:30:00+02:00").toInstant());
        assertThat(r.part()).isEqualTo(HalfDay.AM);
        assertThat(r.locationIdDiscimus()).isEqualTo(12345);
        assertThat(r.text()).isEqualTo("begrafenis");
    }

    /**
     * Two pupils' changes that differ only in the pupil's numbers, and an edit of the remark alone, are other changes
     * (the content id left them out: the second push was stored as the first and never decided); a change without a
     * person id is refused.
     */
    @Test
    void anInformatChangesContentIdTellsEveryFieldOfTheChangeApart() throws Exception {
        String item = "{\"personId\":\"p\",\"studentNo\":\"1001\",\"instituteNo\":\"123456\",\"locationIdDiscimus\":12345,"
                + "\"date\":\"2026-10-15\",\"partOfDay\":\"VM\",\"absenceCode\":\"Z\",\"remark\":null,"
                + "\"timestamp\":\"2026-10-15T08:30:00\",\"deleted\":false}";
        String id = ContentId.informatChange(JSON.readTree(item));
        assertThat(ContentId.informatChange(JSON.readTree(item))).isEqualTo(id);
        assertThat(ContentId.informatChange(JSON.readTree(item.replace("1001", "1002")))).as("another pupil's number").isNotEqualTo(id);
        assertThat(ContentId.informatChange(JSON.readTree(item.replace("123456", "654321")))).as("another school").isNotEqualTo(id);
        assertThat(ContentId.informatChange(JSON.readTree(item.replace("\"remark\":null", "\"remark\":\"ziekenhuis\""))))
                .as("the remark edited alone").isNotEqualTo(id);
        assertThatThrownBy(() -> read(SourceSystem.INFORMAT, item.replace("\"personId\":\"p\",", "")
                .replace("{", "{\"eventId\":\"c1\","))).hasMessage("personId is missing");
    }

    @Test
    void aDeletedInformatChangeIsAClearWithoutRemark() throws Exception {
        AbsenceRecord r = read(SourceSystem.INFORMAT, "{\"eventId\":\"c1\",\"personId\":\"p\",\"studentNo\":\"1001\",\"instituteNo\":\"123456\","
                + "\"locationIdDiscimus\":12345,\"date\":\"2026-10-15\",\"partOfDay\":\"NM\",\"absenceCode\":\"Z\","
                + "\"remark\":\"x\",\"timestamp\":\"2026-10-15T08:30:00+02:00\",\"deleted\":true}");
        assertThat(r.cleared()).isTrue();
        assertThat(r.text()).isNull();
    }

    @Test
    void badInputIsRefusedWithItsReason() {
        assertThatThrownBy(() -> read(SourceSystem.SMARTSCHOOL, smartschool(",\"part\":\"noon\""))).hasMessage("part must be am or pm");
        assertThatThrownBy(() -> read(SourceSystem.SMARTSCHOOL, smartschool(",\"code\":\"X\""))).hasMessage("code is not a Smartschool code");
        assertThatThrownBy(() -> read(SourceSystem.SMARTSCHOOL, smartschool(",\"institutionNumber\":\"12345\"")))
                .hasMessage("the institution number must have 6 digits");
        assertThatThrownBy(() -> read(SourceSystem.SMARTSCHOOL, smartschool(",\"registeredAt\":\"yesterday\"")))
                .hasMessage("registeredAt must be an ISO-8601 date-time");
        assertThatThrownBy(() -> events.parse("[1]".getBytes(StandardCharsets.UTF_8))).hasMessage("the body must be a JSON object");
        assertThatThrownBy(() -> events.parse(new byte[0])).hasMessage("the body is empty");
        assertThatThrownBy(() -> events.parse("{\"a\":\"\\u0000\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("the body contains a NUL character (\\u0000)");
    }

    @Test
    void aPushMustBeAboutTheCurrentSchoolYearUpToTodayAndNotFromTheFuture() throws Exception {
        events.checkPlausible(read(SourceSystem.SMARTSCHOOL, smartschool("")));
        assertThatThrownBy(() -> events.checkPlausible(read(SourceSystem.SMARTSCHOOL, smartschool(",\"date\":\"2026-11-28\""))))
                .hasMessage("date is after today");
        assertThatThrownBy(() -> events.checkPlausible(read(SourceSystem.SMARTSCHOOL, smartschool(",\"date\":\"2026-06-30\""))))
                .hasMessageStartingWith("date is outside the school years still exchanged (2026-27");
        assertThatThrownBy(() -> events.checkPlausible(read(SourceSystem.SMARTSCHOOL,
                smartschool(",\"registeredAt\":\"2026-11-27T12:30:00+01:00\"")))).hasMessage("the registration time is in the future");
    }

    /** The summer belongs to the year that ends; June stays open for previous-year-days after 1 September. */
    @Test
    void aJuneCorrectionIsTakenInTheSummerAndInSeptemberButNotAfterTheGrace() throws Exception {
        String june = ",\"date\":\"2027-06-29\",\"registeredAt\":\"2027-06-29T09:00:00+02:00\"";
        for (String today : List.of("2027-07-02T10:00:00Z", "2027-08-31T21:00:00Z", "2027-09-15T10:00:00Z", "2027-10-31T10:00:00Z")) {
            summer(today).checkPlausible(read(SourceSystem.SMARTSCHOOL, smartschool(june)));
        }
        assertThatThrownBy(() -> summer("2027-11-02T10:00:00Z").checkPlausible(read(SourceSystem.SMARTSCHOOL, smartschool(june))))
                .hasMessageStartingWith("date is outside the school years still exchanged (2027-28");
        // the new year's first day, registered on it
        summer("2027-09-01T07:00:00Z").checkPlausible(read(SourceSystem.SMARTSCHOOL,
                smartschool(",\"date\":\"2027-09-01\",\"registeredAt\":\"2027-09-01T08:30:00+02:00\"")));
    }

    private static InboundEvents summer(String now) {
        return new InboundEvents(JSON, Clock.fixed(Instant.parse(now), ZoneOffset.UTC), new BridgeProperties(null, null, null, null, null,
                null, null, null, null, new BridgeProperties.Exchange(null, null, null, null, null, null, null, 61),
                new BridgeProperties.Smartschool(null, null, "s", null, java.util.Map.of("school1",
                        new BridgeProperties.PlatformSettings("http://school1", null, null, null, null, null, null))),
                new BridgeProperties.Informat(null, null, null, null, null, null, "i", null), null, null, null));
    }
}
