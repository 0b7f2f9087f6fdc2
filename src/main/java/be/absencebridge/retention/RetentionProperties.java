package be.absencebridge.retention;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * What the bridge keeps and for how long ({@code bridge.retention.*}; defaults and their reasons in
 * {@code config/application.yaml} and docs/data-protection.md).
 *
 * @param cron                the nightly run (Quartz cron, spaces as {@code +}, Brussels time)
 * @param freeTextAfter       a motivation or remark is cleared this long after its record reached its end (processed,
 *                            delivered or settled, its dead letter resolved)
 * @param eventsAfter         raw events (inbox) and settled outbox rows are deleted this long after they were received or
 *                            settled
 * @param decisionSchoolYears decisions are kept for the school year of their half-day up to this many school years (2: the
 *                            current and the previous one)
 * @param auditSchoolYears    audit rows are kept for the school year they were written in and the next ones, this many in
 *                            all (2: that year and the next)
 * @param deadLettersAfter    a resolved (replayed) dead letter is deleted this long after it was resolved
 * @param adminActionsAfter   who did what is kept this long
 * @param chunkSize           rows a statement removes or clears at most (one short transaction each)
 * @param chunkPause          the pause between two chunks at least (the exchange's statements go first)
 * @param databaseShare       the share of the time the purge's chunks may take (0 to 1): after a chunk that took t, it
 *                            pauses t * (1 - share) / share at least, so that a slower database (its disk busy with the
 *                            purge's own writes) slows the purge down with it; 1 (or 0) pauses {@code chunkPause} only
 * @param leaseSeconds        a running run's lease (another instance resumes it after that)
 * @param resumeIntervalMs    how often a run left running by a stopped instance is looked for
 * @param storageIntervalMs   how often the storage report behind the gauges is taken
 * @param exactRowsBelow      a table whose estimated rows are below this is counted exactly; above, the estimate
 *                            ({@code pg_class.reltuples}, kept by autovacuum) is reported
 * @param databaseBytesLimit  the database's size an alert fires at (exported as {@code bridge_database_bytes_limit})
 */
@ConfigurationProperties(prefix = "bridge.retention")
public record RetentionProperties(String cron, Duration freeTextAfter, Duration eventsAfter, int decisionSchoolYears,
                                  int auditSchoolYears, Duration deadLettersAfter, Duration adminActionsAfter, int chunkSize,
                                  Duration chunkPause, double databaseShare, int leaseSeconds, long resumeIntervalMs, long storageIntervalMs,
                                  long exactRowsBelow, DataSize databaseBytesLimit) {
}
