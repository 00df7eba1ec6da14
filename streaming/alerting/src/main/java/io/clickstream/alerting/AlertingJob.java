package io.clickstream.alerting;

import java.util.Optional;

import io.clickstream.streaming.RetainedCheckpoints;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The alerting job: rules from PostgreSQL ({@code alerting.alert_rules}, polled into broadcast state)
 * evaluated on sliding event-time windows over {@code clicks.raw}, alerts to the rule's channel
 * ({@code clicks.alerts}, the Iceberg {@code alerts} table, a webhook). A job of its own beside the
 * stream job: its own consumer group, transactional ids and checkpoints, so either can be restarted,
 * redeployed or scaled without the other.
 *
 * <p>{@link #build} is the topology on streams it is given (tests pass their own); {@link #wire} adds
 * the real sources and sinks. Options: {@link AlertingOptions} ({@code --help} lists them).
 */
public final class AlertingJob {
    private AlertingJob() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(AlertingOptions.describe());
            return;
        }
        Configuration conf = AlertingOptions.fromArgs(args);
        restorePath(conf).ifPresent(p -> {
            conf.set(AlertingOptions.RESTORE_PATH, p);
            conf.removeConfig(AlertingOptions.RESTORE_LATEST);
            System.out.println("Restoring from " + p);
        });
        StreamExecutionEnvironment env = environment(conf);
        wire(env, conf);
        env.execute("clickstream-alerting");
    }

    /**
     * The topology: raw records (timestamps and watermarks assigned) and rule snapshots in, alerts out.
     * Records are matched against the broadcast rules (one hit per rule they count for), keyed by rule id
     * and evaluated by {@link AlertEvaluator}.
     */
    public static DataStream<Alert> build(DataStream<RawRecord> raw, DataStream<RuleSnapshot> rules, java.time.Duration allowedLateness) {
        return build(raw, rules, allowedLateness, AlertingOptions.DUPLICATE_HORIZON.defaultValue());
    }

    /** As {@link #build(DataStream, DataStream, java.time.Duration)}, with the duplicate_rate rules' horizon. */
    public static DataStream<Alert> build(DataStream<RawRecord> raw, DataStream<RuleSnapshot> rules, java.time.Duration allowedLateness,
            java.time.Duration duplicateHorizon) {
        BroadcastStream<RuleSnapshot> broadcast = rules.broadcast(RuleMatcher.RULES, RuleMatcher.LOADED);
        DataStream<AlertInput> hits = raw.connect(broadcast).process(new RuleMatcher(allowedLateness.toMillis())).name("match-rules")
            .uid("match-rules");
        return hits.keyBy(a -> a.ruleId).process(new AlertEvaluator(duplicateHorizon.toMillis())).name("evaluate-rules").uid("evaluate-rules");
    }

    /** Sources (clicks.raw, the rules poller), the topology and the channel sinks on {@code env}. */
    public static void wire(StreamExecutionEnvironment env, Configuration conf) throws InterruptedException {
        DataStream<RawRecord> raw = env.fromSource(RawRecords.source(conf), RawRecords.watermarks(conf), "clicks.raw")
            .uid("source-clicks-raw")
            .transform("hold-watermark-until-every-partition", TypeInformation.of(RawRecord.class),
                new PartitionWatermarkHold(conf.get(AlertingOptions.RAW_TOPIC), RawRecords.partitions(conf),
                    conf.get(AlertingOptions.START_HOLD_TIMEOUT)))
            .uid("hold-watermark-until-every-partition");
        DataStream<RuleSnapshot> rules = env.fromSource(RulePoller.source(conf), RulePoller.watermarks(), "alert-rules")
            .setParallelism(1).uid("source-alert-rules");
        AlertSinks.attach(build(raw, rules, conf.get(AlertingOptions.ALLOWED_LATENESS), conf.get(AlertingOptions.DUPLICATE_HORIZON)), conf);
    }

    /** Builds the whole job on {@code env} and starts it without waiting. */
    public static JobClient start(StreamExecutionEnvironment env, Configuration conf) throws Exception {
        wire(env, conf);
        return env.executeAsync("clickstream-alerting");
    }

    public static StreamExecutionEnvironment environment(Configuration conf) {
        return StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(conf));
    }

    /** Exactly-once checkpoints in the job's own directory, retained on cancellation; no Kryo fallback. */
    public static Configuration flinkConfiguration(Configuration conf) {
        Configuration flink = new Configuration();
        flink.addAll(conf);
        restorePath(conf).ifPresent(path -> flink.set(StateRecoveryOptions.SAVEPOINT_PATH, path));
        flink.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, conf.get(AlertingOptions.CHECKPOINT_INTERVAL));
        flink.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, conf.get(AlertingOptions.CHECKPOINT_DIR));
        flink.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        flink.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 3);
        flink.set(StateBackendOptions.STATE_BACKEND, conf.get(AlertingOptions.STATE_BACKEND));
        flink.set(PipelineOptions.GENERIC_TYPES, false);
        flink.setString("parallelism.default", String.valueOf(conf.get(AlertingOptions.PARALLELISM)));
        return flink;
    }

    /** The savepoint or checkpoint to start from, if the options ask for one (the newest one resolved now). */
    static Optional<String> restorePath(Configuration conf) {
        if (conf.getOptional(AlertingOptions.RESTORE_PATH).isPresent()) {
            return conf.getOptional(AlertingOptions.RESTORE_PATH);
        }
        return conf.getOptional(AlertingOptions.RESTORE_LATEST).map(dir -> {
            try {
                return RetainedCheckpoints.latest(dir);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("--from-latest-checkpoint " + dir + ": " + e.getMessage(), e);
            }
        });
    }
}
