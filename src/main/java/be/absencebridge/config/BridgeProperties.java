package be.absencebridge.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The bridge's settings ({@code bridge.*}), typed. Their defaults live in {@code config/application.yaml} only (and
 * are described there); a profile or the environment overrides them. Settings that only the routes read (queue sizes,
 * intervals, concurrency) are {@code {{placeholders}}} in {@code routes/} and are listed here too, so that one page
 * names every setting.
 */
@ConfigurationProperties(prefix = "bridge")
public record BridgeProperties(
        String dataDir,
        Duration vendorTimeout,
        Duration directoryRefresh,
        Inbound inbound,
        Processing processing,
        Delivery delivery,
        Pollers pollers,
        Backfill backfill,
        Exchange exchange,
        Smartschool smartschool,
        Informat informat,
        Partner partner) {

    /** With the partner endpoints switched off, neither vendor's partner endpoints are called (public interfaces only). */
    public BridgeProperties {
        if (partner != null && !partner.enabled()) {
            smartschool = smartschool == null ? null : smartschool.withoutPartner();
            informat = informat == null ? null : informat.withoutPartner();
        }
    }

    /**
     * The partner endpoints both vendors would expose to the link (CONTRACTS.md); {@code enabled} false: the public
     * interfaces only, for both vendors at once (each can also be switched off alone).
     */
    public record Partner(boolean enabled) {
    }

    /** The webhooks' intake: body limit and the group commit of their inbox rows. */
    public record Inbound(long maxBodyBytes, int batchSize, int writers, int queueSize, long storeTimeoutMs) {
    }

    /** Processing of stored events; {@code recoveryAgeSeconds}: when an unprocessed event is handed out again. */
    public record Processing(int concurrency, int queueSize, int recoveryAgeSeconds, long recoveryIntervalMs) {
    }

    /** Delivery from the outbox: batches, leases, retries, and each vendor's circuit breaker. */
    public record Delivery(int concurrency, int batchSize, long batchIntervalMs, int batchesInFlight, int queueSize,
                           long pollIntervalMs, int leaseSeconds, long retryBaseDelayMs, long retryMaxDelaySeconds,
                           int maxAttempts, Breaker breaker) {
    }

    /** A vendor's circuit breaker (Resilience4j), the same thresholds for each vendor. */
    public record Breaker(int failureRateThreshold, int minimumNumberOfCalls, int slidingWindowSize,
                          int waitDurationInOpenState, int permittedNumberOfCallsInHalfOpenState) {
    }

    /** The pollers: schedules (in the routes), pages and days read. */
    public record Pollers(String leader, String informatCron, String smartschoolCron, int smartschoolDays,
                          int informatPageSize, int informatMaxPages) {
    }

    /** Backfills: lease of a running job, and a pause after this many days (0: none) for resumption tests. */
    public record Backfill(long resumeIntervalMs, int leaseSeconds, int maxDaysPerRun) {
    }

    /** The switches: how long a read of both packages' switches is reused, and an assumed activation moment. */
    public record Exchange(Duration settingsRefresh, String linksActiveSince) {
    }

    /**
     * Smartschool's platform: its address, the link's account there, the access code and the push secret.
     * {@code partner}: whether the platform offers the link's partner endpoints (its settings and its write, under
     * {@code partner/v1}); without them the absence-sync switch counts as on, the institutions whose Discimus link
     * Smartschool holds are {@code discimusInstitutions}, and nothing is written into Smartschool.
     */
    public record Smartschool(String baseUrl, String account, String accesscode, String webhookSecret, Boolean partner,
                              java.util.List<String> discimusInstitutions) {

        public Smartschool {
            discimusInstitutions = discimusInstitutions == null ? java.util.List.of() : java.util.List.copyOf(discimusInstitutions);
        }

        /** Whether the partner endpoints are offered (otherwise only the public SOAP reads are used). */
        public boolean hasPartner() {
            return !Boolean.FALSE.equals(partner);
        }

        Smartschool withoutPartner() {
            return new Smartschool(baseUrl, account, accesscode, webhookSecret, false, discimusInstitutions);
        }
    }

    /**
     * Informat, three hosts and the partner endpoints: the identity server (tokens), the public Student API (its absence
     * write), the older public pupil API, and the link's partner endpoints (change feed, the write with remark and clear,
     * branches, calendar, pupils); {@code partnerUrl} empty: public interfaces only. The link's client credentials and the
     * push secret. {@code branches}: the board's branches as the public pupil API names them, for public interfaces only.
     */
    public record Informat(String identityUrl, String studentApiUrl, String pupilApiUrl, String partnerUrl,
                           String clientId, String clientSecret, String webhookSecret, java.util.List<Branch> branches) {

        public Informat {
            branches = branches == null ? java.util.List.of() : java.util.List.copyOf(branches);
        }

        /** Whether the partner endpoints are configured (otherwise only what the public interfaces carry is exchanged). */
        public boolean partner() {
            return partnerUrl != null && !partnerUrl.isBlank();
        }

        Informat withoutPartner() {
            return new Informat(identityUrl, studentApiUrl, pupilApiUrl, "", clientId, clientSecret, webhookSecret, branches);
        }
    }

    /**
     * A branch of the board, for the public pupil API, which names a pupil's branch by the school's own code
     * ({@code vestCode} of a registration) and not by its Discimus location: the board maps one onto the other here,
     * with the branch's subcodes (subcode: main code) that the partner endpoints would otherwise give.
     */
    public record Branch(String instituteNo, String vestCode, int locationIdDiscimus, java.util.Map<String, String> subcodes) {

        public Branch {
            subcodes = subcodes == null ? java.util.Map.of() : java.util.Map.copyOf(subcodes);
        }
    }
}
