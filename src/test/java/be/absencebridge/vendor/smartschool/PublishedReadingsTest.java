package be.absencebridge.vendor.smartschool;

import be.absencebridge.domain.SchoolYear;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the public sources disagree on an answer's shape, every reading is taken (CONTRACTS.md; the sources are in the
 * README's simulator chapter). The simulators answer each reading too: {@code SchoolBoardTest} runs the adapters against
 * them over SOAP.
 */
class PublishedReadingsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aClassesSchoolYearDataIsOneObjectOrAnArrayOfClassRecords() throws Exception {
        SchoolYear year = SchoolYear.parse("2026-27");
        assertThat(SmartschoolDirectory.instituteNumber(JSON.readTree("{\"instituteNumber\":\"123456\"}"), year)).isEqualTo("123456");
        assertThat(SmartschoolDirectory.instituteNumber(JSON.readTree("""
                [{"id":1,"schoolyear":"2025-2026","instituteNumber":"111111","administrativeGroupNumber":6246},
                 {"id":2,"schoolyear":"2026-2027","instituteNumber":123456,"administrativeGroupNumber":6246}]"""), year))
                .as("the record of the school year, a number read as text").isEqualTo("123456");
        assertThat(SmartschoolDirectory.instituteNumber(JSON.readTree("[{\"schoolyear\":\"2024-2025\",\"instituteNumber\":\"222222\"}]"), year))
                .as("no record of the year: the last").isEqualTo("222222");
        assertThat(SmartschoolDirectory.instituteNumber(JSON.readTree("[]"), year)).isEmpty();
    }

    @Test
    void aPupilsBasisrolIsTheTextLeerlingOrTheNumberOne() throws Exception {
        assertThat(SmartschoolDirectory.pupil(JSON.readTree("\"leerling\""))).isTrue();
        assertThat(SmartschoolDirectory.pupil(JSON.readTree("1"))).isTrue();
        assertThat(SmartschoolDirectory.pupil(JSON.readTree("\"1\""))).isTrue();
        assertThat(SmartschoolDirectory.pupil(JSON.readTree("0"))).as("a teacher").isFalse();
        assertThat(SmartschoolDirectory.pupil(JSON.readTree("\"leerkracht\""))).isFalse();
        assertThat(SmartschoolDirectory.pupil(JSON.readTree("30"))).as("management").isFalse();
    }

    /** Every published error code (1 to 57) has its kind; the ones the link meets most say what to do. */
    @Test
    void everyPublishedErrorCodeIsClassified() {
        assertThat(SmartschoolErrors.published()).isEqualTo(57);
        for (int code = 1; code <= 57; code++) {
            assertThat(SmartschoolErrors.of(code).kind()).as("code %d", code).isNotEqualTo(SmartschoolErrors.Kind.UNPUBLISHED);
        }
        assertThat(SmartschoolErrors.of(8).kind()).isEqualTo(SmartschoolErrors.Kind.CREDENTIAL);
        assertThat(SmartschoolErrors.of(9).kind()).isEqualTo(SmartschoolErrors.Kind.UNKNOWN_USER);
        assertThat(SmartschoolErrors.of(12).kind()).isEqualTo(SmartschoolErrors.Kind.UNKNOWN_USER);
        assertThat(SmartschoolErrors.of(10).kind()).isEqualTo(SmartschoolErrors.Kind.VENDOR_FAULT);
        assertThat(SmartschoolErrors.of(23).kind()).isEqualTo(SmartschoolErrors.Kind.VENDOR_FAULT);
        assertThat(SmartschoolErrors.of(49).kind()).isEqualTo(SmartschoolErrors.Kind.BAD_INPUT);
        assertThat(SmartschoolErrors.of(56).kind()).isEqualTo(SmartschoolErrors.Kind.BAD_INPUT);
        assertThat(SmartschoolErrors.of(58).kind()).isEqualTo(SmartschoolErrors.Kind.UNPUBLISHED);
        assertThat(new SmartschoolSoap.ErrorCodeException("getAbsentsWithAliasByDate", 49).getMessage())
                .contains("error code 49").contains("the date is not valid");
    }
}
