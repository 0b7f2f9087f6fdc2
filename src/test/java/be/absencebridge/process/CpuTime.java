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

    /** A JVM's CPU (ms) and, per thread id, its JIT compilers' and its garbage collection's threads' CPU. */
    record JvmThreads(double process, java.util.Map<Long, Double> jit, java.util.Map<Long, Double> gc) {
        static final JvmThreads NONE = new JvmThreads(0, java.util.Map.of(), java.util.Map.of());
    }

    /**
     * A JVM's CPU by kind of thread, in milliseconds: its JIT compilers' ({@code C1/C2 CompilerThread}) and its
     * garbage collection's ({@code VM Thread}, where the serial collector runs, and {@code GC Thread}s), per thread id;
     * the rest is the application's. The JVM starts and ends compiler threads as their queues grow and shrink: a thread
     * that ended between two readings counts as the application's for its last stretch (the process's total has it).
     */
    static JvmThreads ofJvmThreads(long pid) {
        java.util.Map<Long, Double> jit = new java.util.HashMap<>();
        java.util.Map<Long, Double> gc = new java.util.HashMap<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                    double ms = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000.0 / TICKS_PER_SECOND;
                    long tid = Long.parseLong(task.getFileName().toString());
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        jit.put(tid, ms);
                    } else if (name.equals("VM Thread") || name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                        gc.put(tid, ms);
                    }
                } catch (IOException ended) {
                    // the thread ended while being read
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("process " + pid + " is gone", e);
        }
        return new JvmThreads(ofProcess(pid), jit, gc);
    }

    /** The CPU the threads of {@code after} spent since {@code before} (a thread new since then: all of its CPU). */
    private static double since(java.util.Map<Long, Double> after, java.util.Map<Long, Double> before) {
        double sum = 0;
        for (java.util.Map.Entry<Long, Double> t : after.entrySet()) {
            sum += t.getValue() - before.getOrDefault(t.getKey(), 0.0);
        }
        return sum;
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
    record Reading(double bridge, double bridgeJit, double bridgeGc, double simulators, double database, double loadGenerator,
                   JvmThreads threads) {

        static Reading of(long bridgePid, long simulatorsPid, long postmasterPid) {
            JvmThreads b = bridgePid > 0 ? ofJvmThreads(bridgePid) : JvmThreads.NONE;
            return new Reading(b.process(), since(b.jit(), java.util.Map.of()), since(b.gc(), java.util.Map.of()),
                    ofProcess(simulatorsPid), postmasterPid > 0 ? ofProcessTree(postmasterPid) : 0,
                    ofProcess(ProcessHandle.current().pid()), b);
        }

        /** What was spent since {@code before}; the JIT's and GC's share per thread, so that an ended thread takes nothing back. */
        Reading minus(Reading before) {
            return new Reading(bridge - before.bridge, since(threads.jit(), before.threads.jit()), since(threads.gc(), before.threads.gc()),
                    simulators - before.simulators, database - before.database, loadGenerator - before.loadGenerator, threads);
        }
    }
}
