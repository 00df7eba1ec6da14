package io.clickstream.infra.cluster;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting of the local cluster ({@code infra/bin/cluster.sh}, the cluster demo and the cluster tests), each
 * with its default and description. Given as {@code --key value} arguments (keys without the
 * {@code clickstream.cluster.} prefix) or JVM system properties with the full key.
 */
public final class ClusterOptions {
    /** One typed setting: key, default and description. */
    public record Option(String key, String defaultValue, String description) {
        String shortKey() {
            return key.substring(PREFIX.length());
        }
    }

    static final String PREFIX = "clickstream.cluster.";

    public static final Option DIR = new Option(PREFIX + "dir", "target/cluster",
        "Working directory: the nodes' data, logs, configuration, the Flink checkpoints and the lake (shared by every process).");
    public static final Option KAFKA_PORTS = new Option(PREFIX + "kafka.ports", "19092,19093,19094",
        "Client ports of the Kafka nodes, one per node (each KRaft broker and controller); replication = number of nodes, "
            + "min.insync.replicas = nodes - 1.");
    public static final Option FLINK_REST_PORT = new Option(PREFIX + "flink.rest-port", "18081",
        "REST port of the Flink JobManager (web UI, job submission, flink CLI -m); its RPC port is this + 1, its blob "
            + "server this + 2. Keep the ports below the ephemeral range (32768+), which client sockets take.");
    public static final Option FLINK_TASKMANAGERS = new Option(PREFIX + "flink.taskmanagers", "2",
        "Flink TaskManager processes.");
    public static final Option FLINK_SLOTS = new Option(PREFIX + "flink.slots", "2",
        "Task slots per TaskManager.");
    public static final Option FLINK_TM_MEMORY = new Option(PREFIX + "flink.taskmanager-memory", "1536m",
        "taskmanager.memory.process.size of each TaskManager.");
    public static final Option FLINK_JM_MEMORY = new Option(PREFIX + "flink.jobmanager-memory", "1024m",
        "jobmanager.memory.process.size of the JobManager.");
    public static final Option SPARK_MASTER_PORT = new Option(PREFIX + "spark.master-port", "17077",
        "Port of the Spark standalone master (spark://127.0.0.1:<port>).");
    public static final Option SPARK_MASTER_UI_PORT = new Option(PREFIX + "spark.master-ui-port", "18080",
        "Web UI port of the Spark master (its /json/ endpoint tells the alive workers); the worker's is this + 1.");
    public static final Option SPARK_WORKER_CORES = new Option(PREFIX + "spark.worker-cores", "2",
        "Cores the Spark worker offers.");
    public static final Option SPARK_WORKER_MEMORY = new Option(PREFIX + "spark.worker-memory", "3g",
        "Memory the Spark worker offers to executors.");
    public static final Option POSTGRES_PORT = new Option(PREFIX + "postgres.port", "15432",
        "Port of PostgreSQL (the Iceberg JDBC catalog).");
    public static final Option TRINO_PORT = new Option(PREFIX + "trino.port", "18443",
        "HTTPS port of the Trino coordinator.");
    public static final Option START_TIMEOUT = new Option(PREFIX + "start-timeout-seconds", "300",
        "How long each component may take to become ready.");

    public static final List<Option> ALL = List.of(DIR, KAFKA_PORTS, FLINK_REST_PORT, FLINK_TASKMANAGERS, FLINK_SLOTS,
        FLINK_TM_MEMORY, FLINK_JM_MEMORY, SPARK_MASTER_PORT, SPARK_MASTER_UI_PORT, SPARK_WORKER_CORES, SPARK_WORKER_MEMORY,
        POSTGRES_PORT, TRINO_PORT, START_TIMEOUT);

    private final Map<String, String> values = new LinkedHashMap<>();

    /** Options from {@code --key value} arguments over system properties over defaults. */
    public static ClusterOptions fromArgs(String... args) {
        ClusterOptions o = new ClusterOptions();
        for (Option opt : ALL) {
            String v = System.getProperty(opt.key());
            o.values.put(opt.key(), v == null || v.isBlank() ? opt.defaultValue() : v.trim());
        }
        for (int i = 0; i < args.length; i += 2) {
            String arg = args[i];
            String k = arg.replaceFirst("^--", "");
            Option opt = ALL.stream().filter(x -> x.key().equals(k) || x.shortKey().equals(k)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown option " + arg + "\n" + describe()));
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + args[i]);
            }
            o.values.put(opt.key(), args[i + 1]);
        }
        return o;
    }

    public String get(Option o) {
        return values.get(o.key());
    }

    public int getInt(Option o) {
        return Integer.parseInt(get(o));
    }

    public Path dir() {
        return Path.of(get(DIR)).toAbsolutePath();
    }

    public List<Integer> kafkaPorts() {
        return java.util.Arrays.stream(get(KAFKA_PORTS).split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    public java.time.Duration startTimeout() {
        return java.time.Duration.ofSeconds(getInt(START_TIMEOUT));
    }

    /** The options as {@code --help} prints them. */
    public static String describe() {
        StringBuilder b = new StringBuilder();
        for (Option o : ALL) {
            b.append(String.format("  --%-28s default %s%n      %s%n", o.shortKey(), o.defaultValue(), o.description()));
        }
        return b.toString();
    }
}
