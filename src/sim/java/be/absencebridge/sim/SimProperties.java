package be.absencebridge.sim;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of the two in-process vendor simulators ({@code bridge.sim.*}). */
@ConfigurationProperties(prefix = "bridge.sim")
public class SimProperties {

    /** Run the simulators in this process. */
    private boolean enabled = true;
    /** Base URL of the bridge the simulators push to; empty means this process's own web server. */
    private String pushUrl = "";
    /** Population seeded at start-up. */
    private SeedRequest seed = new SeedRequest(2, 2, 500, "2026-27", 42L);
    /** Gentle traffic at start-up, in registrations per second over both simulators; 0 is none. */
    private double trafficEventsPerSecond = 1.0;
    /**
     * While traffic is on: pupils enrolled or moved per day of the simulators' clock (model: a few a day, spread over the
     * day; none while the clock stands still or traffic is off).
     */
    private double enrolmentsPerDay = 5.0;
    /** Account name under which Smartschool stores what the link writes (the bridge's account). */
    private String smartschoolLinkAccount = "koppeling-informat";
    /** Lifetime of Informat access tokens, in seconds. */
    private long tokenTtlSeconds = 3600;
    /** Largest request body a simulator accepts, in bytes. */
    private int maxBodyBytes = 1_048_576;
    /** Most cells in one presences write. */
    private int maxCellsPerWrite = 1000;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getPushUrl() {
        return pushUrl;
    }

    public void setPushUrl(String pushUrl) {
        this.pushUrl = pushUrl;
    }

    public SeedRequest getSeed() {
        return seed;
    }

    public void setSeed(SeedRequest seed) {
        this.seed = seed;
    }

    public double getTrafficEventsPerSecond() {
        return trafficEventsPerSecond;
    }

    public void setTrafficEventsPerSecond(double trafficEventsPerSecond) {
        this.trafficEventsPerSecond = trafficEventsPerSecond;
    }

    public double getEnrolmentsPerDay() {
        return enrolmentsPerDay;
    }

    public void setEnrolmentsPerDay(double enrolmentsPerDay) {
        this.enrolmentsPerDay = enrolmentsPerDay;
    }

    public String getSmartschoolLinkAccount() {
        return smartschoolLinkAccount;
    }

    public void setSmartschoolLinkAccount(String smartschoolLinkAccount) {
        this.smartschoolLinkAccount = smartschoolLinkAccount;
    }

    public long getTokenTtlSeconds() {
        return tokenTtlSeconds;
    }

    public void setTokenTtlSeconds(long tokenTtlSeconds) {
        this.tokenTtlSeconds = tokenTtlSeconds;
    }

    public int getMaxBodyBytes() {
        return maxBodyBytes;
    }

    public void setMaxBodyBytes(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    public int getMaxCellsPerWrite() {
        return maxCellsPerWrite;
    }

    public void setMaxCellsPerWrite(int maxCellsPerWrite) {
        this.maxCellsPerWrite = maxCellsPerWrite;
    }
}
