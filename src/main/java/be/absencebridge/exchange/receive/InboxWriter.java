package be.absencebridge.exchange.receive;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.domain.Decision;
import be.absencebridge.exchange.audit.Audit;

import be.absencebridge.domain.AbsenceRecord;
import be.absencebridge.domain.SourceSystem;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Group commit of the webhooks' inbox rows. Each push still hears 202 only after its row is committed, but the
 * rows of the pushes that arrive together are written in one statement and one transaction: one round trip and
 * one WAL flush for many pushes instead of one each (half of them are echoes of the bridge's own writes, all of
 * them during a backfill). A batch the database refuses for a row's data is written again row by row, so one row it
 * cannot take (a text it cannot store as jsonb, say) fails its own push only; any other failure (the database
 * unreachable) fails the batch's pushes at once, with 503 for their senders.
 * <p>
 * Camel's aggregator gathers exchanges but does not answer each sender after the batch is written, hence this
 * small writer: a bounded queue, {@code bridge.inbound.writers} threads, up to {@code bridge.inbound.batch-size}
 * rows a statement.
 */
@Component
public class InboxWriter {

    private static final Logger LOG = LoggerFactory.getLogger(InboxWriter.class);

    /**
     * New events, stored unprocessed (a push's, handed to processing by the webhook; a poller's page); the rows come
     * back in the order given, the first of a repeated key stored.
     */
    private static final String EVENTS = """
            WITH input AS (
                SELECT DISTINCT ON (source, event_id) * FROM unnest(?::text[], ?::text[], ?::text[]) WITH ORDINALITY
                    AS t(source, event_id, payload, n)
                ORDER BY source, event_id, n)
            INSERT INTO inbox (source, source_event_id, received_via, payload, retry_at, received_at)
            SELECT source, event_id, ?, CAST(payload AS jsonb), now() + make_interval(secs => ?), ? FROM input ORDER BY n
            ON CONFLICT (source, source_event_id) DO NOTHING
            RETURNING id, source, source_event_id""";

    /** Echoes of the bridge's own writes: stored as processed (their ECHO decision goes to the audit with them). */
    private static final String ECHOES = """
            WITH input AS (
                SELECT DISTINCT ON (source, event_id) * FROM unnest(?::text[], ?::text[], ?::text[]) WITH ORDINALITY
                    AS t(source, event_id, payload, n)
                ORDER BY source, event_id, n)
            INSERT INTO inbox (source, source_event_id, received_via, payload, processed_at, received_at)
            SELECT source, event_id, ?, CAST(payload AS jsonb), stamp.at, stamp.at FROM input CROSS JOIN (SELECT CAST(? AS timestamptz) AS at) AS stamp ORDER BY n
            ON CONFLICT (source, source_event_id) DO NOTHING
            RETURNING id, source, source_event_id""";

    private final JdbcTemplate jdbc;
    private final java.time.Clock clock;
    private final TransactionTemplate tx;
    private final Audit audit;
    private final int retrySeconds;
    private final int batchSize;
    private final int writers;
    private final long timeoutMs;
    private final BlockingQueue<Pending> queue;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public InboxWriter(JdbcTemplate jdbc, TransactionTemplate tx, Audit audit, BridgeProperties props, java.time.Clock clock) {
        this.clock = clock;
        this.jdbc = jdbc;
        this.tx = tx;
        this.audit = audit;
        this.retrySeconds = props.processing().recoveryAgeSeconds();
        this.batchSize = props.inbound().batchSize();
        this.writers = props.inbound().writers();
        this.timeoutMs = props.inbound().storeTimeoutMs();
        this.queue = new ArrayBlockingQueue<>(props.inbound().queueSize());
    }

    /** How long a stored event waits before inbox-recovery may hand it out (again). */
    int retrySeconds() {
        return retrySeconds;
    }

    /** A pushed event to store unprocessed; its new inbox id, or null when the same event is stored already. */
    public Long store(SourceSystem source, String eventId, String payload) {
        return submit(new Pending(null, null, source, eventId, payload));
    }

    /** An echo to store as processed with its ECHO audit row (the gate's reason as its detail); true when it is new. */
    public boolean storeEcho(AbsenceRecord r, String eventId, String payload, String reason) {
        return submit(new Pending(r, reason, r.source(), eventId, payload)) != null;
    }

    private Long submit(Pending p) {
        try {
            if (!running || !queue.offer(p, timeoutMs, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the inbox writer is " + (running ? "busy" : "stopped"));
            }
            return p.result.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the inbox write was not confirmed within " + timeoutMs + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing an inbound event");
        }
    }

    @PostConstruct
    void start() {
        running = true;
        for (int i = 0; i < writers; i++) {
            Thread t = new Thread(this::run, "inbox-writer-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    /** Writes what is queued, then stops (after the web server, which stops taking requests first). */
    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(5000);
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(batchSize);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("inbox writer: {}", e.toString());
            } finally {
                batch.clear();
            }
        }
    }

    void write(List<Pending> batch) {
        try {
            Map<Pending, Long> ids = tx.execute(status -> insert(batch));
            batch.forEach(p -> p.result.complete(ids.get(p)));
        } catch (RuntimeException e) {
            // a row's data refused (not an outage: against a database that is down, row by row would only wait longer)
            if (batch.size() == 1 || !(e instanceof DataIntegrityViolationException)) {
                batch.forEach(p -> p.result.completeExceptionally(e));
                return;
            }
            LOG.warn("inbox writer: a batch of {} rows was refused ({}), writing them one by one", batch.size(),
                    e.getClass().getSimpleName());
            for (Pending p : batch) {
                write(List.of(p));
            }
        }
    }

