package be.absencebridge.exchange.receive;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which changes of an Informat feed read were replaced in that read by a later change of their half-day: on the same
 * page or a later one, by a change to decide or by the bridge's own write (an echo), never by the same change again.
 */
class ReadOrderTest {

    @Test
    void aChangeFollowedInTheReadByAnotherChangeOfItsHalfDayWasReplaced() {
        InformatPoller.ReadOrder order = new InformatPoller.ReadOrder();
        List<String> replaced = new ArrayList<>();
        // page 1: an administration's R for AM, a change of PM, the bridge's own Z over R
        order.next("1/7 2026-11-24 AM", "r", true).ifPresent(replaced::add);
        order.next("1/7 2026-11-24 PM", "pm", true).ifPresent(replaced::add);
        order.next("1/7 2026-11-24 AM", "echo-z", false).ifPresent(replaced::add);
        assertThat(replaced).containsExactly("r");
        // page 2 of the same read: a change of PM replaces page 1's; AM's last change was an echo, decided already
        order.next("1/7 2026-11-24 PM", "pm2", true).ifPresent(replaced::add);
        order.next("1/7 2026-11-24 AM", "b", true).ifPresent(replaced::add);
        // a repeated item is not a change of its own
        order.next("1/7 2026-11-24 AM", "b", true).ifPresent(replaced::add);
        assertThat(replaced).containsExactly("r", "pm");
    }
}
