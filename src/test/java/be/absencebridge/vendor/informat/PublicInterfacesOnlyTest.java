package be.absencebridge.vendor.informat;

import be.absencebridge.sim.Population;
import be.absencebridge.sim.PopulationGenerator;
import be.absencebridge.sim.SeedRequest;
import be.absencebridge.support.BridgeTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Both vendors on their public interfaces only ({@code bridge.partner.enabled=false}): the bridge reads Smartschool's
 * register through SOAP, reads Informat's pupils from the older public pupil API (the board maps each branch's own code
 * onto its Discimus location), takes the switches as on, computes the calendar, and writes Smartschool's codes through
 * the public Student API; what the public interfaces cannot carry is recorded as such. Not one call reaches a partner
 * endpoint of either vendor.
 */
// a context of its own beside the other tests' one, in the same JVM: its Camel servlet needs a name of its own
// the pupils' copies as in production (the whole lists read once an hour of the test clock; the changes every second)
@TestPropertySource(properties = {"bridge.partner.enabled=false", "camel.servlet.mapping.servlet-name=CamelServletPublicOnly",
        "camel.component.servlet.servlet-name=CamelServletPublicOnly", "bridge.directory-refresh=1h",
        "bridge.exchange.directory-changes-interval=1s"})
// a context of its own, closed after the class: its pollers and timers do not run on beside the later tests
@org.springframework.test.annotation.DirtiesContext
class PublicInterfacesOnlyTest extends BridgeTest {

    /** The board's branches as configured for the population every test is seeded with (BridgeTest). */
    @DynamicPropertySource
    static void branches(DynamicPropertyRegistry registry) {
        Population pop = PopulationGenerator.generate(new SeedRequest(2, 2, 50, "2026-27", 7L));
        int i = 0;
        for (Population.Branch b : pop.branches()) {
            String at = "bridge.informat.branches[" + i++ + "].";
            registry.add(at + "institute-no", b::institutionNumber);
            // the simulator's own branch codes: V and the location id (a school chooses its own)
            registry.add(at + "vest-code", () -> "V" + b.locationIdDiscimus());
            registry.add(at + "location-id-discimus", b::locationIdDiscimus);
            registry.add(at + "subcodes.Z01", () -> "Z");
            registry.add(at + "subcodes.R03", () -> "R");
        }
    }

    private List<String> calls(String vendor) {
        List<String> paths = new ArrayList<>();
        for (JsonNode i : http.get("/sim/" + vendor + "/admin/interactions").json()) {
            paths.add(i.path("method").asText() + " " + i.path("path").asText());
        }
        return paths;
    }

