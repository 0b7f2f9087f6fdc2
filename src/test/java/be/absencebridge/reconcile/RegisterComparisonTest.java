package be.absencebridge.reconcile;

import be.absencebridge.reconcile.RegisterComparison.Action;
import be.absencebridge.reconcile.RegisterComparison.Decided;
import org.junit.jupiter.api.Test;

import static be.absencebridge.reconcile.RegisterComparison.compare;
import static org.assertj.core.api.Assertions.assertThat;

/** What repairs a half-day, from both registers' meaning and the decision. */
class RegisterComparisonTest {

    @Test
    void whereTheBridgeDecidedTheWinnerGoesToEachSideThatHoldsSomethingElse() {
        assertThat(compare("Z", "Z", new Decided("Z"), false)).isEqualTo(Action.AGREE);
        assertThat(compare("B", "Z", new Decided("Z"), false)).isEqualTo(Action.WRITE_SMARTSCHOOL);
        assertThat(compare("Z", null, new Decided("Z"), false)).isEqualTo(Action.WRITE_INFORMAT);
        assertThat(compare(null, "B", new Decided("Z"), false)).isEqualTo(Action.WRITE_BOTH);
        // a cleared half-day: empty on both sides
        assertThat(compare(null, null, new Decided(null), false)).isEqualTo(Action.AGREE);
        assertThat(compare("Z", null, new Decided(null), false)).isEqualTo(Action.WRITE_SMARTSCHOOL);
        // Informat's clear reaches Smartschool as a presence (an empty half-day means present there)
        assertThat(compare("|", null, new Decided(null), false)).isEqualTo(Action.AGREE);
        assertThat(compare("|", null, new Decided(null), true)).as("a toddler's clear stays a clear").isEqualTo(Action.WRITE_SMARTSCHOOL);
    }

    @Test
    void aPresenceIsNothingInInformatUnlessInformatStoresThePupilsPresence() {
        assertThat(compare("|", null, new Decided("|"), false)).isEqualTo(Action.AGREE);
        assertThat(compare("|", null, new Decided("|"), true)).as("a non-compulsory toddler").isEqualTo(Action.WRITE_INFORMAT);
        assertThat(compare(null, null, new Decided("|"), false)).as("Smartschool lacks the presence").isEqualTo(Action.WRITE_SMARTSCHOOL);
        assertThat(compare("|", null, null, false)).isEqualTo(Action.AGREE);
        assertThat(compare("|", null, null, true)).isEqualTo(Action.COPY_TO_INFORMAT);
    }

    @Test
    void whereNothingWasDecidedTheSideWithACodeIsCopiedAndTwoCodesWaitForAPerson() {
        assertThat(compare(null, null, null, false)).isEqualTo(Action.AGREE);
        assertThat(compare("Z", null, null, false)).isEqualTo(Action.COPY_TO_INFORMAT);
        assertThat(compare(null, "B", null, false)).isEqualTo(Action.COPY_TO_SMARTSCHOOL);
        assertThat(compare("Z", "B", null, false)).isEqualTo(Action.REVIEW);
        assertThat(compare("|", "B", null, false)).as("a presence against an absence, no times to order them").isEqualTo(Action.REVIEW);
        assertThat(Action.REVIEW.writes()).isFalse();
        assertThat(Action.COPY_TO_INFORMAT.writes()).isTrue();
    }
}
