package be.absencebridge.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/** The bridge's own settings ({@code bridge.*}); vendor endpoints and credentials are read per adapter. */
@ConfigurationProperties(prefix = "bridge")
public class BridgeProperties {

    /** Folder of the local run's data (the embedded database lives in {@code <data-dir>/postgres}). */
    private String dataDir = "./data";
    /** Connect and read timeout of every vendor call. */
    private Duration vendorTimeout = Duration.ofSeconds(10);
    /** How long pupil identities read from the vendors are reused before they are read again. */
    private Duration directoryRefresh = Duration.ofMinutes(10);

    public String getDataDir() {
        return dataDir;
    }

    public void setDataDir(String dataDir) {
        this.dataDir = dataDir;
    }

    public Duration getVendorTimeout() {
        return vendorTimeout;
    }

    public void setVendorTimeout(Duration vendorTimeout) {
        this.vendorTimeout = vendorTimeout;
    }

    public Duration getDirectoryRefresh() {
        return directoryRefresh;
    }

    public void setDirectoryRefresh(Duration directoryRefresh) {
        this.directoryRefresh = directoryRefresh;
    }
}
