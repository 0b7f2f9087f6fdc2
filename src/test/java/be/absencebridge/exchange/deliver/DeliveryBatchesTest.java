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
}
