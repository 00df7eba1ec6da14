package io.clickstream.streaming;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.clickstream.infra.lakehouse.ServiceOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.Formatter;
import org.apache.flink.configuration.description.TextElement;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/** Small helpers shared by the local entry points (demo, benchmark): options, working directories, memory. */
public final class LocalRuns {
    private LocalRuns() {}

    /** The {@code public static ConfigOption} fields of an options class, in declaration order. */
    public static List<ConfigOption<?>> declaredOptions(Class<?> optionsClass) {
        List<ConfigOption<?>> out = new ArrayList<>();
        for (Field f : optionsClass.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
                try {
                    out.add((ConfigOption<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    /** An option's description as plain text (for {@code --help}); {@code description().toString()} is not. */
    public static String describe(ConfigOption<?> option) {
        return new PlainText().format(option.description());
    }

    /** Flink's description formatter without HTML: text with its arguments, lists as "- item" lines. */
    private static final class PlainText extends Formatter {
        @Override
        protected void formatLink(StringBuilder state, String link, String description) {
            state.append(description).append(" (").append(link).append(')');
        }

        @Override
        protected void formatLineBreak(StringBuilder state) {
            state.append('\n');
        }

        @Override
        protected void formatText(StringBuilder state, String format, String[] elements,
                java.util.EnumSet<TextElement.TextStyle> styles) {
            state.append(String.format(format, (Object[]) elements));
        }

        @Override
        protected void formatList(StringBuilder state, String[] entries) {
            for (String e : entries) {
                state.append("\n  - ").append(e);
            }
        }

        @Override
        protected Formatter newInstance() {
            return new PlainText();
        }
    }

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
