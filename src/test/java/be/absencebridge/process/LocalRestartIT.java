package be.absencebridge.process;

import be.absencebridge.domain.HalfDay;
import be.absencebridge.support.FreePort;
import be.absencebridge.support.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The local run of the README (simulators, bridge and an embedded PostgreSQL in one process, its data in a folder)
 * killed with {@code kill -9}, of the JVM alone (its PostgreSQL survives it) and of the whole process group (the lock
 * file stays behind), and started again with the same command: it comes back on its own data, with nothing lost.
 */
class LocalRestartIT extends ProcessTest {

    @Test
    void theLocalRunComesBackOnItsOwnDataAfterAKill9OfTheJvmAloneOrOfItsWholeProcessGroup() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "local-run-");
        ProductProcess local = track(ProductProcess.local(FreePort.find(), data)).start().awaitReady();
        Http http = new Http(local.url(), local.managementUrl());
        Registers registers = new Registers(http);
        Registers.Pupil pupil = registers.pupils.stream().filter(p -> !p.kindergarten()).findFirst().orElseThrow();
        String audit = "/api/admin/audit?institutionNumber=" + pupil.institutionNumber() + "&registrationNumber="
                + pupil.registrationNumber();
        String auth = ProductProcess.ADMIN_AUTH;
        LocalDate day = registers.days.get(0);
        registers.register(pupil, day, HalfDay.AM, false);
        await().atMost(Duration.ofSeconds(60)).until(() -> http.get(audit, "Authorization", auth).text().contains("DELIVERED"));
        int decided = http.get(audit, "Authorization", auth).json().size();

        for (String how : List.of("the JVM alone", "the whole process group")) {
            if (how.startsWith("the JVM")) {
                local.kill9();
            } else {
                local.kill9WithDatabase(data.resolve("postgres"));
            }
            assertThat(Files.exists(data.resolve("postgres").resolve("postmaster.pid"))).as("the lock file the killed run left").isTrue();
            long started = System.nanoTime();
            local.start().awaitReady();
            System.out.printf("local run killed (%s): ready again after %d ms%n", how, (System.nanoTime() - started) / 1_000_000);
            JsonNode after = http.get(audit, "Authorization", auth).json();
            assertThat(after.size()).as("the audit of the run before the kill").isGreaterThanOrEqualTo(decided);
            assertThat(after.toString()).contains("DELIVERED");
            // and it works: a new registration goes through
            registers.register(pupil, how.startsWith("the JVM") ? registers.days.get(registers.days.size() - 1) : day, HalfDay.AM, false);
            int seen = after.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> http.get(audit, "Authorization", auth).json().size() > seen);
        }
    }
}