    /** Both kinds of rows of a batch; the id of each pending row that was new (the first of a repeated key). */
    private Map<Pending, Long> insert(List<Pending> batch) {
        List<Pending> events = batch.stream().filter(p -> p.echo == null).toList();
        List<Pending> echoes = batch.stream().filter(p -> p.echo != null).toList();
        return jdbc.execute((ConnectionCallback<Map<Pending, Long>>) c -> {
            Map<Pending, Long> ids = new HashMap<>();
            insertEvents(c, "WEBHOOK", events, ids);
            insertEchoes(c, "WEBHOOK", echoes, ids);
            return ids;
        });
    }

    /** Echoes stored as processed, with their ECHO decisions in the audit, in the connection's transaction. */
    private void insertEchoes(Connection c, String via, List<Pending> echoes, Map<Pending, Long> ids) throws SQLException {
        if (echoes.isEmpty()) {
            return;
        }
        Map<Pending, Long> stored = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(ECHOES)) {
            s.setArray(1, texts(c, echoes, p -> p.source.name()));
            s.setArray(2, texts(c, echoes, p -> p.eventId));
            s.setArray(3, texts(c, echoes, p -> p.payload));
            s.setString(4, via);
            s.setTimestamp(5, java.sql.Timestamp.from(clock.instant()));
            collect(s, echoes, stored);
        }
        // the echoes' decisions, in the same transaction (the audit's own batch insert)
        audit.recordAll(echoes.stream().filter(stored::containsKey).map(p -> Audit.Row.of(p.echo,
                Inbox.correlationId(stored.get(p)), Decision.ECHO, p.echo.code(), p.echoReason)).toList());
        ids.putAll(stored);
    }

    /**
     * Stores the echoes a poller read (records registered by the bridge's own account) at once, on the caller's thread
     * and in its transaction: as processed, each with its ECHO decision in the audit, as the webhooks store theirs.
     */
    public void storeEchoesNow(String via, List<AbsenceRecord> echoes, List<String> eventIds, List<String> payloads,
                               String reason) {
        List<Pending> rows = new ArrayList<>(echoes.size());
        for (int i = 0; i < echoes.size(); i++) {
            rows.add(new Pending(echoes.get(i), reason, echoes.get(i).source(), eventIds.get(i), payloads.get(i)));
        }
        jdbc.execute((ConnectionCallback<Void>) c -> {
            insertEchoes(c, via, rows, new HashMap<>());
            return null;
        });
    }

    /**
     * Stores a poller's events at once, on the caller's thread and in its transaction: one statement for the page;
     * the inbox ids of those not stored before, in the order given.
     */
    public List<Long> storeNow(SourceSystem source, String via, List<String> eventIds, List<String> payloads) {
        List<Pending> rows = new ArrayList<>(eventIds.size());
        for (int i = 0; i < eventIds.size(); i++) {
            rows.add(new Pending(null, null, source, eventIds.get(i), payloads.get(i)));
        }
        Map<Pending, Long> ids = jdbc.execute((ConnectionCallback<Map<Pending, Long>>) c -> {
            Map<Pending, Long> stored = new HashMap<>();
            insertEvents(c, via, rows, stored);
            return stored;
        });
        List<Long> fresh = new ArrayList<>();
        for (Pending p : rows) {
            Long id = ids.get(p);
            if (id != null) {
                fresh.add(id);
            }
        }
        return fresh;
    }

    private void insertEvents(Connection c, String via, List<Pending> events, Map<Pending, Long> ids) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(EVENTS)) {
            s.setArray(1, texts(c, events, p -> p.source.name()));
            s.setArray(2, texts(c, events, p -> p.eventId));
            s.setArray(3, texts(c, events, p -> p.payload));
            s.setString(4, via);
            s.setInt(5, retrySeconds);
            // the bridge's clock, as every moment the write-back compares with (an outbox row's done_at): the database's
            // now() beside the application's clock made a write-back skipped or repeated with any skew between them
            s.setTimestamp(6, java.sql.Timestamp.from(clock.instant()));
            collect(s, events, ids);
        }
    }

    private static Array texts(Connection c, List<Pending> rows, java.util.function.Function<Pending, String> f)
            throws SQLException {
        String[] values = new String[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = f.apply(rows.get(i));
        }
        return c.createArrayOf("text", values);
    }

    private static void collect(PreparedStatement s, List<Pending> rows, Map<Pending, Long> ids) throws SQLException {
        Map<String, Long> stored = new HashMap<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                stored.put(rs.getString(2) + '|' + rs.getString(3), rs.getLong(1));
            }
        }
        for (Pending p : rows) {
            // the first pending row of a key gets its id; a second push of the same event in the batch is a repeat
            Long id = stored.remove(p.source.name() + '|' + p.eventId);
            if (id != null) {
                ids.put(p, id);
            }
        }
    }

    /** One row waiting for its batch; {@code echo} is the record of an echo, null for an event to process. */
    static final class Pending {
        final AbsenceRecord echo;
        final String echoReason;
        final SourceSystem source;
        final String eventId;
        final String payload;
        final CompletableFuture<Long> result = new CompletableFuture<>();

        Pending(AbsenceRecord echo, String echoReason, SourceSystem source, String eventId, String payload) {
            this.echo = echo;
            this.echoReason = echoReason;
            this.source = source;
            this.eventId = eventId;
            this.payload = payload;
        }
    }
}
