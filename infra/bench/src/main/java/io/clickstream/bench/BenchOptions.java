package io.clickstream.bench;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.List;

import io.clickstream.streaming.OptionDocs;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/** Every setting of the benchmark: typed, with a default and a description ({@code --help} lists them). */
public final class BenchOptions {
    public static final ConfigOption<Long> EVENTS = key("bench.events").longType().defaultValue(2_000_000L)
        .withDescription("Events pre-loaded for the main comparison (large enough for more than 60 s of work).");
    public static final ConfigOption<List<String>> VARIANTS = key("bench.variants").stringType().asList()
        .defaultValues("ceiling", "sql-baseline", "sql-full", "ours", "ours-serving")
        .withDescription("Variants of the main comparison, run in this order (ceiling, sql-baseline, sql-full, ours, ours-serving); "
            + "a subset measures one change quickly, e.g. --variants ours-serving or --variants \"sql-full;ours-serving\" (list separator ;). Ratios are printed for the variants run.");
    public static final ConfigOption<Integer> PARALLELISM = key("bench.parallelism").intType().defaultValue(2)
        .withDescription("Parallelism of the Flink jobs in the main comparison.");
    public static final ConfigOption<List<Long>> SCALING_EVENTS = key("bench.scaling.events").longType().asList()
        .defaultValues(500_000L, 1_000_000L, 2_000_000L)
        .withDescription("Input sizes of the scaling curve (bench.scaling.variant); empty list = no scaling curve.");
    public static final ConfigOption<String> SCALING_VARIANT = key("bench.scaling.variant").stringType()
        .defaultValue("ours-serving")
        .withDescription("Variant of the scaling curve: ours-serving (the configuration users run) or ours (Paimon only).");
    public static final ConfigOption<List<Integer>> SCALING_PARALLELISM = key("bench.scaling.parallelism").intType().asList()
        .defaultValues(1, 2).withDescription("Parallelisms of the scaling curve.");
    public static final ConfigOption<Integer> FRESHNESS_RATE = key("bench.freshness.rate").intType().defaultValue(5_000)
        .withDescription("Events/s produced live while the job runs, to measure event → committed latency; 0 = skip.");
    public static final ConfigOption<Duration> FRESHNESS_DURATION = key("bench.freshness.duration").durationType()
        .defaultValue(Duration.ofSeconds(60)).withDescription("How long the live traffic of the freshness run lasts.");
    public static final ConfigOption<Integer> SERVING_RATE = key("bench.serving.rate").intType().defaultValue(5_000)
        .withDescription("ServingFreshness: events/s of live traffic while Trino is polled.");
    public static final ConfigOption<Duration> SERVING_DURATION = key("bench.serving.duration").durationType()
        .defaultValue(Duration.ofSeconds(120)).withDescription("ServingFreshness: how long the live traffic lasts.");
    public static final ConfigOption<Duration> SERVING_POLL_INTERVAL = key("bench.serving.poll-interval").durationType()
        .defaultValue(Duration.ofMillis(500))
        .withDescription("ServingFreshness: pause between two Trino polls (the measurement's resolution is this plus a poll).");
    public static final ConfigOption<String> DIR = key("bench.dir").stringType().defaultValue("target/bench")
        .withDescription("Working directory (wiped first): broker data, warehouses, results.json, charts.");
    public static final ConfigOption<String> JVM_OPTS = key("bench.jvm-opts").stringType()
        .defaultValue("-Xms1g -Xmx3g -XX:+UseParallelGC")
        .withDescription("JVM options of each measured run (every run gets a fresh JVM).");
    public static final ConfigOption<List<String>> JOB_OPTIONS = key("bench.job-options").stringType().asList().noDefaultValue()
        .withDescription("Extra streaming job options for our job, as key=value (e.g. clickstream.state.backend=rocksdb).");

    private BenchOptions() {}

    static List<ConfigOption<?>> all() {
        return OptionDocs.declaredOptions(BenchOptions.class);
    }

    /** Parses {@code --key value}; the {@code bench.} prefix may be omitted. */
    static Configuration fromArgs(String... args) {
        Configuration c = new Configuration();
        List<String> known = all().stream().map(ConfigOption::key).toList();
        for (int i = 0; i + 1 < args.length; i += 2) {
            String k = args[i].replaceFirst("^--", "");
            k = k.startsWith("bench.") ? k : "bench." + k;
            if (!known.contains(k)) {
                throw new IllegalArgumentException("unknown option " + args[i] + "\n" + describe());
            }
            c.setString(k, args[i + 1]);
        }
        return c;
    }

    static String describe() {
        StringBuilder b = new StringBuilder("Benchmark options (--key value):\n");
        for (ConfigOption<?> o : all()) {
            b.append(String.format("  --%-30s default %s%n      %s%n", o.key(), o.defaultValue(), OptionDocs.describe(o)));
        }
        return b.toString();
    }
}
