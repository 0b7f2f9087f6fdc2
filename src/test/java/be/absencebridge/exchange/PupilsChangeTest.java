package be.absencebridge.exchange;

import be.absencebridge.support.BridgeTest;
import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pupils and school years change under a running bridge (DOMAIN.md "Pupils and school years change"): a pupil one
 * package does not know waits and is parked only after its wait, a day outside the enrolment is a decision, and the
 * summer belongs to the year that ends (June corrections made in July and September cross). The pupils' copies are
 * kept as in production (not read again on every look as in the other tests): a pupil not found makes them read,
 * and the scheduled read comes every 30 s of the (test) clock.
 */
// a context of its own beside the other tests' one, in the same JVM: its Camel servlet needs a name of its own
@org.springframework.test.context.TestPropertySource(properties = {"bridge.directory-refresh=30s",
        "camel.servlet.mapping.servlet-name=CamelServletPupils", "camel.component.servlet.servlet-name=CamelServletPupils"})
// a context of its own, closed after the class: its pollers and timers do not run on beside the later tests
@org.springframework.test.annotation.DirtiesContext
class PupilsChangeTest extends BridgeTest {

    @org.springframework.beans.factory.annotation.Autowired
    private be.absencebridge.exchange.gate.Directories directories;

    @org.springframework.beans.factory.annotation.Autowired
    private be.absencebridge.exchange.gate.LinkSettings linkSettings;

    /**
     * Every test seeds the simulators anew, and the simulators number new enrolments from the seed: a registration
     * number another test gave a pupil comes back for someone else, which a school never does. The bridge's copies are
     * read again after the seed, so that no test meets the people of the one before.
     */
    @org.junit.jupiter.api.BeforeEach
    void copiesOfThisWorld() {
        directories.refresh();
    }

