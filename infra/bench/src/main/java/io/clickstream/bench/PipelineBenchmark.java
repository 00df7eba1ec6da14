package io.clickstream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.clickstream.infra.kafka.LocalKafkaBroker;
import io.clickstream.loadgen.ClickGenerator;
import io.clickstream.loadgen.LoadGenOptions;
import io.clickstream.loadgen.LoadProducer;
import io.clickstream.loadgen.TopicSetup;
import io.clickstream.streaming.LocalRuns;
import org.apache.flink.configuration.Configuration;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * The benchmark command: on the embedded stack, pre-loads generated events into a raw topic and
 * measures, each in a fresh JVM, (1) the read + parse ceiling, (2) the plain Flink SQL baseline and
 * (3) our job end to end into committed tables; then the scaling curve of our job over input sizes
 * and parallelisms, and the event → committed latency under live traffic.
 *
 * <p>Prints a short table, the ratios, and one machine-readable {@code BENCH {json}} line; writes
 * {@code results.json} and PNG charts to the working directory. Options: {@link BenchOptions}.
 */
public final class PipelineBenchmark {
    private final Configuration options;
    private final Path dir;
    private final LocalKafkaBroker broker;
    private final Map<Long, String> preloaded = new LinkedHashMap<>();

    private PipelineBenchmark(Configuration options, Path dir, LocalKafkaBroker broker) {
        this.options = options;
        this.dir = dir;
        this.broker = broker;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(BenchOptions.describe());
            return;
        }
        Configuration o = BenchOptions.fromArgs(args);
        Path dir = Path.of(o.get(BenchOptions.DIR)).toAbsolutePath();
        LocalRuns.wipe(dir);
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(dir.resolve("kafka"), Duration.ofSeconds(60))) {
            new PipelineBenchmark(o, dir, broker).run();
        }
        System.exit(0);
    }

    private void run() throws Exception {
        long n = options.get(BenchOptions.EVENTS);
        int p = options.get(BenchOptions.PARALLELISM);
        System.out.printf("Benchmark on %d cores, %s; Kafka broker pid %d%n", Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), broker.pid());

        List<RunResult> main = new ArrayList<>();
        String topic = preload(n);
        for (String variant : options.get(BenchOptions.VARIANTS)) {
            main.add(measure(variant, topic, p, n, 0, Duration.ZERO));
        }
        List<RunResult> scaling = new ArrayList<>();
        for (long size : options.get(BenchOptions.SCALING_EVENTS)) {
            String t = preload(size);
            String variant = options.get(BenchOptions.SCALING_VARIANT);
            for (int par : options.get(BenchOptions.SCALING_PARALLELISM)) {
                RunResult same = find(main, variant);
                scaling.add(size == n && par == p && same != null ? same : measure(variant, t, par, size, 0, Duration.ZERO));
            }
        }
        RunResult fresh = null;
        int rate = options.get(BenchOptions.FRESHNESS_RATE);
        if (rate > 0) {
            String t = "bench-live.clicks.raw";
            TopicSetup.ensureTopics(broker.bootstrapServers(), 4, t, t + ".late", t + ".dlq");
            fresh = measure("freshness", t, p, 0, rate, options.get(BenchOptions.FRESHNESS_DURATION));
        }
        report(main, scaling, fresh);
    }

    /** Pre-loads {@code events} generated events (seed 42) into a topic of their own, once per size. */
    private String preload(long events) {
        return preloaded.computeIfAbsent(events, n -> {
            String topic = "bench-" + n + ".clicks.raw";
            TopicSetup.ensureTopics(broker.bootstrapServers(), 4, topic, topic + ".late", topic + ".dlq");
            LoadGenOptions g = new LoadGenOptions();
            g.events = n;
            g.bootstrapServers = broker.bootstrapServers();
            g.topic = topic;
            long t0 = System.nanoTime();
            long records = LoadProducer.produce(g, new ClickGenerator(g), null);
            System.out.printf("pre-loaded %,d records (%,d events) into %s in %.1f s%n", records, n, topic,
                (System.nanoTime() - t0) / 1e9);
            return topic;
        });
    }

    /** Runs one variant in a fresh JVM and adds what the broker spent meanwhile. */
    private RunResult measure(String variant, String topic, int parallelism, long events, int rate, Duration duration)
            throws Exception {
        Path runDir = dir.resolve(variant + "-" + (events > 0 ? events : "live") + "-p" + parallelism);
        Files.createDirectories(runDir);
        BenchRunner.Spec spec = new BenchRunner.Spec(variant, broker.bootstrapServers(), topic, runDir, parallelism, events,
            rate, duration, options.getOptional(BenchOptions.JOB_OPTIONS).orElse(List.of()));
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(Arrays.asList(options.get(BenchOptions.JVM_OPTS).trim().split("\\s+")));
        String log4j = System.getProperty("log4j.configurationFile");
        if (log4j != null) {
            cmd.add("-Dlog4j.configurationFile=" + log4j);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BenchRunner.class.getName());
        cmd.addAll(spec.toArgs());
        System.out.printf("running %-12s on %s, parallelism %d ...%n", variant, topic, parallelism);
        double brokerCpu0 = ProcessStats.cpuSeconds(broker.pid());
        // Tied to this JVM (own process group, stopped with it even on SIGKILL); stdout and stderr to run.log.
        Path runLog = runDir.resolve("run.log");
        RunResult result = null;
        int exit = -1;
        try (io.clickstream.infra.lakehouse.TiedProcess child = io.clickstream.infra.lakehouse.TiedProcess.start(variant, cmd,
                Path.of("").toAbsolutePath(), runLog, "TERM", io.clickstream.infra.lakehouse.ServiceOptions.stopGrace(),
                java.util.Map.of())) {
            int printed = 0;
            while (exit < 0) {
                exit = child.waitFor(java.time.Duration.ofMillis(500));
                String text = Files.exists(runLog) ? new String(Files.readAllBytes(runLog), StandardCharsets.UTF_8) : "";
                // Complete lines only while it runs (a line being written is read on the next round).
                String complete = exit >= 0 ? text : text.substring(0, text.lastIndexOf('\n') + 1);
                // No output yet is no line (split would give one empty line and skip the first real one).
                List<String> lines = complete.isEmpty() ? List.of() : List.of(complete.split("\n"));
                for (int i = printed; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (line.startsWith("RESULT ")) {
                        result = RunResult.fromJson(line.substring("RESULT ".length()));
                    }
                }
                printed = lines.size();
            }
        }
        if (result == null || exit != 0) {
            throw new IllegalStateException(variant + " failed (exit " + exit + "), see " + runDir.resolve("run.log"));
        }
        result.brokerCpuSeconds = ProcessStats.cpuSeconds(broker.pid()) - brokerCpu0;
        result.brokerPeakRssMb = ProcessStats.peakRssMb(broker.pid());
        System.out.printf("    %s%n", result.summary());
        return result;
    }

    private static RunResult find(List<RunResult> runs, String variant) {
        return runs.stream().filter(r -> r.variant.equals(variant)).findFirst().orElse(null);
    }

    private void report(List<RunResult> main, List<RunResult> scaling, RunResult fresh) throws IOException {
        RunResult ceiling = find(main, "ceiling");
        RunResult sql = find(main, "sql-baseline");
        RunResult sqlFull = find(main, "sql-full");
        RunResult oursPaimonOnly = find(main, "ours");
        RunResult ours = find(main, "ours-serving");
        StringBuilder t = new StringBuilder();
        t.append(String.format("%n%-13s %10s %9s %12s %13s %10s %9s %9s %10s %9s%n", "variant", "records", "wall s", "records/s",
            "rec/core-s", "cores", "rss MB", "ckpt ms", "bytes/rec", "state MB"));
        for (RunResult r : main) {
            t.append(row(r));
        }
        if (!scaling.isEmpty()) {
            t.append(String.format("%nScaling of our job (records/s, peak RSS):%n"));
        }
        for (RunResult r : scaling) {
            t.append(String.format("  %,10d events  p=%d  %,8.0f records/s  %,8.0f rec/core-s  %,5d MB%n", r.events, r.parallelism,
                r.recordsPerSecond(), r.recordsPerCoreSecond(), r.peakRssMb));
        }
        if (fresh != null) {
            t.append(String.format("%nFreshness (live %,d events/s, event → committed in raw_events, %,d rows): p50 %,.0f ms, "
                + "p99 %,.0f ms; checkpoints avg %,.0f ms, max %,.0f ms%n", options.get(BenchOptions.FRESHNESS_RATE),
                fresh.freshnessSamples, fresh.freshnessP50Ms, fresh.freshnessP99Ms, fresh.checkpointAvgMs, fresh.checkpointMaxMs));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("cores", Runtime.getRuntime().availableProcessors());
        if (ours != null) {
            summary.put("ours", ours.summary());
            t.append(String.format("%nOurs (serving on) per core used: %,.0f records/core-s (job JVM only), %,.0f (job JVM + broker)%n",
                ours.recordsPerCoreSecond(), ours.recordsPerCoreSecondWithBroker()));
        }
        if (oursPaimonOnly != null) {
            summary.put("ours_paimon_only", oursPaimonOnly.summary());
        }
        if (sqlFull != null) {
            summary.put("sql_full", sqlFull.summary());
        }
        if (sql != null) {
            summary.put("sql_baseline", sql.summary());
        }
        if (ours != null && sqlFull != null) {
            double vsFull = ours.recordsPerCoreSecond() / sqlFull.recordsPerCoreSecond();
            t.append(String.format("Ratios: ours / sql-full (the same tables in plain Flink SQL) = %.2f (records/s), %.2f (per core; "
                + "target >= 1.5)%n", ours.recordsPerSecond() / sqlFull.recordsPerSecond(), vsFull));
            summary.put("ratio_vs_sql_full_per_core", Math.round(vsFull * 100) / 100.0);
        }
        if (ceiling != null) {
            summary.put("ceiling", ceiling.summary());
        }
        if (ours != null && sql != null) {
            double vsSql = ours.recordsPerSecond() / sql.recordsPerSecond();
            t.append(String.format("Ratios: ours / SQL baseline = %.2f (records/s), %.2f (per core)%n", vsSql,
                ours.recordsPerCoreSecond() / sql.recordsPerCoreSecond()));
            summary.put("ratio_vs_sql", Math.round(vsSql * 100) / 100.0);
        }
        if (ours != null && ceiling != null) {
            double vsCeiling = ours.recordsPerSecond() / ceiling.recordsPerSecond();
            t.append(String.format("Ratios: ours / read+parse ceiling = %.3f (records/s), %.3f (per core)%n", vsCeiling,
                ours.recordsPerCoreSecond() / ceiling.recordsPerCoreSecond()));
            summary.put("ratio_vs_ceiling", Math.round(vsCeiling * 1000) / 1000.0);
        }
        if (ours != null && oursPaimonOnly != null) {
            t.append(String.format("The Iceberg serving copies cost: %.2f of the Paimon-only job's records/s, %.2f of its records per core%n",
                ours.recordsPerSecond() / oursPaimonOnly.recordsPerSecond(),
                ours.recordsPerCoreSecond() / oursPaimonOnly.recordsPerCoreSecond()));
        }
        System.out.print(t);

        if (fresh != null) {
            summary.put("freshness", fresh.summary());
        }
        String line = RunResult.JSON.writeValueAsString(summary);
        System.out.println("BENCH " + line);
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("main", main);
        all.put("scaling", scaling);
        all.put("freshness", fresh);
        RunResult.JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("results.json").toFile(), all);
        charts(main, scaling);
        System.out.println("Results: " + dir.resolve("results.json") + ", charts: " + dir.resolve("throughput.png") + ", "
            + dir.resolve("scaling.png"));
    }

    private static String row(RunResult r) {
        return String.format("%-13s %,10d %9.1f %,12.0f %,13.0f %10.2f %,9d %9s %10s %9s%n", r.variant, r.records, r.wallSeconds,
            r.recordsPerSecond(), r.recordsPerCoreSecond(), r.coresUsed(), r.peakRssMb,
            r.checkpointAvgMs == null ? "-" : String.format("%,.0f", r.checkpointAvgMs),
            r.warehouseBytes == null ? "-" : String.format("%,.0f", r.warehouseBytes / (double) r.records),
            r.checkpointStateBytes == null ? "-" : String.format("%,.1f", r.checkpointStateBytes / 1e6));
    }

    private void charts(List<RunResult> main, List<RunResult> scaling) throws IOException {
        System.setProperty("java.awt.headless", "true");
        CategoryChart c = new CategoryChartBuilder().width(800).height(450).title("Records/s on " + Runtime.getRuntime()
            .availableProcessors() + " cores (same input, " + String.format("%,d", main.get(0).records) + " records)")
            .xAxisTitle("variant").yAxisTitle("records per second").build();
        c.getStyler().setLegendVisible(true);
        c.addSeries("records/s", main.stream().map(r -> r.variant).toList(),
            main.stream().map(r -> (Number) r.recordsPerSecond()).toList());
        c.addSeries("records/core-s", main.stream().map(r -> r.variant).toList(),
            main.stream().map(r -> (Number) r.recordsPerCoreSecond()).toList());
        BitmapEncoder.saveBitmap(c, dir.resolve("throughput.png").toString(), BitmapEncoder.BitmapFormat.PNG);

        if (!scaling.isEmpty()) {
            XYChart x = new XYChartBuilder().width(800).height(450).title("Our job: throughput by input size")
                .xAxisTitle("events (millions)").yAxisTitle("records per second").build();
            scaling.stream().map(r -> r.parallelism).distinct().sorted().forEach(par -> {
                List<RunResult> s = scaling.stream().filter(r -> r.parallelism == par)
                    .sorted(Comparator.comparingLong(r -> r.events)).toList();
                x.addSeries("parallelism " + par, s.stream().map(r -> (Number) (r.events / 1e6)).toList(),
                    s.stream().map(r -> (Number) r.recordsPerSecond()).toList());
            });
            BitmapEncoder.saveBitmap(x, dir.resolve("scaling.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
