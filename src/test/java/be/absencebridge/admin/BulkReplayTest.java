package be.absencebridge.admin;

import be.absencebridge.support.BridgeTest;
import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Dead letters replayed many at once, by ids or by stage and reason, with a dry run; from the API and over JMX. */
class BulkReplayTest extends BridgeTest {

    @org.springframework.beans.factory.annotation.Autowired
    DeadLetterOperations operations;

    private List<Long> parkedFor(JsonNode pupil, String date) {
        List<Long> ids = new ArrayList<>();
        for (JsonNode d : deadLetters()) {
            if (d.path("registrationNumber").asText().equals(pupil.path("studentNo").asText()) && d.path("date").asText().equals(date)) {
                ids.add(d.path("id").asLong());
            }
        }
        return ids;
    }

    private JsonNode replay(String body) {
        Http.Response r = http.post("/api/admin/dead-letters/replay", "application/json", body, "Authorization", adminAuth());
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    @Test
    void manyDeadLettersAreReplayedAtOnceAndADryRunOnlyCountsThem() {
        // Smartschool's G maps to nothing: parked, one dead letter a half-day
        JsonNode s = student("secundair", true, 9);
        String internal = internalNumberOf(s);
        for (String d : new String[] {"2026-10-26", "2026-10-27", "2026-10-28"}) {
            smartschoolRegister(internal, d, "am", "G", null, null);
        }
        List<Long> ids = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            ids.clear();
            for (String d : new String[] {"2026-10-26", "2026-10-27", "2026-10-28"}) {
                ids.addAll(parkedFor(s, d));
            }
            return ids.size() == 3;
        });
        String list = ids.toString();
        JsonNode dry = replay("{\"ids\":" + list + ",\"dryRun\":true}");
        assertThat(dry.path("count").asInt()).isEqualTo(3);
        assertThat(dry.path("replayed").asInt()).isZero();
        assertThat(replay("{\"stage\":\"TRANSLATE\",\"reason\":\"code g has no official code\",\"dryRun\":true}").path("count").asInt())
                .as("by stage and a part of the reason, case-insensitive").isGreaterThanOrEqualTo(3);
        assertThat(replay("{\"stage\":\"DELIVER\",\"reason\":\"code G has no official code\",\"dryRun\":true}").path("count").asInt())
                .as("another stage").isZero();
        assertThat(http.post("/api/admin/dead-letters/replay", "application/json", "{\"stage\":\"SIDEWAYS\"}", "Authorization", adminAuth())
                .status()).isEqualTo(400);

        // two by the API, the third by the JMX operation
        JsonNode done = replay("{\"ids\":" + ids.subList(0, 2) + "}");
        assertThat(done.path("replayed").asInt()).isEqualTo(2);
        assertThat(replay("{\"ids\":" + list + ",\"dryRun\":true}").path("count").asInt()).as("only the third is still open").isEqualTo(1);
        // the operation Hawtio's JMX tab calls (the tests run without a JMX server: Spring Boot's test default)
        Object answer = operations.replayAll("TRANSLATE", "code G has no official code", false);
        assertThat(String.valueOf(answer)).contains("replayed");
        assertThat(replay("{\"ids\":" + list + ",\"dryRun\":true}").path("count").asInt()).isZero();
        // replayed, the records went through translation again: G still maps to nothing, so each waits once more
        await().atMost(Duration.ofSeconds(30)).until(() -> decisions(s, "2026-10-26").stream().filter("REPLAYED"::equals).count() >= 1);
    }
}
