package be.absencebridge.reconcile;

import be.absencebridge.support.BridgeTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The attendance rules' warnings over a seeded year with known counts, registered in Informat and decided by the bridge
 * (the demo mapping table: a plain Z is a parents' note, ZM/Z01 a medical certificate).
 */
class RuleWarningsTest extends BridgeTest {

    private final java.util.Set<String> taken = new java.util.HashSet<>();

    /** A pupil of the kind for whom the bridge decided nothing this year (other tests share the database). */
    private JsonNode fresh(String level) {
        for (int i = 0; ; i++) {
            JsonNode s = student(level, true, i);
            String key = s.path("instituteNo").asText() + "|" + s.path("studentNo").asText();
            if (!taken.contains(key) && jdbc.queryForObject("SELECT count(*) FROM decision WHERE institution_number = ? AND registration_number = ?",
                    Integer.class, s.path("instituteNo").asText(), s.path("studentNo").asText()) == 0) {
                taken.add(key);
                return s;
            }
        }
    }

    private void register(JsonNode pupil, String date, String partOfDay, String code) {
        informatRegister(pupil.path("personId").asText(), date, partOfDay, code, null);
    }

    private void awaitDecided(JsonNode pupil, int halfDays) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            int n = 0;
            for (JsonNode a : http.get("/api/admin/audit?institutionNumber=" + pupil.path("instituteNo").asText()
                    + "&registrationNumber=" + pupil.path("studentNo").asText(), "Authorization", adminAuth()).json()) {
                n += "FORWARDED".equals(a.path("decision").asText()) ? 1 : 0;
            }
            return n >= halfDays;
        });
    }

    private List<JsonNode> warningsOf(JsonNode pupil) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode w : http.get("/api/admin/warnings?institutionNumber=" + pupil.path("instituteNo").asText() + "&schoolYear=2026-27",
                "Authorization", adminAuth()).json()) {
            if (w.path("registrationNumber").asText().equals(pupil.path("studentNo").asText())) {
                out.add(w);
            }
        }
        return out;
    }

    @Test
    void parentsNotesAndProblematicAbsenceAreCountedByTheRules() {
        // one parents' note from Thursday to Monday: five calendar days with the weekend (more than 3)
        JsonNode longNote = fresh("secundair");
        for (String[] h : new String[][] {{"2026-10-08", "VM"}, {"2026-10-08", "NM"}, {"2026-10-09", "VM"}, {"2026-10-09", "NM"},
                {"2026-10-12", "VM"}}) {
            register(longNote, h[0], h[1], "Z");
        }
        register(longNote, "2026-10-16", "VM", "Z01"); // a medical certificate: not a parents' note
        // five one-day notes (more than 4 in the year)
        JsonNode manyNotes = fresh("secundair");
        for (String d : new String[] {"2026-10-19", "2026-10-21", "2026-10-23", "2026-10-27", "2026-10-29"}) {
            register(manyNotes, d, "VM", "Z");
        }
        // four notes: within the rule
        JsonNode fourNotes = fresh("secundair");
        for (String d : new String[] {"2026-10-19", "2026-10-21", "2026-10-23", "2026-10-27"}) {
            register(fourNotes, d, "VM", "Z");
        }
        // a primary pupil with five half-days of B, and one with four
        JsonNode five = fresh("lager");
        JsonNode four = fresh("lager");
        for (String[] h : new String[][] {{"2026-10-05", "VM"}, {"2026-10-05", "NM"}, {"2026-10-13", "VM"}, {"2026-10-20", "NM"},
                {"2026-10-22", "VM"}}) {
            register(five, h[0], h[1], "B");
            if (!h[0].equals("2026-10-22")) {
                register(four, h[0], h[1], "B");
            }
        }
        awaitDecided(longNote, 6);
        awaitDecided(manyNotes, 5);
        awaitDecided(fourNotes, 4);
        awaitDecided(five, 5);
        awaitDecided(four, 4);

        assertThat(warningsOf(longNote)).singleElement().satisfies(w -> {
            assertThat(w.path("rule").asText()).isEqualTo("PARENTS_NOTE_TOO_LONG");
            assertThat(w.path("count").asInt()).as("calendar days").isEqualTo(5);
            assertThat(w.path("dates")).extracting(JsonNode::asText).containsExactly("2026-10-08", "2026-10-09", "2026-10-12");
        });
        assertThat(warningsOf(manyNotes)).singleElement().satisfies(w -> {
            assertThat(w.path("rule").asText()).isEqualTo("PARENTS_NOTES_OVER_4");
            assertThat(w.path("count").asInt()).isEqualTo(5);
        });
        assertThat(warningsOf(fourNotes)).isEmpty();
        assertThat(warningsOf(five)).singleElement().satisfies(w -> {
            assertThat(w.path("rule").asText()).isEqualTo("PROBLEMATIC_ABSENCE_PRIMARY");
            assertThat(w.path("count").asInt()).isEqualTo(5);
        });
        assertThat(warningsOf(four)).isEmpty();
        // warnings never block: every code went through
        assertThat(informatCell(manyNotes.path("personId").asText(), "2026-10-29", "VM")).isNotNull();
        assertThat(smartschoolCell(internalNumberOf(manyNotes), "2026-10-29", "am")).isNotNull();
        assertThat(http.get("/api/admin/warnings?institutionNumber=1&schoolYear=2026", "Authorization", adminAuth()).status()).isEqualTo(400);
    }
}
