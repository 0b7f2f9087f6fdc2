package be.absencebridge.exchange;

import be.absencebridge.support.BridgeTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sequences that left the two registers apart without anyone being told, each end to end against the simulators:
 * "the last registration wins, in both packages, and nothing is lost".
 */
class DecisionExactnessTest extends BridgeTest {

    /**
     * The write-back compares the moment a package was seen holding the loser with the moment it took the winner's
     * write: both on the bridge's clock. The loser's arrival was the database's clock: with the bridge's clock an hour
     * ahead of the database's, the winner's write looked later than the loser's arrival and was not written back.
     */
    @Test
    void aLateOlderRegistrationIsOverwrittenByTheWinnerWhateverTheDatabasesClockSays() {
        // the bridge's (and the simulators') clock an hour ahead of the database's
        clock.set(Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS));
        JsonNode pupil = student("secundair", true, 35);
        String internal = internalNumberOf(pupil);
        assertThat(informatRegister(pupil.path("personId").asText(), "2026-12-03", "VM", "P", null).status()).isLessThan(300);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode cell = smartschoolCell(internal, "2026-12-03", "am");
            return cell != null && "P".equals(cell.path("code").asText());
        });
        // a teacher's registration made before the administration's, arriving late (a clock behind, a delayed push)
        String earlier = clock.instant().minus(30, ChronoUnit.MINUTES).toString();
        assertThat(smartschoolRegister(internal, "2026-12-03", "am", "Z", null, null, earlier).status()).isLessThan(300);
        await().atMost(Duration.ofSeconds(30)).until(() -> decisions(pupil, "2026-12-03").contains("STALE"));
        // the winner goes back to Smartschool: both packages hold P
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode cell = smartschoolCell(internal, "2026-12-03", "am");
            return cell != null && "P".equals(cell.path("code").asText());
        });
        assertThat(informatCell(pupil.path("personId").asText(), "2026-12-03", "VM").path("absenceCode").asText()).isEqualTo("P");
    }

    /**
     * A change only a register read saw, between a read before the exchange was switched on and one after: it was
     * dated at the earlier read, decided BEFORE_ACTIVATION, and never looked at again (the next read shows no change).
     */
    @Test
    void aChangeSeenByTheFirstReadAfterTheSwitchWentOnCrosses() {
        JsonNode pupil = student("secundair", true, 32);
        String internal = internalNumberOf(pupil);
        int branch = pupil.path("locationIdDiscimus").asInt();
        try {
            // Informat's branch off (Smartschool still pushes: its own switch is on)
            http.putJson("/sim/informat/admin/settings", Map.of("locationIdDiscimus", branch, "exchangeAbsences", false));
            clock.advance(Duration.ofMinutes(1));
            smartschoolRegister(internal, "2026-11-25", "am", "B", null, null);
            await().atMost(Duration.ofSeconds(30)).until(() -> decisions(pupil, "2026-11-25").contains("NOT_ACTIVE"));
            // the poller reads today's register while the exchange is off
            poll("smartschool");
            // switched on; a code pushed now flows (and the bridge has seen the switch on)
            http.putJson("/sim/informat/admin/settings", Map.of("locationIdDiscimus", branch, "exchangeAbsences", true));
            clock.advance(Duration.ofMinutes(1));
            smartschoolRegister(internal, "2026-11-24", "am", "R", null, null);
            await().atMost(Duration.ofSeconds(30)).until(() -> informatCell(pupil.path("personId").asText(), "2026-11-24", "VM") != null);
            // a teacher registers now, and the push is lost: only the next read sees it
            http.postJson("/sim/smartschool/admin/faults", Map.of("push", false));
            smartschoolRegister(internal, "2026-11-27", "am", "Z", null, null);
            http.postJson("/sim/smartschool/admin/faults", Map.of());
            clock.advance(Duration.ofMinutes(1));
            poll("smartschool");
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonNode cell = informatCell(pupil.path("personId").asText(), "2026-11-27", "VM");
                return cell != null && "Z".equals(cell.path("absenceCode").asText());
            });
            assertThat(decisions(pupil, "2026-11-27")).doesNotContain("BEFORE_ACTIVATION");
        } finally {
            http.putJson("/sim/informat/admin/settings", Map.of("locationIdDiscimus", branch, "exchangeAbsences", true));
        }
    }

    /**
     * An item of Informat's change feed that a push would be refused for (here: an absence planned for next Monday; a
     * registration time hours ahead is another) waits in the dead letters with its reason, as the push is refused: it
     * was decided and written, and Smartschool refused the future day. The cursor moves past it without losing it.
     */
    @Test
    void aFeedItemAPushWouldBeRefusedForWaitsInTheDeadLettersWithItsReason() {
        JsonNode pupil = student("secundair", true, 33);
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("personId", pupil.path("personId").asText());
        body.put("date", "2026-11-30");
        body.put("partOfDay", "VM");
        body.put("absenceCode", "Z");
        assertThat(http.postJson("/sim/informat/admin/register", body).status()).isLessThan(300);
        poll("informat");
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters().toString().contains("\"registrationNumber\":\""
                + pupil.path("studentNo").asText() + "\""));
        JsonNode dead = null;
        for (JsonNode d : deadLetters()) {
            if (d.path("registrationNumber").asText().equals(pupil.path("studentNo").asText())) {
                dead = d;
            }
        }
        assertThat(dead.path("stage").asText()).isEqualTo("RECEIVE");
        assertThat(dead.path("reason").asText()).contains("date is after today");
        assertThat(dead.path("date").asText()).isEqualTo("2026-11-30");
        assertThat(decisions(pupil, "2026-11-30")).isEmpty();
        // read again, it is not stored or parked twice
        poll("informat");
        long parked = java.util.stream.StreamSupport.stream(deadLetters().spliterator(), false)
                .filter(d -> d.path("registrationNumber").asText().equals(pupil.path("studentNo").asText())).count();
        assertThat(parked).isEqualTo(1);
    }
}
