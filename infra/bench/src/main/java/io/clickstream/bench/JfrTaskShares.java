package io.clickstream.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The per-task CPU share table of docs/BENCHMARKS.md from a JFR recording of a benchmark run
 * ({@code --jvm-opts "... -XX:StartFlightRecording=filename=run.jfr,settings=profile"}): execution samples
 * grouped by thread (Flink task threads without their subtask suffix, pool threads by pool), each with its share of
 * all samples and its hottest frames (top of stack, and the first frame of the project's or an engine's own code).
 *
 * <p>Usage: {@code java -cp ... io.clickstream.bench.JfrTaskShares run.jfr [rows=25] [frames=3]}; prints a
 * Markdown table.
 */
public final class JfrTaskShares {
    private static final Pattern SUBTASK = Pattern.compile(" \\(\\d+/\\d+\\)(#\\d+)?$");
    private static final Pattern POOL_INDEX = Pattern.compile("-\\d+$|-thread-\\d+$|\\d+$");

    private JfrTaskShares() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        int frames = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Map<String, Long> byThread = new HashMap<>();
        Map<String, Map<String, Long>> topFrames = new HashMap<>();
        long total = 0;
        try (RecordingFile f = new RecordingFile(file)) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                total++;
                String thread = group(e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName());
                byThread.merge(thread, 1L, Long::sum);
                RecordedStackTrace st = e.getStackTrace();
                if (st != null && !st.getFrames().isEmpty()) {
                    topFrames.computeIfAbsent(thread, k -> new HashMap<>()).merge(describe(st.getFrames()), 1L, Long::sum);
                }
            }
        }
        System.out.printf("%,d execution samples in %s%n%n", total, file);
        System.out.println("| thread (task) | share | hottest frames (share of the task's samples) |");
        System.out.println("|---|---:|---|");
        long shown = 0;
        List<Map.Entry<String, Long>> sorted = byThread.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).toList();
        for (Map.Entry<String, Long> t : sorted.subList(0, Math.min(rows, sorted.size()))) {
            shown += t.getValue();
            StringBuilder hot = new StringBuilder();
            topFrames.getOrDefault(t.getKey(), Map.of()).entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(frames)
                .forEach(fr -> hot.append(hot.length() == 0 ? "" : "; ")
                    .append(String.format("%s %.0f%%", fr.getKey(), 100.0 * fr.getValue() / t.getValue())));
            System.out.printf("| %s | %.1f%% | %s |%n", t.getKey().replace("|", "/"), 100.0 * t.getValue() / total, hot);
        }
        System.out.printf("| (other threads) | %.1f%% | |%n", 100.0 * (total - shown) / Math.max(1, total));
    }

    /** Flink task threads lose their subtask suffix; numbered pool threads are grouped by pool. */
    static String group(String thread) {
        String t = SUBTASK.matcher(thread).replaceAll("");
        if (t.length() == thread.length()) {
            t = POOL_INDEX.matcher(t).replaceAll("-*");
        }
        return t.length() > 140 ? t.substring(0, 137) + "..." : t;
    }

    /** The leaf method, and the first frame up the stack in io.clickstream / org.apache code if the leaf is elsewhere. */
    static String describe(List<RecordedFrame> stack) {
        String leaf = name(stack.get(0));
        if (leaf.startsWith("io.clickstream") || leaf.startsWith("org.apache")) {
            return shortName(leaf);
        }
        for (RecordedFrame fr : stack) {
            String n = name(fr);
            if (n.startsWith("io.clickstream") || n.startsWith("org.apache")) {
                return shortName(leaf) + " < " + shortName(n);
            }
        }
        return shortName(leaf);
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static String shortName(String qualified) {
        String[] parts = qualified.split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : qualified;
    }
}
