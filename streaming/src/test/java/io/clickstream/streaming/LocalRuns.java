package io.clickstream.streaming;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import io.clickstream.infra.lakehouse.ServiceOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * Helpers of the local runs (tests, demo, benchmark): MiniCluster listeners on loopback, working directories,
 * memory. Test code, shipped in this module's test jar, never in the job jar.
 */
public final class LocalRuns {
    private LocalRuns() {}

    /**
     * The local MiniCluster's listeners (REST, the JobManager's RPC and blob server, the TaskManager's RPC
     * and data ports) on {@link ServiceOptions#BIND_HOST} (127.0.0.1 by default) instead of every
     * interface; settings the caller already made win. For the demo and tests, not for a real cluster.
     */
    public static Configuration bindLocally(Configuration conf) {
        String host = ServiceOptions.bindHost();
        String advertised = host.equals("0.0.0.0") ? "127.0.0.1" : host;
        setIfAbsent(conf, RestOptions.BIND_ADDRESS, host);
        setIfAbsent(conf, RestOptions.ADDRESS, advertised);
        setIfAbsent(conf, JobManagerOptions.BIND_HOST, host);
        setIfAbsent(conf, JobManagerOptions.ADDRESS, advertised);
        setIfAbsent(conf, TaskManagerOptions.BIND_HOST, host);
        setIfAbsent(conf, TaskManagerOptions.HOST, advertised);
        return conf;
    }

    private static void setIfAbsent(Configuration conf, ConfigOption<String> option, String value) {
        if (!conf.contains(option)) {
            conf.set(option, value);
        }
    }

    /** Deletes a working directory's contents and recreates it. */
    public static void wipe(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
    }

    /** Peak resident set size (VmHWM from Linux's /proc) of a process in MB, or -1 if unknown. */
    public static long peakRssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }
}
