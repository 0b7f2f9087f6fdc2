package be.absencebridge.vendor.smartschool;

import be.absencebridge.support.BridgeTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The adapters against the other reading of every answer the public sources disagree on (the simulators' published
 * variants, CONTRACTS.md): a class's school-year data as an array, basisrol as the number 1, an empty register day as
 * {@code []}, an alias shown as its label. With any one of them the bridge read nothing before: no pupil matched, or
 * every poll failed on the first empty day, or the alias's subcode was lost.
 */
class PublishedVariantsTest extends BridgeTest {

    @Test
    void aCodeSeenOnlyByTheRegisterReadCrossesWithItsSubcodeUnderEveryOtherReading() {
        http.postJson("/sim/smartschool/admin/variants", Map.of("classDataAsArray", true, "basisrolAsInteger", true,
                "emptyDayAsArray", true, "aliasAsLabel", true));
        JsonNode pupil = student("secundair", true, 36);
        String internal = internalNumberOf(pupil);
        // the teacher's push is lost: only the register read shows the code (today's register is empty: [])
        http.postJson("/sim/smartschool/admin/faults", Map.of("push", false));
        assertThat(smartschoolRegister(internal, "2026-11-26", "am", "Z", "ZM", null).status()).isLessThan(300);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            poll("smartschool");
            JsonNode cell = informatCell(pupil.path("personId").asText(), "2026-11-26", "VM");
            return cell != null;
        });
        // the label "Ziek met medisch attest" was read as the alias ZM, which the school's table maps to Z01
        assertThat(informatCell(pupil.path("personId").asText(), "2026-11-26", "VM").path("absenceCode").asText()).isEqualTo("Z01");
    }
}
