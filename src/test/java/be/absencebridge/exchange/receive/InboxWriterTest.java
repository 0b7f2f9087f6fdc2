package be.absencebridge.exchange.receive;

import be.absencebridge.domain.AbsenceRecord;
import be.absencebridge.domain.SourceSystem;
import be.absencebridge.support.BridgeTest;

import be.absencebridge.domain.HalfDay;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The webhooks' group commit, on the real database: the rows of one batch are stored together, a repeat in the batch
 * is told so, an echo gets its audit row, and a row the database refuses fails its own push only.
 */
class InboxWriterTest extends BridgeTest {

    @Autowired
    InboxWriter writer;

    @Test
    void aBatchStoresItsRowsAndARowTheDatabaseRefusesFailsAlone() throws Exception {
        String run = UUID.randomUUID().toString();
        AbsenceRecord echo = new AbsenceRecord(SourceSystem.SMARTSCHOOL, "e", "999001", "r-" + run, LocalDate.parse("2026-10-08"),
                HalfDay.AM, "Z", null, null, OffsetDateTime.parse("2026-10-08T09:00:00+02:00"), "koppeling-informat", null, "1");
        InboxWriter.Pending first = new InboxWriter.Pending(null, null, SourceSystem.INFORMAT, run + "-1", "{\"n\":1}");
        // jsonb cannot hold a NUL character: the webhook refuses such a body first; here it stands for any row-level refusal
        InboxWriter.Pending refused = new InboxWriter.Pending(null, null, SourceSystem.INFORMAT, run + "-2", "{\"n\":\"\\u0000\"}");
        InboxWriter.Pending repeat = new InboxWriter.Pending(null, null, SourceSystem.INFORMAT, run + "-1", "{\"n\":1}");
        InboxWriter.Pending echoed = new InboxWriter.Pending(echo, "registered by the bridge's own account", SourceSystem.SMARTSCHOOL, run + "-3", "{\"n\":3}");
        InboxWriter.Pending third = new InboxWriter.Pending(null, null, SourceSystem.SMARTSCHOOL, run + "-4", "{\"n\":4}");

        try {
            writeAndCheck(run, first, refused, repeat, echoed, third, echo);
        } finally {
            // no junk left for inbox-recovery to process in the other tests of this context
            jdbc.update("DELETE FROM inbox WHERE source_event_id LIKE ?", run + "%");
            jdbc.update("DELETE FROM audit WHERE registration_number = ?", "r-" + run);
        }
    }

    @Test
    void aPollersPageIsStoredInOneGoInTheOrderRead() {
        String run = UUID.randomUUID().toString();
        try {
            List<Long> ids = writer.storeNow(SourceSystem.INFORMAT, "POLL", List.of(run + "-b", run + "-a", run + "-b"),
                    List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":1}"));
            assertThat(ids).as("two new events; the repeat in the page is stored once").hasSize(2).isSorted();
            assertThat(jdbc.queryForList("SELECT source_event_id || ' ' || received_via FROM inbox WHERE source_event_id LIKE ? ORDER BY id",
                    String.class, run + "%")).containsExactly(run + "-b POLL", run + "-a POLL");
            assertThat(writer.storeNow(SourceSystem.INFORMAT, "POLL", List.of(run + "-a"), List.of("{\"n\":2}")))
                    .as("read again: nothing new").isEmpty();
        } finally {
            jdbc.update("DELETE FROM inbox WHERE source_event_id LIKE ?", run + "%");
        }
    }

    private void writeAndCheck(String run, InboxWriter.Pending first, InboxWriter.Pending refused, InboxWriter.Pending repeat,
                               InboxWriter.Pending echoed, InboxWriter.Pending third, AbsenceRecord echo) throws Exception {
        writer.write(List.of(first, refused, repeat, echoed, third));

        assertThat(first.result.get()).isNotNull();
        assertThat(repeat.result.get()).as("the same event twice in one batch: the second is a repeat").isNull();
        assertThat(echoed.result.get()).isNotNull();
        assertThat(third.result.get()).isNotNull();
        assertThatThrownBy(refused.result::get).isInstanceOf(ExecutionException.class);
        assertThat(jdbc.queryForList("SELECT source_event_id FROM inbox WHERE source_event_id LIKE ? ORDER BY 1", String.class, run + "%"))
                .containsExactly(run + "-1", run + "-3", run + "-4");
        assertThat(jdbc.queryForObject("SELECT processed_at IS NOT NULL FROM inbox WHERE source_event_id = ?", Boolean.class, run + "-3"))
                .as("an echo is stored as processed").isTrue();
        assertThat(jdbc.queryForObject("SELECT processed_at IS NULL FROM inbox WHERE source_event_id = ?", Boolean.class, run + "-1"))
                .as("an event waits for processing").isTrue();
        assertThat(jdbc.queryForList("SELECT decision || ' ' || correlation_id FROM audit WHERE registration_number = ?", String.class, "r-" + run))
                .containsExactly("ECHO in-" + echoed.result.get());

        // a second batch with the same rows: all of them repeats
        InboxWriter.Pending again = new InboxWriter.Pending(null, null, SourceSystem.INFORMAT, run + "-1", "{\"n\":1}");
        InboxWriter.Pending echoAgain = new InboxWriter.Pending(echo, "registered by the bridge's own account", SourceSystem.SMARTSCHOOL, run + "-3", "{\"n\":3}");
        writer.write(List.of(again, echoAgain));
        assertThat(again.result.get()).isNull();
        assertThat(echoAgain.result.get()).isNull();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit WHERE registration_number = ?", Long.class, "r-" + run)).isEqualTo(1L);
    }
}