    /**
     * A pupil enrolled after the whole lists were read is learnt from the older pupil API's changes ({@code changedSince}),
     * not from another read of the whole lists; the code that waited for the pupil then reaches Informat.
     */
    @Test
    void aNewPupilIsLearntFromInformatsChangesAndItsCodeCrosses() {
        poll("smartschool");
        int branch = locations().get(0).path("locationIdDiscimus").asInt();
        JsonNode e = enrol(branch, "2026-11-23", "so", 0);
        smartschoolRegister(e.path("internalNumber").asText(), "2026-11-26", "am", "Z", null, null);
        // the register read shows an account Smartschool's copy lacks: that copy is read again, and Informat's (a miss)
        // from its changes; the next polls carry the code
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            poll("smartschool");
            JsonNode cell = informatCell(e.path("personId").asText(), "2026-11-26", "VM");
            return cell != null && "Z".equals(cell.path("absenceCode").asText());
        });
        List<String> reads = new ArrayList<>();
        for (JsonNode i : http.get("/sim/informat/admin/interactions").json()) {
            if (i.path("path").asText().endsWith("/1/registrations")) {
                reads.add(i.path("query").asText());
            }
        }
        assertThat(reads).as("the older pupil API's registrations read").anyMatch(q -> q.contains("changedSince="));
    }

    @Test
    void smartschoolsCodesReachInformatThroughThePublicInterfacesAlone() {
        JsonNode secondary = student("secundair", true, 6);
        smartschoolRegister(internalNumberOf(secondary), "2026-11-23", "am", "Z", null, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode cell = informatCell(secondary.path("personId").asText(), "2026-11-23", "VM");
            return cell != null && "Z".equals(cell.path("absenceCode").asText());
        });
        // a primary pupil: Informat's public Student API covers secondary education only
        JsonNode primary = student("lager", true, 6);
        smartschoolRegister(internalNumberOf(primary), "2026-11-23", "pm", "R", null, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> decisions(primary, "2026-11-23").contains("NOT_CARRIED"));
        assertThat(informatCell(primary.path("personId").asText(), "2026-11-23", "NM")).isNull();

        // Informat's code for a pupil (were its push to arrive): Smartschool publishes no write, so it is not carried
        JsonNode other = student("secundair", true, 7);
        informatRegister(other.path("personId").asText(), "2026-11-23", "VM", "B", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> decisions(other, "2026-11-23").contains("NOT_CARRIED"));
        assertThat(smartschoolCell(internalNumberOf(other), "2026-11-23", "am")).isNull();

        List<String> calls = calls("informat");
        assertThat(calls).as("the directory from the older pupil API")
                .anyMatch(c -> c.startsWith("GET /sim/informat-leerlingen/1/registrations"))
                .anyMatch(c -> c.startsWith("GET /sim/informat-leerlingen/1/students"));
        assertThat(calls).as("the write through the public Student API")
                .anyMatch(c -> c.equals("PUT /sim/informat/api/v1/students/" + secondary.path("personId").asText() + "/absences"));
        assertThat(calls).as("no partner endpoint").noneMatch(c -> c.contains("/partner/"));
        List<String> smartschool = calls("smartschool");
        assertThat(smartschool).as("Smartschool's register through its SOAP service").anyMatch(c -> c.contains("/Webservices/V3"));
        assertThat(smartschool).as("no partner endpoint of Smartschool").noneMatch(c -> c.contains("/partner/"));
        assertThat(deadLetters()).isEmpty();

        // the codes Informat held before the link cannot be read through its public interfaces
        be.absencebridge.support.Http.Response refused = http.post("/api/admin/backfills", "application/json",
                "{\"direction\":\"INFORMAT_TO_SMARTSCHOOL\",\"locationIdDiscimus\":" + secondary.path("locationIdDiscimus").asInt() + "}",
                "Authorization", adminAuth());
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text()).contains("partner endpoints");
    }

    @Autowired
    InformatDirectory directory;

    private JsonNode informatPreflight() {
        be.absencebridge.support.Http.Response r = http.get("/api/admin/preflight", "Authorization", adminAuth());
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        for (JsonNode v : r.json().path("vendors")) {
            if (v.path("vendor").asText().equals("informat")) {
                return v;
            }
        }
        throw new AssertionError("no Informat in the preflight: " + r.text());
    }

    /**
     * The older pupil API answers an error in its own shape ({@code {"errors":[{"code","message"}]}}, set here by the
     * simulator's control): the directory's read and the preflight name the vendor's code and message, and a refused
     * institute (403) is a refused credential.
     */
    @Test
    void anErrorOfTheOlderPupilApiNamesTheVendorsCodeAndMessage() {
        http.postJson("/sim/informat/admin/pupil-api/error", Map.of("status", 400, "code", "BR034B", "message",
                "Schooljaar niet gekend."));
        IOException read = catchThrowableOfType(directory::refresh, IOException.class);
        assertThat(read).isNotNull();
        assertThat(read.getMessage()).contains("400 BR034B", "Schooljaar niet gekend.");
        JsonNode informat = informatPreflight();
        assertThat(informat.path("credential").asText()).isEqualTo("valid");
        assertThat(informat.path("problems").toString()).contains("BR034B", "Schooljaar niet gekend.");

        http.postJson("/sim/informat/admin/pupil-api/error", Map.of("status", 403, "message", "Geen toegang tot deze instelling."));
        informat = informatPreflight();
        assertThat(informat.path("credential").asText()).isEqualTo("refused");
        assertThat(informat.path("problems").toString()).contains("403", "Geen toegang tot deze instelling.");

        http.postJson("/sim/informat/admin/pupil-api/error", Map.of());
        assertThat(informatPreflight().path("problems")).isEmpty();
    }
}
