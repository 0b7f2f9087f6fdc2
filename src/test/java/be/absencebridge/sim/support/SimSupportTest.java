package be.absencebridge.sim.support;

import be.absencebridge.domain.FlemishSchoolCalendar;
import be.absencebridge.exchange.receive.InvalidSignatureException;
import be.absencebridge.exchange.receive.WebhookSignature;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The simulators' own school world and wire code: the calendar against DOMAIN.md's dates and, as a second reading of
 * the same rule, against the product's calendar over a century of school years; the SOAP reader on what PHP's clients
 * send; the push signature against what the product's receiver checks.
 */
class SimSupportTest {

    private static LocalDate d(String s) {
        return LocalDate.parse(s);
    }

    @Test
    void theCalendarOf2026_27IsDomainMdsList() {
        SchoolCalendar cal = new SchoolCalendar(SchoolYear.parse("2026-27"));
        // DOMAIN.md: start Tuesday 1 September 2026; autumn 2-8 November; 11 November; Christmas 21 December-3 January;
        // carnival 8-14 February 2027; Easter (28 March) holidays 29 March-11 April; Ascension 6-7 May; Whit Monday 17 May;
        // last day 30 June 2027
        List<String[]> off = List.of(new String[] {"2026-11-02", "2026-11-08"}, new String[] {"2026-11-11", "2026-11-11"},
                new String[] {"2026-12-21", "2027-01-03"}, new String[] {"2027-02-08", "2027-02-14"},
                new String[] {"2027-03-29", "2027-04-11"}, new String[] {"2027-05-06", "2027-05-07"},
                new String[] {"2027-05-17", "2027-05-17"}, new String[] {"2027-05-01", "2027-05-01"});
        for (LocalDate day = d("2026-09-01"); !day.isAfter(d("2027-06-30")); day = day.plusDays(1)) {
            LocalDate x = day;
            boolean holiday = off.stream().anyMatch(p -> !x.isBefore(d(p[0])) && !x.isAfter(d(p[1])));
            boolean weekend = x.getDayOfWeek().getValue() >= 6;
            assertThat(cal.isInstructionDay(x)).as(x.toString()).isEqualTo(!holiday && !weekend);
            assertThat(cal.isInstruction(x, HalfDay.PM)).as(x + " afternoon")
                    .isEqualTo(!holiday && !weekend && x.getDayOfWeek().getValue() != 3);
        }
        assertThat(cal.isInstructionDay(d("2026-08-31"))).isFalse();
        assertThat(cal.isInstructionDay(d("2027-07-01"))).isFalse();
        assertThat(cal.instructionHalfDays().get(0)).isEqualTo(new SchoolCalendar.Slot(d("2026-09-01"), HalfDay.AM));
        assertThat(cal.instructionDaysUpTo(d("2026-11-10"), 3)).containsExactly(d("2026-11-10"), d("2026-11-09"), d("2026-10-30"));
    }

    @Test
    void easterAfterTheFifteenthOfAprilAndAChristmasOnAWeekend() {
        // 2024-25: Easter 20 April 2025, holidays from the 2nd Monday before Easter (7 April), Easter Monday 21 April off;
        // 1 November 2024 on a Friday (autumn 28 October-3 November); Christmas on a Wednesday (from 23 December)
        SchoolCalendar y24 = new SchoolCalendar(SchoolYear.parse("2024-25"));
        assertThat(SchoolCalendar.easter(2025)).isEqualTo(d("2025-04-20"));
        assertThat(y24.isInstructionDay(d("2025-04-04"))).isTrue();
        assertThat(y24.isInstructionDay(d("2025-04-07"))).isFalse();
        assertThat(y24.isInstructionDay(d("2025-04-18"))).isFalse();
        assertThat(y24.isInstructionDay(d("2025-04-21"))).as("Easter Monday").isFalse();
        assertThat(y24.isInstructionDay(d("2025-04-22"))).isTrue();
        assertThat(y24.isInstructionDay(d("2024-10-28"))).isFalse();
        assertThat(y24.isInstructionDay(d("2024-11-04"))).isTrue();
        assertThat(y24.isInstructionDay(d("2024-12-20"))).isTrue();
        assertThat(y24.isInstructionDay(d("2024-12-23"))).isFalse();
        assertThat(y24.isInstructionDay(d("2025-01-06"))).isTrue();
        // 2021-22: Christmas 2021 on a Saturday, holidays from Monday 27 December; 1 November 2020 on a Sunday: from 2 November
        SchoolCalendar y21 = new SchoolCalendar(SchoolYear.parse("2021-22"));
        assertThat(y21.isInstructionDay(d("2021-12-24"))).isTrue();
        assertThat(y21.isInstructionDay(d("2021-12-27"))).isFalse();
        assertThat(y21.isInstructionDay(d("2022-01-10"))).isTrue();
        SchoolCalendar y20 = new SchoolCalendar(SchoolYear.parse("2020-21"));
        assertThat(y20.isInstructionDay(d("2020-10-30"))).isTrue();
        assertThat(y20.isInstructionDay(d("2020-11-02"))).isFalse();
        assertThat(y20.isInstructionDay(d("2020-11-09"))).isTrue();
    }

