package be.absencebridge.exchange.deliver;

import java.util.Arrays;

/**
 * Delivery batches as the outbox claims them, for the test doubles of the routes layer
 * ({@code exchange.routes}): {@link DeliveryBatch}'s constructors are the outbox's own.
 */
public final class Batches {

    private Batches() {
    }

    /** A claimed batch of these outbox rows, each on its first attempt, without an answer yet. */
    public static DeliveryBatch of(long... ids) {
        return new DeliveryBatch(Arrays.stream(ids)
                .mapToObj(id -> new DeliveryBatch.Item(id, 1, null, System.nanoTime())).toList());
    }

    /** A batch of these rows of another batch (a row sent alone). */
    public static DeliveryBatch of(DeliveryBatch.Item... items) {
        return new DeliveryBatch(java.util.List.of(items));
    }
}
