package be.absencebridge.exchange.deliver;

import java.util.List;

/**
 * The rows of one delivery batch, claimed together (shared by reference, so the results survive the circuit breaker's
 * copy of the exchange), those of them a writer put in its call, and whether the vendor refused that call as a whole.
 * The routes read {@code items}, {@code callNeeded} and {@code refusedAsWhole}.
 */
public final class DeliveryBatch {

    /** One claimed outbox row and what its delivery came to. */
    public static final class Item {
        private final long id;
        private final int attempts;
        private final Delivery delivery;
        private final long claimedAt;
        private final DeliveryResult result = new DeliveryResult();
        private volatile Exception failure;

        Item(long id, int attempts, Delivery delivery, long claimedAt) {
            this.id = id;
            this.attempts = attempts;
            this.delivery = delivery;
            this.claimedAt = claimedAt;
        }

        public long id() {
            return id;
        }

        /**
         * The row's attempts with this one: the claim counted the call as made; a call the circuit breaker did not let
         * through, or one the vendor throttled with a {@code Retry-After}, gives it back.
         */
        int attempts() {
            return VendorUnavailableException.attempted(failure) ? attempts : attempts - 1;
        }

        /** Which attempt of the row this call is (1 the first), as its claim counted it. */
        public int attemptNumber() {
            return attempts;
        }

        long claimedAt() {
            return claimedAt;
        }

        public Delivery getDelivery() {
            return delivery;
        }

        public DeliveryResult result() {
            return result;
        }

        /** The call for this row failed in a way another try may fix. */
        public void failed(Exception e) {
            this.failure = e;
        }

        Exception failure() {
            return failure;
        }

        /** No answer and no failure yet. */
        boolean open() {
            return result.isPending() && failure == null;
        }
    }

    private final List<Item> items;
    private volatile List<Item> sent = List.of();
    private volatile boolean refusedAsWhole;

    DeliveryBatch(List<Item> items) {
        this.items = items;
    }

    public List<Item> getItems() {
        return items;
    }

    /** The rows the writer put in its call. */
    public List<Item> sent() {
        return sent;
    }

    public void sent(List<Item> sent) {
        this.sent = sent;
    }

    public boolean isCallNeeded() {
        return !sent.isEmpty();
    }

    public boolean isRefusedAsWhole() {
        return refusedAsWhole;
    }

    /** The vendor refused the call as a whole: the rows go again one a call, so that only a bad row is refused. */
    public void markRefusedAsWhole() {
        this.refusedAsWhole = true;
    }
}
