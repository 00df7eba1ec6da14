package io.clickstream.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and peak memory of processes, from the JVM and Linux's /proc. */
final class ProcessStats {
    /** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux/x86). */
    private static final double TICKS = 100.0;

    private ProcessStats() {}

    /** CPU seconds (user + system) this JVM has used so far. */
    static double ownCpuSeconds() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return os.getProcessCpuTime() / 1e9;
    }

    /** CPU seconds (user + system) of another process so far, or NaN. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After the command: state(0) ppid(1) ... utime(11) stime(12)
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Peak resident set size (VmHWM) of a process in MB, or -1. */
    static long peakRssMb(long pid) {
        return io.clickstream.streaming.LocalRuns.peakRssMb(pid);
    }

    static long directoryBytes(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
