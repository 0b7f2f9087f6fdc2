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

    /**
     * A JVM's CPU by kind of thread, in milliseconds: its JIT compilers' ({@code C1/C2 CompilerThread}) and its
     * garbage collection's ({@code VM Thread}, where the serial collector runs, and {@code GC Thread}s); the rest is
     * the application's. Threads that ended since are counted by the process's total only, so a compiler thread
     * that ended between two readings counts as the application's.
     */
    static double[] ofJvmThreads(long pid) {
        double jit = 0;
        double gc = 0;
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                    double ms = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000.0 / TICKS_PER_SECOND;
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        jit += ms;
                    } else if (name.equals("VM Thread") || name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                        gc += ms;
                    }
                } catch (IOException ended) {
                    // the thread ended while being read
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("process " + pid + " is gone", e);
        }
        return new double[] {ofProcess(pid), jit, gc};
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

    /**
     * Readings of the benchmark's processes at one moment, in milliseconds of CPU: the bridge (or pass-through) whole
     * and its JIT compilers' and garbage collection's share, the simulators, the database, the load generator.
     */
    record Reading(double bridge, double bridgeJit, double bridgeGc, double simulators, double database, double loadGenerator) {

        static Reading of(long bridgePid, long simulatorsPid, long postmasterPid) {
            double[] b = bridgePid > 0 ? ofJvmThreads(bridgePid) : new double[3];
            return new Reading(b[0], b[1], b[2], ofProcess(simulatorsPid),
                    postmasterPid > 0 ? ofProcessTree(postmasterPid) : 0, ofProcess(ProcessHandle.current().pid()));
        }

        Reading minus(Reading before) {
            return new Reading(bridge - before.bridge, bridgeJit - before.bridgeJit, bridgeGc - before.bridgeGc,
                    simulators - before.simulators, database - before.database, loadGenerator - before.loadGenerator);
        }
    }
}
