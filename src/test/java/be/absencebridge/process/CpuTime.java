package be.absencebridge.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time of processes as Linux accounts it ({@code /proc/<pid>/stat}: user and system time of all the process's
 * threads), for the benchmark's CPU per event: a figure that two shared cores move much less than a rate.
 */
final class CpuTime {

    private static final long TICKS_PER_SECOND = ticksPerSecond();

    private CpuTime() {
    }

    /** User + system CPU of one process (all its threads), in milliseconds. */
    static double ofProcess(long pid) {
        long[] f = fields(pid);
        return (f[0] + f[1]) * 1000.0 / TICKS_PER_SECOND;
    }

    /**
     * A server and its workers (PostgreSQL's postmaster and its backends, writers, autovacuum), in milliseconds: the
     * live ones' own time plus what the postmaster reaped of workers that ended. Two readings subtract to the CPU used
     * between them, whether a worker lived through, started or ended in between.
     */
    static double ofProcessTree(long pid) {
        long[] f = fields(pid);
        long ticks = f[0] + f[1] + f[2] + f[3];
        List<ProcessHandle> children = ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of());
        for (ProcessHandle c : children) {
            try {
                long[] cf = fields(c.pid());
                ticks += cf[0] + cf[1];
            } catch (IllegalStateException gone) {
                // ended between the listing and the read: the postmaster's reaped time has it at the next reading
            }
        }
        return ticks * 1000.0 / TICKS_PER_SECOND;
    }

    /** utime, stime, cutime, cstime (fields 14-17 of stat; the command in parentheses may hold spaces). */
    private static long[] fields(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        } catch (IOException e) {
            throw new IllegalStateException("process " + pid + " is gone", e);
        }
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // after the command: state (field 3) is f[0], so field n is f[n - 3]
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
    }

    /** The parent of a process (field 4 of stat). */
    static long parent(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+")[1]);
        } catch (IOException e) {
            throw new IllegalStateException("process " + pid + " is gone", e);
        }
    }

    private static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (Exception e) {
            // Linux's USER_HZ on every architecture the benchmark runs on
            return 100;
        }
    }

    /** Readings of the benchmark's processes at one moment, in milliseconds of CPU. */
    record Reading(double bridge, double simulators, double database, double loadGenerator) {

        static Reading of(long bridgePid, long simulatorsPid, long postmasterPid) {
            return new Reading(bridgePid > 0 ? ofProcess(bridgePid) : 0, ofProcess(simulatorsPid),
                    postmasterPid > 0 ? ofProcessTree(postmasterPid) : 0, ofProcess(ProcessHandle.current().pid()));
        }

        Reading minus(Reading before) {
            return new Reading(bridge - before.bridge, simulators - before.simulators, database - before.database,
                    loadGenerator - before.loadGenerator);
        }
    }
}
