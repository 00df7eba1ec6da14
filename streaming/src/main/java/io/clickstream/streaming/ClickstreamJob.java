package io.clickstream.streaming;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;

import io.clickstream.infra.lakehouse.ServiceOptions;
import io.clickstream.streaming.metrics.LoopbackPrometheusReporter;
import io.clickstream.streaming.model.SourceRecord;
import io.clickstream.streaming.sinks.LakeSinks;
import io.clickstream.streaming.sinks.SideTopicSinks;
import io.clickstream.tables.ClickEventParser;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;

/**
 * The streaming job: wires the Kafka source, the {@link ClickstreamTopology} and the Paimon and
 * side-topic sinks, with exactly-once checkpoints that are retained on cancellation.
 *
 * <p>{@code main} runs on a Flink cluster ({@code flink run}) or, without one, on a local
 * MiniCluster. Options: {@link StreamingOptions} ({@code --help} lists them).
 */
public final class ClickstreamJob {
    private ClickstreamJob() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(StreamingOptions.describe());
            return;
        }
        Configuration conf = StreamingOptions.fromArgs(args);
        // Resolved once: the newest checkpoint is looked up here, not again when the environment is built.
        restorePath(conf).ifPresent(p -> {
            conf.set(StreamingOptions.RESTORE_PATH, p);
            conf.removeConfig(StreamingOptions.RESTORE_LATEST);
            System.out.println("Restoring from " + p);
        });
        refuseAccidentalFreshStart(conf);
        StreamExecutionEnvironment env = environment(conf);
        wire(env, conf);
        env.execute("clickstream-streaming");
    }

    /** Builds the whole job (source, topology, sinks) on {@code env} and starts it without waiting. */
    public static JobClient start(StreamExecutionEnvironment env, Configuration conf,
            UnaryOperator<DataStream<SourceRecord>> afterSource) throws Exception {
        wire(env, conf, afterSource);
        return env.executeAsync("clickstream-streaming");
    }

    static void wire(StreamExecutionEnvironment env, Configuration conf) {
        wire(env, conf, UnaryOperator.identity());
    }

    /** {@code afterSource} lets tests observe or disturb the source stream (e.g. inject a failure). */
    static void wire(StreamExecutionEnvironment env, Configuration conf, UnaryOperator<DataStream<SourceRecord>> afterSource) {
        DataStream<SourceRecord> records = afterSource.apply(env
            .fromSource(kafkaSource(conf), ClickstreamTopology.watermarks(conf), "clicks.raw")
            .uid("source-clicks-raw"));
        ClickstreamTopology.Outputs out = ClickstreamTopology.build(records, conf);
        SideTopicSinks.attach(out, conf);
        LakeSinks.attach(StreamTableEnvironment.create(env), out, conf);
    }

    /**
     * Flink settings derived from the job's options: exactly-once checkpoints at the configured
     * interval in durable storage, retained on cancellation, the chosen state backend, no silent
     * Kryo fallback for types Flink cannot serialize natively, and object reuse; the Prometheus metrics
     * endpoint when enabled.
     */
    public static Configuration flinkConfiguration(Configuration conf) {
        Configuration flink = new Configuration();
        flink.addAll(conf);
        restorePath(conf).ifPresent(path -> flink.set(StateRecoveryOptions.SAVEPOINT_PATH, path));
        flink.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, conf.get(StreamingOptions.CHECKPOINT_INTERVAL));
        flink.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, conf.get(StreamingOptions.CHECKPOINT_DIR));
        flink.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
            ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        flink.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 3);
        String backend = conf.get(StreamingOptions.STATE_BACKEND);
        flink.set(StateBackendOptions.STATE_BACKEND, backend);
        if ("rocksdb".equals(backend)) {
            flink.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        }
        flink.set(PipelineOptions.GENERIC_TYPES, false);
        // No operator keeps a reference to an input record after processing it, so chained operators
        // may pass records without defensive copies (measured: see docs/BENCHMARKS.md).
        flink.set(PipelineOptions.OBJECT_REUSE, true);
        flink.setString("parallelism.default", String.valueOf(conf.get(StreamingOptions.PARALLELISM)));
        if (conf.get(StreamingOptions.METRICS_PROMETHEUS_ENABLED)) {
            LoopbackPrometheusReporter.configure(flink, ServiceOptions.bindHost(), conf.get(StreamingOptions.METRICS_PROMETHEUS_PORT));
        }
        return flink;
    }

    /**
     * Refuses to start without state when this job's checkpoint directory holds completed checkpoints
     * and neither a restore nor a replay ({@code clickstream.kafka.starting-offsets}) was asked for: the restart an operator tries first (the same command again) would
     * otherwise read on from the committed offsets with empty dedup and window state, silently counting
     * events twice and replacing complete minute rows with partial ones.
     */
    static void refuseAccidentalFreshStart(Configuration conf) {
        if (restorePath(conf).isPresent() || conf.get(StreamingOptions.ALLOW_FRESH_STATE)
                || conf.getOptional(StreamingOptions.STARTING_OFFSETS).isPresent()) {
            return;
        }
        String dir = conf.get(StreamingOptions.CHECKPOINT_DIR);
        String latest;
        try {
            latest = RetainedCheckpoints.latest(dir);
        } catch (java.io.IOException none) {
            return;
        }
        throw new IllegalStateException("Completed checkpoints are retained under " + dir + " (newest: " + latest
            + "). Restart with --from-latest-checkpoint " + dir + " (or -s <checkpoint>); starting without state would "
            + "count re-read events twice. To start empty on purpose, pass --restore.allow-fresh-state true.");
    }

    /** The savepoint or checkpoint the job starts from, if the options ask for one (resolved now). */
    static java.util.Optional<String> restorePath(Configuration conf) {
        if (conf.getOptional(StreamingOptions.RESTORE_PATH).isPresent()) {
            return conf.getOptional(StreamingOptions.RESTORE_PATH);
        }
        return conf.getOptional(StreamingOptions.RESTORE_LATEST).map(dir -> {
            try {
                return RetainedCheckpoints.latest(dir);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("--from-latest-checkpoint " + dir + ": " + e.getMessage(), e);
            }
        });
    }

    public static StreamExecutionEnvironment environment(Configuration conf) {
        return StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(conf));
    }

    /** Where a stateless start reads from: explicit offsets (a replay), else the group's committed offsets, else earliest. */
    static OffsetsInitializer startingOffsets(Configuration conf) {
        if (conf.getOptional(StreamingOptions.STARTING_OFFSETS).isEmpty()) {
            return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        }
        Map<TopicPartition, Long> start = new HashMap<>();
        conf.get(StreamingOptions.STARTING_OFFSETS).forEach((p, o) ->
            start.put(new TopicPartition(conf.get(StreamingOptions.RAW_TOPIC), Integer.parseInt(p.trim())), Long.parseLong(o.trim())));
        return OffsetsInitializer.offsets(start, OffsetResetStrategy.EARLIEST);
    }

    public static KafkaSource<SourceRecord> kafkaSource(Configuration conf) {
        ClickEventParser parser = new ClickEventParser(conf.get(StreamingOptions.MAX_PAYLOAD_BYTES),
            conf.get(StreamingOptions.MAX_FUTURE_SKEW).toMillis());
        Properties props = new Properties();
        props.putAll(conf.get(StreamingOptions.KAFKA_CLIENT_PROPERTIES));
        props.putAll(conf.get(StreamingOptions.KAFKA_CONSUMER_PROPERTIES));
        props.setProperty("commit.offsets.on.checkpoint", "true");
        KafkaSourceBuilder<SourceRecord> b = KafkaSource.<SourceRecord>builder()
            .setBootstrapServers(conf.get(StreamingOptions.KAFKA_BOOTSTRAP))
            .setTopics(conf.get(StreamingOptions.RAW_TOPIC))
            .setGroupId(conf.get(StreamingOptions.KAFKA_GROUP_ID))
            .setStartingOffsets(startingOffsets(conf))
            .setDeserializer(new ClickRecordDeserializer(parser))
            .setProperties(props);
        if (conf.getOptional(StreamingOptions.STOPPING_OFFSETS).isPresent()) {
            Map<TopicPartition, Long> stop = new HashMap<>();
            conf.get(StreamingOptions.STOPPING_OFFSETS).forEach((p, o) ->
                stop.put(new TopicPartition(conf.get(StreamingOptions.RAW_TOPIC), Integer.parseInt(p.trim())), Long.parseLong(o.trim())));
            b.setBounded(OffsetsInitializer.offsets(stop));
        } else if (conf.get(StreamingOptions.BOUNDED)) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }
}
