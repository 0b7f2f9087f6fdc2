package be.absencebridge.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * TCP connections as Linux counts them, for the benchmark's view of the connection pools: the connections a process
 * holds open to a port ({@code /proc/<pid>/fd} sockets matched with {@code /proc/net/tcp}), and the connects made on
 * the whole machine ({@code /proc/net/snmp} {@code Tcp ActiveOpens}): a pool that keeps its connections alive makes
 * almost none per request.
 */
final class Connections {

    private Connections() {
    }

    /** Connects ({@code connect()} that reached SYN-SENT) made by every process of the machine so far. */
    static long activeOpens() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("Tcp:") && lines.get(i + 1).startsWith("Tcp:")) {
                    List<String> names = List.of(lines.get(i).trim().split("\\s+"));
                    String[] values = lines.get(i + 1).trim().split("\\s+");
                    return Long.parseLong(values[names.indexOf("ActiveOpens")]);
                }
            }
            throw new IllegalStateException("no Tcp lines in /proc/net/snmp");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The established TCP connections that process {@code pid} holds to {@code remotePort} on this machine. */
    static int established(long pid, int remotePort) {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closed) {
                    // closed between the listing and the read
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int n = 0;
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                    if (f.length > 9 && f[3].equals("01") && f[2].endsWith(":" + String.format("%04X", remotePort))
                            && inodes.contains(f[9])) {
                        n++;
                    }
                }
            } catch (IOException e) {
                // no IPv6 table on this machine
            }
        }
        return n;
    }
}
