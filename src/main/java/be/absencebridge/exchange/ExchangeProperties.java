package be.absencebridge.exchange;


/**
 * The names of the exchange properties the routes and the steps' beans share: the one place they are spelled. Routes
 * read them as {@code ${exchangeProperty.bridgeKey}}; Java through these constants.
 */
public final class ExchangeProperties {

    /** The inbox row of the event in process (receive); null for a repeat or an echo. */
    public static final String INBOX_ID = "bridgeInboxId";
    /** The stored event as the webhook read it ({@code Inbox.Stored}): processing need not read it back. */
    public static final String STORED = "bridgeStored";
    /** The source of an inbound event (a {@code SourceSystem}), set by the webhook template. */
    public static final String SOURCE = "bridgeSource";
    /** The Smartschool platform a push came from (the webhook's path, then its bare name). */
    public static final String PLATFORM = "bridgePlatform";
    /** The record an inbound event was read into (receive). */
    public static final String RECORD = "bridgeRecord";
    /** The record's event id in the inbox (its content id). */
    public static final String EVENT_ID = "bridgeEventId";
    /** Pupil and half-day without personal data, for logs (institution/registration number, date, part). */
    public static final String KEY = "bridgeKey";
    /** The direction of the record in process, as the logs write it ({@code Direction.label()}: smartschool-to-informat). */
    public static final String DIRECTION = "bridgeDirection";
    /** Why a record stops (a {@code Decision} of gate or translate); absent while it goes on. */
    public static final String STOP = "bridgeStop";
    /** The reason that goes with {@link #STOP}, for the audit and the dead letters. */
    public static final String REASON = "bridgeReason";
    /** The record in the other package's terms ({@code Translation}). */
    public static final String TRANSLATION = "bridgeTranslation";
    /** What the decision came to (a {@code Decision}). */
    public static final String DECISION = "bridgeDecision";
    /** The claimed batch of a delivery route ({@code DeliveryBatch}). */
    public static final String BATCH = "bridgeBatch";
    /** One row of a batch, for a writer of one row per call ({@code DeliveryBatch.Item}). */
    public static final String ITEM = "bridgeItem";
    /** The HTTP method a writer chose for its call; absent when no call is to be made. */
    public static final String METHOD = "bridgeMethod";

    private ExchangeProperties() {
    }
}
