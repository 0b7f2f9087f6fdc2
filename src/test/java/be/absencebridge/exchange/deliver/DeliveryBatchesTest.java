package be.absencebridge.exchange.deliver;

import be.absencebridge.support.BridgeTest;

import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import be.absencebridge.sim.SimProperties;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deliveries go in batches (one Smartschool presences call for many cells). Here Smartschool takes at most 3 cells
 * a call, so every larger batch is refused as a whole: its rows go again one cell a call, and every one arrives,
 * none in the dead-letter table.
 */
class DeliveryBatchesTest extends BridgeTest {

    @Autowired
    private SimProperties sim;

    @AfterEach
    void cellsPerWriteAsBefore() {
        sim.setMaxCellsPerWrite(1000);
    }

    @Test
    void aBatchRefusedAsAWholeIsDeliveredOneCellACall() {
        sim.setMaxCellsPerWrite(3);
        long before = jdbc.queryForObject("SELECT coalesce(max(id), 0) FROM outbox", Long.class);
        long deadBefore = deadLetters().size();
        JsonNode branch = http.get("/sim/informat/admin/locations").json().get(1);
        int location = branch.path("locationIdDiscimus").asInt();
        Http.Response started = http.post("/api/admin/backfills", "application/json",
                "{\"direction\":\"INFORMAT_TO_SMARTSCHOOL\",\"locationIdDiscimus\":" + location + "}", "Authorization", adminAuth());
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        long id = started.json().path("id").asLong();
        await().atMost(Duration.ofSeconds(180)).until(() ->
                "DONE".equals(http.get("/api/admin/backfills/" + id, "Authorization", adminAuth()).json().path("state").asText()));
        long forwarded = http.get("/api/admin/backfills/" + id, "Authorization", adminAuth()).json().path("counts").path("FORWARDED").asLong();
        assertThat(forwarded).as("half-days the backfill sends").isGreaterThan(1000);

        await().atMost(Duration.ofSeconds(180)).until(() ->
                jdbc.queryForObject("SELECT count(*) FROM outbox WHERE target = 'SMARTSCHOOL' AND state = 'PENDING' AND id > ?", Long.class, before) == 0);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE target = 'SMARTSCHOOL' AND state = 'DONE' AND id > ?", Long.class, before))
                .as("every half-day delivered").isEqualTo(forwarded);
        assertThat(deadLetters().size()).isEqualTo(deadBefore);
        // a day of the backfill is about 100 rows at once: without the one-cell calls they would all be dead letters
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE target = 'SMARTSCHOOL' AND outcome = 'saved' AND id > ?", Long.class, before))
                .isEqualTo(forwarded);
    }

    @Test
    void aNewerWriteOfAHalfDayWaitsWhileAnOlderOneIsInFlight() {
        // Informat's public write does not refuse older data, and two calls in flight at once may land in either order
        JsonNode s = student("secundair", true, 5);
        String internal = internalNumberOf(s);
        long before = jdbc.queryForObject("SELECT coalesce(max(id), 0) FROM outbox", Long.class);
        String where = "id > " + before + " AND target = 'INFORMAT' AND institution_number = '" + s.path("instituteNo").asText()
                + "' AND registration_number = '" + s.path("studentNo").asText() + "' AND date = '2026-11-24' AND part = 'PM'";
        http.postJson("/sim/informat/admin/faults", java.util.Map.of("writeLatencyMs", 1500));
        // later the same day than anything the other tests registered on this database (they move minutes)
        clock.advance(Duration.ofHours(6));
        try {
            smartschoolRegister(internal, "2026-11-24", "pm", "B", null, null);
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                        "SELECT count(*) FROM outbox WHERE " + where + " AND state = 'PENDING' AND locked_until IS NOT NULL", Long.class) == 1);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("the write of B was not seen in flight; decisions: " + decisions(s, "2026-11-24")
                        + ", outbox: " + jdbc.queryForList("SELECT state, outcome, locked_until FROM outbox WHERE " + where), e);
            }
            clock.advance(Duration.ofSeconds(1));
            smartschoolRegister(internal, "2026-11-24", "pm", "P", null, null);
            java.util.concurrent.atomic.AtomicInteger bothInFlight = new java.util.concurrent.atomic.AtomicInteger();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
                long inFlight = jdbc.queryForObject(
                        "SELECT count(*) FROM outbox WHERE " + where + " AND state = 'PENDING' AND locked_until IS NOT NULL", Long.class);
                if (inFlight > 1) {
                    bothInFlight.incrementAndGet();
                }
                return jdbc.queryForObject("SELECT count(*) FROM outbox WHERE " + where + " AND state = 'DONE'", Long.class) == 2;
            });
            assertThat(bothInFlight.get()).as("moments both writes of the half-day were in flight").isZero();
            assertThat(jdbc.queryForList("SELECT record->>'officialCode' FROM outbox WHERE " + where + " ORDER BY done_at", String.class))
                    .containsExactly("B", "P");
            assertThat(informatCell(s.path("personId").asText(), "2026-11-24", "NM").path("absenceCode").asText()).isEqualTo("P");
        } finally {
            http.postJson("/sim/informat/admin/faults", java.util.Map.of());
        }
    }
}
