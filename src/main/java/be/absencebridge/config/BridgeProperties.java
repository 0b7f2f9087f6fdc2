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
        Duration vendorFailingAfter,
        Duration directoryRefresh,
        Inbound inbound,
        Processing processing,
        Delivery delivery,
        Pollers pollers,
        Backfill backfill,
        Exchange exchange,
        Smartschool smartschool,
        Informat informat,
        Partner partner,
        Reconcile reconcile,
        Vendor vendor) {

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

    /**
     * What the bridge takes from a vendor in one answer ({@code bridge.vendor.*}): at most {@code maxAnswerSize}, whole
     * within {@code answerDeadline} of the call (the connect and read timeouts, {@code bridge.vendor-timeout}, do not
     * bound a body that trickles in).
     */
    public record Vendor(org.springframework.util.unit.DataSize maxAnswerSize, Duration answerDeadline) {
    }

    /**
     * The webhooks' intake: body limit, how far a push's signed timestamp may lie from the bridge's clock
     * ({@code signatureTolerance}), and the group commit of their inbox rows.
     */
    public record Inbound(long maxBodyBytes, int batchSize, int writers, int queueSize, long storeTimeoutMs,
                          Duration signatureTolerance) {
    }

    /**
     * Processing of stored events; {@code recoveryAgeSeconds}: when an unprocessed event is handed out again;
     * {@code vendorRetries} and {@code vendorRetryDelayMs}: a failed vendor read tried again in place first.
     */
    public record Processing(int concurrency, int queueSize, int recoveryAgeSeconds, long recoveryIntervalMs, int vendorRetries,
                             long vendorRetryDelayMs, int batchSize, long batchIntervalMs, int batchesInFlight) {
    }

    /** Delivery from the outbox: batches, leases, retries, and each vendor's circuit breaker. */
    public record Delivery(int concurrency, int batchSize, long batchIntervalMs, int batchesInFlight, int queueSize,
                           long pollIntervalMs, int handoffGraceSeconds, int leaseSeconds, long retryBaseDelayMs, long retryMaxDelaySeconds,
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
    public record Backfill(long resumeIntervalMs, int leaseSeconds, int maxDaysPerRun, long deliveredCheckMs) {
    }

    /**
     * Reconciliations: the nightly run (its Quartz cron, how many days back, whether it repairs), the mass-change guard
     * (the largest share of a branch's half-days one repair may change without an admin's approval), how long runs are
     * kept, and the lease of a running one.
     */
    public record Reconcile(String cron, int nightlyDays, boolean nightlyRepair, double guardShare, int keepDays,
                            int leaseSeconds, long resumeIntervalMs, long deliveredCheckMs) {
    }

    /**
     * The switches: how long a read of both packages' switches is reused, and an assumed activation moment. Pupils one
     * side does not know yet: how long a record waits for them before it waits for a person ({@code unknownPupilWait}),
     * how often a waiting record is looked at again in any case ({@code unknownPupilRecheck}), how often a pupil not
     * found may make the directories read again for the whole process ({@code directoryMissInterval}), and how often
     * the directories route looks ({@code directoryCheckInterval}), how often Informat's changes are read with public
     * interfaces only ({@code directoryChangesInterval}). The school year: how many days after 1 September
     * the previous year's days are still exchanged ({@code previousYearDays}).
     */
    public record Exchange(Duration settingsRefresh, String linksActiveSince, Duration unknownPupilWait,
                           Duration unknownPupilRecheck, Duration directoryMissInterval, Duration directoryCheckInterval,
                           Duration directoryChangesInterval, int previousYearDays) {
    }

    /**
     * Smartschool: the link's account (the same name on every platform), and the school board's platforms by name (each
     * school has its own, {@code https://<name>.smartschool.be}). {@code accesscode}, {@code webhookSecret} and
     * {@code partner} are the defaults of a platform that does not set its own.
     */
    public record Smartschool(String account, String accesscode, String webhookSecret, Boolean partner,
                              java.util.Map<String, PlatformSettings> platforms) {

        private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

        public Smartschool {
            platforms = platforms == null ? java.util.Map.of() : java.util.Map.copyOf(platforms);
        }

        /** Whether the platforms offer the link's partner endpoints unless one says otherwise. */
        public boolean hasPartner() {
            return !Boolean.FALSE.equals(partner);
        }

        /** The platforms with the defaults filled in, by name; an invalid name or a missing address is refused. */
        public java.util.List<Platform> platformList() {
            java.util.List<Platform> out = new java.util.ArrayList<>();
            java.util.Map<String, String> institutionOwner = new java.util.HashMap<>();
            for (java.util.Map.Entry<String, PlatformSettings> e : new java.util.TreeMap<>(platforms).entrySet()) {
                String name = e.getKey();
                PlatformSettings p = e.getValue();
                if (!NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("bridge.smartschool.platforms: a platform's name is its host's first label "
                            + "(lowercase letters, digits, '-'): " + name);
                }
                if (p == null || p.baseUrl() == null || p.baseUrl().isBlank()) {
                    throw new IllegalArgumentException("bridge.smartschool.platforms." + name + ".base-url is missing");
                }
                for (String i : p.institutions()) {
                    String other = institutionOwner.put(i, name);
                    if (other != null) {
                        throw new IllegalArgumentException("institution " + i + " is listed by platforms " + other + " and " + name);
                    }
                }
                out.add(new Platform(name, p.baseUrl().replaceAll("/+$", ""),
                        blank(p.accesscode()) ? nullToEmpty(accesscode) : p.accesscode(),
                        blank(p.webhookSecret()) ? nullToEmpty(webhookSecret) : p.webhookSecret(),
                        p.institutions(), hasPartner() && !Boolean.FALSE.equals(p.partner()), p.discimusInstitutions(),
                        blank(p.pollCron()) ? null : p.pollCron()));
            }
            return out;
        }

        private static boolean blank(String s) {
            return s == null || s.isBlank();
        }

        private static String nullToEmpty(String s) {
            return s == null ? "" : s;
        }

        Smartschool withoutPartner() {
            return new Smartschool(account, accesscode, webhookSecret, false, platforms);
        }
    }

    /**
     * One Smartschool platform as configured: its address, access code and push secret (empty: the defaults of
     * {@code bridge.smartschool}), the institutions it holds (empty: those of the pupils its accounts show), whether it
     * offers the partner endpoints, and without them the institutions whose Discimus link it holds; {@code pollCron}: its
     * own poller schedule (empty: {@code bridge.pollers.smartschool-cron}).
     */
    public record PlatformSettings(String baseUrl, String accesscode, String webhookSecret, java.util.List<String> institutions,
                                   Boolean partner, java.util.List<String> discimusInstitutions, String pollCron) {

        public PlatformSettings {
            institutions = institutions == null ? java.util.List.of() : java.util.List.copyOf(institutions);
            discimusInstitutions = discimusInstitutions == null ? java.util.List.of() : java.util.List.copyOf(discimusInstitutions);
        }
    }

    /** A platform with its defaults filled in ({@link Smartschool#platformList()}). */
    public record Platform(String name, String baseUrl, String accesscode, String webhookSecret, java.util.List<String> institutions,
                           boolean partner, java.util.List<String> discimusInstitutions, String pollCron) {

        /** Whether the configuration says which institutions the platform holds (otherwise its accounts say). */
        public boolean listsInstitutions() {
            return !institutions.isEmpty();
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