    /**
     * Two readings of the same rule, written apart (the simulators' from DOMAIN.md's text, the product's its own): they
     * agree on every half-day of a century of school years, so a test comparing a simulator's calendar with the product's
     * checks something.
     */
    @Test
    void theSimulatorsCalendarAgreesWithTheProductsOverACentury() {
        for (int start = 2000; start < 2100; start++) {
            SchoolCalendar mine = new SchoolCalendar(new SchoolYear(start));
            FlemishSchoolCalendar product = new FlemishSchoolCalendar(new be.absencebridge.domain.SchoolYear(start));
            List<String> a = new ArrayList<>();
            mine.instructionHalfDays().forEach(s -> a.add(s.date() + s.part().informat()));
            List<String> b = new ArrayList<>();
            product.instructionHalfDays().forEach(s -> b.add(s.date() + s.part().informat()));
            assertThat(a).as("school year %d", start).isEqualTo(b);
        }
    }

    @Test
    void theSchoolYearAndTheHalfDay() {
        assertThat(SchoolYear.parse(" 2026-27 ")).isEqualTo(new SchoolYear(2026));
        assertThat(new SchoolYear(2099).toString()).isEqualTo("2099-00");
        assertThat(new SchoolYear(2008).toString()).isEqualTo("2008-09");
        for (String bad : Arrays.asList(null, "2026-28", "2026", "2026/27", "２０２６-27", "2026-27x")) {
            assertThatThrownBy(() -> SchoolYear.parse(bad)).as(String.valueOf(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        SchoolYear y = new SchoolYear(2026);
        assertThat(y.isCompulsory(d("2021-12-31"))).isTrue();
        assertThat(y.isCompulsory(d("2022-01-01"))).isFalse();
        assertThat(HalfDay.fromInformat("NM")).isEqualTo(HalfDay.PM);
        assertThat(HalfDay.fromSmartschool("am").informat()).isEqualTo("VM");
        assertThatThrownBy(() -> HalfDay.fromInformat("vm")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Codes.official("T")).isEqualTo("R");
        assertThat(Codes.official("L")).isNull();
        assertThat(Codes.informatMain("W")).isTrue();
        assertThat(Codes.informatMain("Z01")).isFalse();
        assertThat(Codes.smartschool("Q")).isTrue();
        assertThat(Codes.smartschool("X")).isFalse();
    }

    private static byte[] envelope(String call) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\""
                + " xmlns:ns1=\"urn:x\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
                + "<SOAP-ENV:Header><ns1:trace>ignored</ns1:trace></SOAP-ENV:Header><SOAP-ENV:Body>" + call
                + "</SOAP-ENV:Body></SOAP-ENV:Envelope>").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aSoapCallNamedOrPositional() throws Exception {
        List<String> parts = List.of("accesscode", "date");
        SoapCall positional = SoapCall.read(envelope("<ns1:getAbsentsByDate><param0 xsi:type=\"xsd:string\">a&amp;b</param0>"
                + "<param1 xsi:type=\"xsd:string\"><![CDATA[2026-11-26]]></param1></ns1:getAbsentsByDate>"));
        assertThat(positional.method()).isEqualTo("getAbsentsByDate");
        assertThat(positional.in(parts)).containsExactly("a&b", "2026-11-26");
        SoapCall named = SoapCall.read(envelope("<ns1:getAbsentsByDate><date>2026-11-26</date><accesscode xsi:nil=\"true\"/>"
                + "</ns1:getAbsentsByDate>"));
        assertThat(named.in(parts)).containsExactly(null, "2026-11-26");
        assertThat(SoapCall.read(envelope("<ns1:getAbsentsByDate><param1>x</param1></ns1:getAbsentsByDate>")).in(parts))
                .as("positional names out of order").isNull();
        assertThat(SoapCall.read(envelope("<ns1:getAbsentsByDate><param0>a</param0><param1>b</param1><param2>c</param2>"
                + "</ns1:getAbsentsByDate>")).in(parts)).as("more arguments than parts").isNull();
        assertThat(SoapCall.read(envelope("<ns1:returnJsonErrorCodes/>")).in(List.of())).isEmpty();
        for (String bad : List.of("", "<not-xml", "<a>no envelope</a>",
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><SOAP-ENV:Envelope"
                        + " xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Body><m>&e;</m></SOAP-ENV:Body></SOAP-ENV:Envelope>",
                "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Header/></SOAP-ENV:Envelope>",
                "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Body/></SOAP-ENV:Envelope>",
                "<Envelope xmlns=\"http://www.w3.org/2003/05/soap-envelope\"><Body><m/></Body></Envelope>")) {
            assertThatThrownBy(() -> SoapCall.read(bad.getBytes(StandardCharsets.UTF_8))).as(bad).isInstanceOf(SoapCall.Unreadable.class);
        }
    }

    @Test
    void soapAnswersAsPhpsSoapServerWritesThem() throws Exception {
        String ok = SoapCall.result("getAbsentsByDate", "https://school.smartschool.be/Webservices/V3", "{\"a\":\"<b>&\"}");
        assertThat(ok).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .contains("<ns1:getAbsentsByDateResponse><return xsi:type=\"xsd:string\">{\"a\":\"&lt;b&gt;&amp;\"}</return>")
                .contains("xmlns:ns1=\"https://school.smartschool.be/Webservices/V3\"");
        // the product's client reads the simulator's answer: two independent halves of one wire format
        assertThat(be.absencebridge.vendor.smartschool.SoapEnvelope.parseResponse(ok.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("{\"a\":\"<b>&\"}");
        assertThat(SoapCall.integerResult("m", "urn:x", 8)).contains("<return xsi:type=\"xsd:int\">8</return>");
        String fault = SoapCall.fault("SOAP-ENV:Client", "no such method <x>");
        assertThat(fault).contains("<SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode><faultstring>no such method &lt;x&gt;</faultstring>");
        assertThatThrownBy(() -> be.absencebridge.vendor.smartschool.SoapEnvelope.parseResponse(fault.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(be.absencebridge.vendor.smartschool.SoapEnvelope.SoapFaultException.class);
    }

    @Test
    void thePushSignatureIsTheOneTheProductChecks() {
        byte[] body = "{\"eventId\":\"e1\",\"code\":\"Z\"}".getBytes(StandardCharsets.UTF_8);
        PushSigner signer = new PushSigner("sim-smartschool-webhook-secret");
        assertThat(signer.signBody(body)).matches("sha256=[0-9a-f]{64}");
        WebhookSignature product = new WebhookSignature("sim-smartschool-webhook-secret");
        java.time.Instant sent = java.time.Instant.ofEpochSecond(1700000000L);
        java.time.Duration tolerance = java.time.Duration.ofMinutes(5);
        assertThat(signer.signTimestamped(1700000000L, body)).isEqualTo(product.sign(1700000000L, body));
        product.verify(body, "1700000000", signer.signTimestamped(1700000000L, body), sent.plusSeconds(300), tolerance);
        assertThatThrownBy(() -> new WebhookSignature("another").verify(body, "1700000000",
                signer.signTimestamped(1700000000L, body), sent, tolerance)).isInstanceOf(InvalidSignatureException.class);
        // the older scheme (the body alone) is refused
        assertThatThrownBy(() -> product.verify(body, "1700000000", signer.signBody(body), sent, tolerance))
                .isInstanceOf(InvalidSignatureException.class);
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        assertThat(new PushSigner("Jefe").signBody("what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        // CONTRACTS.md's form signs "<timestamp>.<body>"
        assertThat(signer.signTimestamped(1700000000L, body))
                .isEqualTo(signer.signBody(("1700000000." + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(signer.signBody(body));
        assertThatThrownBy(() -> new PushSigner(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBodyLimitRefusesADeclaredLengthAtOnceAndCountsAChunkedBody() throws Exception {
        BodyLimitFilter filter = new BodyLimitFilter(10);
        org.springframework.mock.web.MockHttpServletRequest declared = new org.springframework.mock.web.MockHttpServletRequest("POST", "/sim/x");
        declared.setContent(new byte[11]);
        org.springframework.mock.web.MockHttpServletResponse refused = new org.springframework.mock.web.MockHttpServletResponse();
        filter.doFilter(declared, refused, (rq, rs) -> {
            throw new AssertionError("a body declared too large is not passed on");
        });
        assertThat(refused.getStatus()).isEqualTo(413);
        assertThat(refused.getContentType()).isEqualTo("application/problem+json");
        assertThat(refused.getContentAsString()).contains("\"status\":413");

        // chunked: no length declared, so the body is counted as it is read
        org.springframework.mock.web.MockHttpServletRequest chunked = new org.springframework.mock.web.MockHttpServletRequest("POST", "/sim/x") {
            @Override
            public long getContentLengthLong() {
                return -1;
            }
        };
        chunked.setContent(new byte[11]);
        assertThatThrownBy(() -> filter.doFilter(chunked, new org.springframework.mock.web.MockHttpServletResponse(),
                (rq, rs) -> rq.getInputStream().readAllBytes())).isInstanceOf(BodyLimitFilter.TooLarge.class);
        org.springframework.mock.web.MockHttpServletRequest small = new org.springframework.mock.web.MockHttpServletRequest("POST", "/sim/x") {
            @Override
            public long getContentLengthLong() {
                return -1;
            }
        };
        small.setContent(new byte[10]);
        byte[][] read = new byte[1][];
        filter.doFilter(small, new org.springframework.mock.web.MockHttpServletResponse(), (rq, rs) -> read[0] = rq.getInputStream().readAllBytes());
        assertThat(read[0]).hasSize(10);
    }
}
