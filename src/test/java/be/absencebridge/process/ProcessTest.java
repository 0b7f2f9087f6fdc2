package be.absencebridge.process;


import be.absencebridge.support.FreePort;
import be.absencebridge.support.Http;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Base of the tests that run the product as separate processes: one PostgreSQL server (embedded, in the test's
 * JVM, so that it outlives every bridge process), a database per test, the simulators in a process of their own.
 */
abstract class ProcessTest {

    static EmbeddedPostgres postgres;
    private static int databases;
    final List<AutoCloseable> processes = new ArrayList<>();

    @BeforeAll
    static void startPostgres() throws Exception {
        // durable as a production server: every commit flushed (zonky's default turns fsync off)
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setPort(FreePort.find()).setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on").setServerConfig("max_connections", "300");
        if (Boolean.getBoolean("bench.statements")) {
            // the benchmark's statement statistics (-Dbench.statements=true): where the database's time goes
            // the server may run as another user (initdb as root hands it to "nobody"): the folder is made writable by all
            java.nio.file.Path logs = java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "bench", "postgres-log").toAbsolutePath());
            java.nio.file.Files.setPosixFilePermissions(logs, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            builder.setServerConfig("shared_preload_libraries", "pg_stat_statements,auto_explain")
                    .setServerConfig("auto_explain.log_min_duration", "100")
                    // the server's own log in a file (the embedded server's output reaches the test's log only at its start):
                    // auto_explain's plans, checkpoints, autovacuum
                    .setServerConfig("logging_collector", "on")
                    .setServerConfig("log_directory", logs.toString())
                    .setServerConfig("log_filename", "postgresql-%Y-%m-%d_%H%M%S.log")
                    .setServerConfig("auto_explain.log_parameter_max_length", "200");
        }
        postgres = builder.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** A new empty database on the server; its JDBC URL. */
    static String newDatabase() throws Exception {
        String name = "bridge_" + (++databases);
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + name;
    }

    static long count(String jdbcUrl, String sql) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<String> rows(String jdbcUrl, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = java.sql.DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    b.append(i > 1 ? " | " : "").append(rs.getString(i));
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    <T extends AutoCloseable> T track(T process) {
        processes.add(process);
        return process;
    }

    @org.junit.jupiter.api.AfterEach
    void stopProcesses() throws Exception {
        for (AutoCloseable p : processes) {
            p.close();
        }
        processes.clear();
    }

    /** Seeds the simulators with a population small enough for a test and large enough to spread the keys. */
    static void seed(Http sims, int pupilsPerBranch) {
        sims.postJson("/sim/smartschool/admin/seed", Map.of("institutions", 2, "branchesPerInstitution", 2,
                "pupilsPerBranch", pupilsPerBranch, "schoolYear", "2026-27", "seed", 11));
    }

    /** Delivery batch size of the process tests' bridges. */
    static final int BATCH_SIZE = 50;
    /**
     * Vendor writes one bridge can have in flight when it is killed, per vendor: its batches in flight (4) of
     * {@link #BATCH_SIZE} rows, or Informat's parallel calls (8) — a kill can cut each after the vendor stored it.
     */
    static final int IN_FLIGHT_AT_A_KILL = 4 * BATCH_SIZE + 8;

    /** Bridge settings for the process tests: short leases and recovery so a killed instance's work resumes soon. */
    static String[] fastRecovery() {
        return fastRecovery(5);
    }

    /**
     * The same with another delivery lease: a batch whose calls outlast its lease is claimed again by another consumer
     * and written twice (the bridge warns), so a test that counts writes exactly gives a loaded machine more room.
     */
    static String[] fastRecovery(int leaseSeconds) {
        return new String[] {"--bridge.delivery.lease-seconds=" + leaseSeconds, "--bridge.delivery.batch-size=" + BATCH_SIZE, "--bridge.processing.recovery-age-seconds=3",
                "--bridge.processing.recovery-interval-ms=1000", "--bridge.delivery.poll-interval-ms=500",
                "--bridge.delivery.retry-base-delay-ms=200", "--bridge.delivery.retry-max-delay-seconds=5",
                "--bridge.delivery.handoff-grace-seconds=2",
                "--bridge.exchange.links-active-since=2026-09-01T00:00:00+02:00",
                "--bridge.pollers.informat-cron=0/5+*+*+*+*+?", "--bridge.pollers.smartschool-cron=2/10+*+*+*+*+?",
                "--spring.quartz.properties.org.quartz.jobStore.clusterCheckinInterval=2000"};
    }
}
