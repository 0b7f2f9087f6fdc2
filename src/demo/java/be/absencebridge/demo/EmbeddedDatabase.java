package be.absencebridge.demo;

import be.absencebridge.config.BridgeProperties;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The local run's database: when no {@code spring.datasource.url} is configured, an embedded PostgreSQL 17 is started
 * from the binaries this artifact carries, its files under {@code bridge.data-dir}, so a restart finds the data again.
 * Production (the product's own artifact and image, which carry no PostgreSQL) points {@code spring.datasource.url} at
 * a real server.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "bridge.sync.enabled", havingValue = "true", matchIfMissing = true)
@Conditional(EmbeddedDatabase.NoDatasourceUrl.class)
public class EmbeddedDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    static final class NoDatasourceUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty("spring.datasource.url");
            return url == null || url.isBlank();
        }
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(BridgeProperties props) throws IOException {
        Path dir = Path.of(props.dataDir(), "postgres").toAbsolutePath().normalize();
        Files.createDirectories(dir);
        recoverAfterACrash(dir);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "100")
                .setServerConfig("fsync", "on")
                .start();
        LOG.info("embedded PostgreSQL started on port {} with its data in {}", pg.getPort(), dir);
        return pg;
    }

    /**
     * A run killed with {@code kill -9} leaves its PostgreSQL's lock file ({@code postmaster.pid}) behind, and its
     * postmaster still running when only the JVM was killed: the next start would give up on "lock file already exists".
     * A postmaster of this data directory that still runs is stopped (SIGTERM: its clients died with their JVM; after
     * 30 s it is killed), a lock file whose process is gone (or is not a PostgreSQL: its number was given to
     * another process since) is removed. PostgreSQL then recovers from its write-ahead log as after any crash.
     */
    static void recoverAfterACrash(Path dir) throws IOException {
        Path lock = dir.resolve("postmaster.pid");
        if (!Files.exists(lock)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(lock).get(0).trim());
        } catch (RuntimeException e) {
            LOG.warn("removing an unreadable PostgreSQL lock file {}", lock);
            Files.deleteIfExists(lock);
            return;
        }
        java.util.Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
        if (process.isEmpty()) {
            LOG.warn("removing the lock file of a PostgreSQL that no longer runs (pid {}): the last run ended without stopping it", pid);
            Files.deleteIfExists(lock);
            return;
        }
        LOG.warn("a PostgreSQL of an earlier run (pid {}) still holds {}: stopping it", pid, dir);
        try {
            // SIGTERM, PostgreSQL's smart shutdown: its clients died with their JVM, so it stops at once
            process.get().destroy();
            if (!waitForExit(process.get(), 30)) {
                LOG.warn("PostgreSQL pid {} did not stop within 30 s: killing it", pid);
                process.get().destroyForcibly();
                waitForExit(process.get(), 10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the PostgreSQL of an earlier run", e);
        }
        Files.deleteIfExists(lock);
        LOG.info("the PostgreSQL of the earlier run stopped; starting on its data");
    }

    private static boolean waitForExit(ProcessHandle p, int seconds) throws InterruptedException {
        try {
            p.onExit().get(seconds, java.util.concurrent.TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return !p.isAlive();
        }
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(EmbeddedPostgres pg) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
        config.setUsername("postgres");
        config.setMaximumPoolSize(20);
        config.setPoolName("bridge-db");
        return new HikariDataSource(config);
    }
}