    /** A signed Smartschool push, as a platform sends it, for the pupil of {@code internal}. */
    private Http.Response push(String internal, String institution, String registration, String date, String code, String registeredAt) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", "pupils-" + System.nanoTime());
        e.put("username", "leerling" + internal);
        e.put("internalNumber", internal);
        e.put("institutionNumber", institution);
        e.put("registrationNumber", registration);
        e.put("date", date);
        e.put("part", "am");
        e.put("code", code);
        e.put("alias", null);
        e.put("motivation", null);
        e.put("registeredAt", registeredAt);
        e.put("registeredBy", "leerkracht");
        byte[] body = Http.write(e).getBytes(StandardCharsets.UTF_8);
        return http.post("/api/inbound/smartschool/school1", "application/json", body, smartschoolPush().of(body));
    }

    private JsonNode audit(String institution, String registration) {
        return http.get("/api/admin/audit?institutionNumber=" + institution + "&registrationNumber=" + registration,
                "Authorization", adminAuth()).json();
    }

    @Test
    void aRecordForAPupilNobodyKnowsWaitsAndBecomesADeadLetterOnlyAfterTheWait() {
        assertThat(push("777777", "777777", "777777", "2026-11-26", "Z", "2026-11-26T09:00:00+01:00").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> audit("777777", "777777").toString().contains("WAITING_FOR_PUPIL"));
        // it waits, unprocessed, and is not a dead letter yet
        assertThat(deadLetters().toString()).doesNotContain("777777");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM inbox WHERE processed_at IS NULL AND waiting_since IS NOT NULL "
                + "AND payload->>'registrationNumber' = '777777'", Integer.class)).isEqualTo(1);
        JsonNode waiting = http.get("/api/admin/waiting", "Authorization", adminAuth()).json();
        assertThat(waiting.path("records").asInt()).isPositive();

        // three days and an hour pass in the database: its next look parks it, with the reason and how long it waited
        jdbc.update("UPDATE inbox SET waiting_since = now() - interval '73 hours', retry_at = now() "
                + "WHERE processed_at IS NULL AND payload->>'registrationNumber' = '777777'");
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters().toString().contains("777777"));
        JsonNode parked = null;
        for (JsonNode d : deadLetters()) {
            if (d.path("registrationNumber").asText().equals("777777")) {
                parked = d;
            }
        }
        assertThat(parked.path("stage").asText()).isEqualTo("GATE");
        assertThat(parked.path("reason").asText()).contains("pupil not found in Informat").contains("unknown-pupil-wait");
        assertThat(audit("777777", "777777").get(0).path("decision").asText()).isEqualTo("PARKED_UNKNOWN_PUPIL");
    }

    @Test
    void aCodeOutsideThePupilsEnrolmentIsDecidedWithItsReasonNotParked() {
        JsonNode left = java.util.stream.StreamSupport.stream(students().spliterator(), false)
                .filter(s -> !s.path("endDate").isNull() && LocalDate.parse(s.path("endDate").asText()).isBefore(LocalDate.parse("2026-11-20")))
                .findFirst().orElseThrow(() -> new AssertionError("no pupil who left before 20 November"));
        String internal = internalNumberOf(left);
        assertThat(push(internal, left.path("instituteNo").asText(), left.path("studentNo").asText(), "2026-11-26", "Z",
                "2026-11-26T09:00:00+01:00").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> decisions(left, "2026-11-26").contains("NOT_ENROLLED"));
        assertThat(audit(left.path("instituteNo").asText(), left.path("studentNo").asText()).get(0).path("detail").asText())
                .contains("outside the pupil's enrolments");
        assertThat(deadLetters().toString()).doesNotContain("\"registrationNumber\":\"" + left.path("studentNo").asText() + "\"");
        assertThat(informatCell(left.path("personId").asText(), "2026-11-26", "VM")).isNull();
    }

    @Test
    void juneCorrectionsMadeInJulyAndInSeptemberCrossToTheOtherPackage() {
        JsonNode pupil = student("secundair", true, 5);
        String internal = internalNumberOf(pupil);
        // 2 July: a teacher corrects 29 June (the year turned on 1 July before: the push got 400 and was lost)
        clock.set(Instant.parse("2027-07-02T08:00:00Z"));
        assertThat(smartschoolRegister(internal, "2027-06-29", "am", "Z", null, null).status()).isLessThan(300);
        await().atMost(Duration.ofSeconds(30)).until(() -> informatCell(pupil.path("personId").asText(), "2027-06-29", "VM") != null);
        assertThat(informatCell(pupil.path("personId").asText(), "2027-06-29", "VM").path("absenceCode").asText()).isEqualTo("Z");

        // 15 September, the new school year: the administration corrects 28 June, which Smartschool gets
        clock.set(Instant.parse("2027-09-15T08:00:00Z"));
        assertThat(informatRegister(pupil.path("personId").asText(), "2027-06-28", "NM", "R", null).status()).isLessThan(300);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode cell = smartschoolCell(internal, "2027-06-28", "pm");
            return cell != null && "R".equals(cell.path("code").asText());
        });
        assertThat(decisions(pupil, "2027-06-28")).contains("FORWARDED").doesNotContain("WAITING_FOR_PUPIL");
    }

    /** A branch of the given platform's institutions (Informat's locations, matched through the Smartschool pupils). */
    private JsonNode branchOn(String platform, int n) {
        java.util.Set<String> institutions = new java.util.TreeSet<>();
        for (JsonNode p : smartschoolPupils()) {
            if (p.path("platform").asText().equals(platform)) {
                institutions.add(p.path("institutionNumber").asText());
            }
        }
        java.util.List<JsonNode> branches = new java.util.ArrayList<>();
        for (JsonNode l : locations()) {
            if (institutions.contains(l.path("instituteNo").asText())) {
                branches.add(l);
            }
        }
        return branches.get(n);
    }

    @Test
    void aPupilEnrolledASecondAgoHasItsFirstSmartschoolCodeInInformat() {
        JsonNode e = enrol(branchOn("school1", 0).path("locationIdDiscimus").asInt(), "2026-11-27", "so", 0);
        assertThat(smartschoolRegister(e.path("internalNumber").asText(), "2026-11-27", "am", "Z", null, null).status()).isLessThan(300);
        await().atMost(Duration.ofSeconds(40)).until(() -> informatCell(e.path("personId").asText(), "2026-11-27", "VM") != null);
        assertThat(informatCell(e.path("personId").asText(), "2026-11-27", "VM").path("absenceCode").asText()).isEqualTo("Z");
        assertThat(deadLetters().toString()).doesNotContain("\"registrationNumber\":\"" + e.path("studentNo").asText() + "\"");
    }

    @Test
    void anInformatCodeWaitsForTheSmartschoolAccountThatAppears45SecondsLater() {
        JsonNode e = enrol(branchOn("school2", 0).path("locationIdDiscimus").asInt(), "2026-11-23", "so", 45);
        JsonNode student = Http.JSON.createObjectNode().put("instituteNo", e.path("instituteNo").asText())
                .put("studentNo", e.path("studentNo").asText());
        assertThat(informatRegister(e.path("personId").asText(), "2026-11-26", "VM", "R", "uitvaart").status()).isLessThan(300);
        await().atMost(Duration.ofSeconds(20)).until(() -> decisions(student, "2026-11-26").contains("WAITING_FOR_PUPIL"));
        assertThat(smartschoolCell(e.path("internalNumber").asText(), "2026-11-26", "am")).isNull();
        // Informat's link creates the account 45 s later (the simulators' clock)
        clock.advance(Duration.ofSeconds(46));
        await().atMost(Duration.ofSeconds(40)).until(() -> smartschoolCell(e.path("internalNumber").asText(), "2026-11-26", "am") != null);
        assertThat(smartschoolCell(e.path("internalNumber").asText(), "2026-11-26", "am").path("code").asText()).isEqualTo("R");
        assertThat(decisions(student, "2026-11-26")).contains("FORWARDED").doesNotContain("PARKED_UNKNOWN_PUPIL");
    }

    @Test
    void aBackfillStartedRightAfterTwoPupilsEnrolledCarriesTheirCodes() {
        JsonNode branch = branchOn("school1", 1);
        JsonNode one = enrol(branch.path("locationIdDiscimus").asInt(), "2026-11-16", "so", 0);
        JsonNode two = enrol(branch.path("locationIdDiscimus").asInt(), "2026-11-16", "lager", 0);
        // the backfill reads the pupils when it starts: with the copy of before the enrolments it would skip both
        Http.Response started = http.postJson("/api/admin/backfills", Map.of("direction", "INFORMAT_TO_SMARTSCHOOL",
                "locationIdDiscimus", branch.path("locationIdDiscimus").asInt()), "Authorization", adminAuth());
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        long id = started.json().path("id").asLong();
        await().atMost(Duration.ofSeconds(120)).until(() -> "DONE".equals(http.get("/api/admin/backfills/" + id, "Authorization",
                adminAuth()).json().path("state").asText()));
        // every empty half-day of their enrolment up to today became a presence in Smartschool (rule 3), none before it
        for (JsonNode e : java.util.List.of(one, two)) {
            JsonNode cell = smartschoolCell(e.path("internalNumber").asText(), "2026-11-18", "am");
            assertThat(cell).as("pupil enrolled just before the backfill").isNotNull();
            assertThat(cell.path("code").asText()).isEqualTo("|");
            assertThat(smartschoolCell(e.path("internalNumber").asText(), "2026-11-13", "am")).as("before the enrolment").isNull();
        }
    }

    @Test
    void aPupilWhoMovedToAnotherSchoolHasTheNextCodeUnderTheNewEnrolmentOnTheNewPlatform() {
        JsonNode pupil = student("secundair", true, 7);
        String oldInternal = internalNumberOf(pupil);
        String oldPlatform = platformOf(oldInternal);
        String otherPlatform = "school1".equals(oldPlatform) ? "school2" : "school1";
        JsonNode moved = move(pupil.path("personId").asText(), branchOn(otherPlatform, 0).path("locationIdDiscimus").asInt(),
                "2026-11-23", 0);
        assertThat(moved.path("studentNo").asText()).isNotEqualTo(pupil.path("studentNo").asText());
        assertThat(moved.path("platform").asText()).isEqualTo(otherPlatform);
        // Informat's next code for the pupil goes under the new enrolment, to the new platform's account
        assertThat(informatRegister(pupil.path("personId").asText(), "2026-11-25", "VM", "Z", null).status()).isLessThan(300);
        await().atMost(Duration.ofSeconds(40)).until(() -> smartschoolCell(moved.path("internalNumber").asText(), "2026-11-25", "am") != null);
        assertThat(smartschoolCell(oldInternal, "2026-11-25", "am")).isNull();
        // a correction of a day before the move still goes under the old enrolment, to the old platform
        assertThat(informatRegister(pupil.path("personId").asText(), "2026-11-19", "VM", "R", null).status()).isLessThan(300);
        await().atMost(Duration.ofSeconds(40)).until(() -> smartschoolCell(oldInternal, "2026-11-19", "am") != null);
        assertThat(deadLetters().toString()).doesNotContain("\"registrationNumber\":\"" + moved.path("studentNo").asText() + "\"");
    }

    @Test
    void aPupilWhoChangedBranchHasEachCodeUnderTheSwitchOfItsDaysBranch() throws Exception {
        JsonNode pupil = student("secundair", true, 9);
        String internal = internalNumberOf(pupil);
        int from = pupil.path("locationIdDiscimus").asInt();
        int to = -1;
        for (JsonNode l : locations()) {
            if (l.path("instituteNo").asText().equals(pupil.path("instituteNo").asText()) && l.path("locationIdDiscimus").asInt() != from) {
                to = l.path("locationIdDiscimus").asInt();
            }
        }
        JsonNode moved = move(pupil.path("personId").asText(), to, "2026-11-23", 0);
        assertThat(moved.path("studentNo").asText()).as("another branch of the same school").isEqualTo(pupil.path("studentNo").asText());
        // a code of a day after the move, before the bridge has read the move: written for the old branch, refused by
        // Informat (DNF011), the pupils read again, written for the new branch
        smartschoolRegister(internal, "2026-11-24", "am", "Z", null, null);
        await().atMost(Duration.ofSeconds(60)).until(() -> informatCell(pupil.path("personId").asText(), "2026-11-24", "VM") != null);
        assertThat(deadLetters().toString()).doesNotContain("\"registrationNumber\":\"" + pupil.path("studentNo").asText() + "\"");

        // the new branch has the exchange switched off in Informat, the old one on
        http.putJson("/sim/informat/admin/settings", Map.of("locationIdDiscimus", to, "exchangeAbsences", false));
        try {
            // the bridge has read the switch (rule 1 takes effect within seconds; a code registered in the same
            // millisecond may still meet the copy read just before)
            linkSettings.fresh();
            smartschoolRegister(internal, "2026-11-26", "am", "Z", null, null);
            smartschoolRegister(internal, "2026-11-19", "am", "R", null, null);
            // a day at the old branch crosses; a day at the new one is not exchanged there
            await().atMost(Duration.ofSeconds(40)).until(() -> informatCell(pupil.path("personId").asText(), "2026-11-19", "VM") != null);
            await().atMost(Duration.ofSeconds(40)).until(() -> decisions(pupil, "2026-11-26").contains("NOT_ACTIVE"));
            assertThat(audit(pupil.path("instituteNo").asText(), pupil.path("studentNo").asText()).toString())
                    .contains("absence exchange is off for branch " + to);
            assertThat(informatCell(pupil.path("personId").asText(), "2026-11-26", "VM")).isNull();
        } finally {
            http.putJson("/sim/informat/admin/settings", Map.of("locationIdDiscimus", to, "exchangeAbsences", true));
        }
    }

    /**
     * The night the school year turns, with two consecutive years seeded: the new year's pupils are read without a
     * restart, a new pupil's first code of 1 September crosses, and a June correction made in September is decided and
     * delivered; none of them waits for a person.
     */
    @Test
    void acrossTheNightOfThirtyFirstAugustTheNewYearsFirstCodeAndAJuneCorrectionCross() {
        clock.set(Instant.parse("2027-08-31T21:58:00Z"));
        http.postJson("/sim/smartschool/admin/seed", Map.of("institutions", 2, "branchesPerInstitution", 2, "pupilsPerBranch", 50,
                "schoolYears", java.util.List.of("2026-27", "2027-28"), "seed", 7));
        java.util.Set<String> lastYear = new java.util.HashSet<>();
        for (JsonNode s : http.get("/sim/informat/partner/v1/students?schoolYear=2026-27").json()) {
            lastYear.add(s.path("personId").asText());
        }
        JsonNode newcomer = null;
        JsonNode returning = null;
        for (JsonNode s : http.get("/sim/informat/partner/v1/students?schoolYear=2027-28").json()) {
            boolean secondary = s.path("level").asText().equals("secundair");
            boolean allYear = s.path("startDate").asText().equals("2027-09-01") && s.path("endDate").isNull();
            if (secondary && allYear && !lastYear.contains(s.path("personId").asText()) && newcomer == null) {
                newcomer = s;
            } else if (secondary && allYear && lastYear.contains(s.path("personId").asText()) && returning == null) {
                returning = s;
            }
        }
        assertThat(newcomer).as("a pupil new in 2027-28").isNotNull();
        assertThat(returning).as("a pupil back in 2027-28").isNotNull();
        // before midnight (Brussels) the bridge reads last year's pupils: the newcomer is nobody yet
        assertThat(http.postJson("/api/admin/reconciliations", Map.of("platform", "school1", "from", "2027-06-28", "to", "2027-06-30"),
                "Authorization", adminAuth()).status()).isEqualTo(202);

        // 1 September, 08:00 in Brussels: a teacher registers the newcomer's first morning
        clock.set(Instant.parse("2027-09-01T06:00:00Z"));
        JsonNode n = newcomer;
        String internal = null;
        for (JsonNode p : smartschoolPupils()) {
            if (p.path("institutionNumber").asText().equals(n.path("instituteNo").asText())
                    && p.path("registrationNumber").asText().equals(n.path("studentNo").asText())) {
                internal = p.path("internalNumber").asText();
            }
        }
        assertThat(internal).as("the newcomer's Smartschool account").isNotNull();
        assertThat(smartschoolRegister(internal, "2027-09-01", "am", "Z", null, null).status()).isLessThan(300);
        await().atMost(Duration.ofSeconds(40)).until(() -> informatCell(n.path("personId").asText(), "2027-09-01", "VM") != null);
        assertThat(informatCell(n.path("personId").asText(), "2027-09-01", "VM").path("absenceCode").asText()).isEqualTo("Z");

        // and the administration corrects last June for a pupil who came back: Smartschool gets it
        JsonNode r = returning;
        String back = internalNumberOf(r);
        assertThat(informatRegister(r.path("personId").asText(), "2027-06-28", "VM", "R", null).status()).isLessThan(300);
        await().atMost(Duration.ofSeconds(40)).until(() -> {
            JsonNode cell = smartschoolCell(back, "2027-06-28", "am");
            return cell != null && "R".equals(cell.path("code").asText());
        });
        assertThat(deadLetters().toString()).doesNotContain("\"registrationNumber\":\"" + n.path("studentNo").asText() + "\"")
                .doesNotContain("\"registrationNumber\":\"" + r.path("studentNo").asText() + "\"");
    }
}
