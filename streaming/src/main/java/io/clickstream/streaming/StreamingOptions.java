package io.clickstream.streaming;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.clickstream.tables.Topics;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;

/**
 * Every setting of the streaming job: a typed Flink {@link ConfigOption} with a default and a
 * description. Set them as {@code --key value} arguments or in the Flink configuration.
 */
public final class StreamingOptions {

    public static final ConfigOption<String> KAFKA_BOOTSTRAP = key("clickstream.kafka.bootstrap-servers")
        .stringType().defaultValue("127.0.0.1:9092").withDescription("Kafka bootstrap servers.");
    public static final ConfigOption<String> KAFKA_GROUP_ID = key("clickstream.kafka.group-id")
        .stringType().defaultValue("clickstream-streaming")
        .withDescription("Consumer group id. Offsets committed there are for monitoring only: the job restores from its checkpoints.");
    public static final ConfigOption<String> RAW_TOPIC = key("clickstream.kafka.raw-topic")
        .stringType().defaultValue(Topics.RAW).withDescription("Topic of raw click events.");
    public static final ConfigOption<String> LATE_TOPIC = key("clickstream.kafka.late-topic")
        .stringType().defaultValue(Topics.LATE).withDescription("Topic for events beyond the allowed lateness.");
    public static final ConfigOption<String> DLQ_TOPIC = key("clickstream.kafka.dlq-topic")
        .stringType().defaultValue(Topics.DLQ).withDescription("Dead-letter topic for rejected records.");
    public static final ConfigOption<Boolean> BOUNDED = key("clickstream.kafka.bounded")
        .booleanType().defaultValue(false)
        .withDescription("Stop at the offsets that are latest when the job starts (the demo and batch replays); "
            + "false runs forever.");
    public static final ConfigOption<Map<String, String>> STARTING_OFFSETS = key("clickstream.kafka.starting-offsets")
        .mapType().noDefaultValue()
        .withDescription("Start a job without state at these offsets per partition, e.g. 0:0,1:0 (a replay or "
            + "backfill of an offset range; partitions not listed start at the earliest offset). Without it a "
            + "stateless start reads from the group's committed offsets, else from the earliest. Ignored when the "
            + "job restores from a checkpoint or savepoint, whose offsets win. Replays are safe for every table "
            + "(all are keyed: docs/ARCHITECTURE.md), but a replay that starts mid-stream recomputes the windows "
            + "and sessions that straddle its first offsets from part of their events: backfill a range with "
            + "complete days (docs/ARCHITECTURE.md, Replays and backfills).");
    public static final ConfigOption<Map<String, String>> STOPPING_OFFSETS = key("clickstream.kafka.stopping-offsets")
        .mapType().noDefaultValue()
        .withDescription("Stop at these exclusive end offsets per partition, e.g. 0:1500,1:1432 (replays of an "
            + "offset range); overrides clickstream.kafka.bounded.");
    public static final ConfigOption<Map<String, String>> KAFKA_CONSUMER_PROPERTIES = key("clickstream.kafka.consumer-properties")
        .mapType().defaultValue(Map.of())
        .withDescription("Extra Kafka consumer properties, e.g. max.partition.fetch.bytes:1048576.");
    public static final ConfigOption<Map<String, String>> KAFKA_CLIENT_PROPERTIES = key("clickstream.kafka.client-properties")
        .mapType().defaultValue(Map.of())
        .withDescription("Kafka client properties of every client of the job (the source and the side-topic producers): "
            + "the cluster's security, e.g. security.protocol:SASL_SSL,sasl.mechanism:SCRAM-SHA-512,"
            + "ssl.truststore.location:/etc/kafka/truststore.jks (see infra/deploy/).");
    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT = key("clickstream.kafka.transaction-timeout")
        .durationType().defaultValue(Duration.ofMinutes(10))
        .withDescription("transaction.timeout.ms of the exactly-once side-topic sinks: above checkpoint interval "
            + "plus restart time, at most the broker's transaction.max.timeout.ms (15 min by default).");
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = key("clickstream.kafka.transactional-id-prefix")
        .stringType().defaultValue("clickstream")
        .withDescription("Prefix of the Kafka transactional ids of the side-topic sinks; unique per job.");

    public static final ConfigOption<Integer> MAX_PAYLOAD_BYTES = key("clickstream.parse.max-payload-bytes")
        .intType().defaultValue(32 * 1024).withDescription("Larger payloads go to the DLQ as OVERSIZED without parsing.");
    public static final ConfigOption<Duration> MAX_FUTURE_SKEW = key("clickstream.parse.max-future-skew")
        .durationType().defaultValue(Duration.ofMinutes(10))
        .withDescription("An event_time later than the Kafka timestamp plus this goes to the DLQ as FUTURE_TIMESTAMP.");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS = key("clickstream.watermark.out-of-orderness")
        .durationType().defaultValue(Duration.ofSeconds(5))
        .withDescription("Bounded out-of-orderness of the per-partition watermarks.");
    public static final ConfigOption<Duration> WATERMARK_EMIT_STEP = key("clickstream.watermark.emit-step")
        .durationType().defaultValue(Duration.ofSeconds(1))
        .withDescription("A partition emits a watermark as soon as its event time advanced this much (besides the "
            + "periodic emission), so lateness is decided by the data, not by how fast it is read.");
    public static final ConfigOption<Duration> ALIGNMENT_MAX_DRIFT = key("clickstream.watermark.alignment.max-drift")
        .durationType().defaultValue(Duration.ZERO)
        .withDescription("Watermark alignment, 0 = off: a partition whose watermark runs ahead of the slowest by more "
            + "than this is paused, which bounds window state during catch-up and replays. Lateness does not depend on "
            + "it (it is judged per partition). Off by default: with bounded (replay) runs, flink-connector-kafka "
            + "4.0.1 fails with 'No current assignment for partition' when it pauses a finished split.");
    public static final ConfigOption<Duration> ALIGNMENT_UPDATE_INTERVAL = key("clickstream.watermark.alignment.update-interval")
        .durationType().defaultValue(Duration.ofSeconds(1))
        .withDescription("How often source readers exchange watermarks for alignment.");
    public static final ConfigOption<Duration> IDLE_TIMEOUT = key("clickstream.watermark.idle-timeout")
        .durationType().defaultValue(Duration.ofMinutes(10))
        .withDescription("A partition (or a source subtask without partitions) that delivers nothing for this long, in "
            + "wall time, stops holding back the job-wide watermark; 0 = never. Until then it does, so that its on-time "
            + "records still find their windows and sessions when it resumes, however long a broker outage or a quiet "
            + "spell lasts within this bound (minute rows stay fresh meanwhile through early firings, see "
            + "clickstream.window.early-fire-delay; sessions wait). After it, windows and sessions close without the "
            + "partition: records it delivers later that are on time by its own watermark but whose window has gone go "
            + "to the late topic (stage minute-window or session), are counted per partition and logged, and the batch "
            + "correction fixes their minute rows. The late verdict itself never depends on this: it is per partition.");
    public static final ConfigOption<Double> LATE_WARN_SHARE = key("clickstream.watermark.late-warn-share")
        .doubleType().defaultValue(0.25)
        .withDescription("Log a warning when more than this share of a partition's records read within one checkpoint "
            + "interval is beyond the allowed lateness (metric ..._clickstream_partition_records_beyond_lateness_total counts them always).");
    public static final ConfigOption<Long> LATE_WARN_MIN_RECORDS = key("clickstream.watermark.late-warn-min-records")
        .longType().defaultValue(200L)
        .withDescription("The late-share warning needs at least this many records of the partition in the interval.");
    public static final ConfigOption<Duration> WINDOW_SIZE = key("clickstream.window.size")
        .durationType().defaultValue(Duration.ofMinutes(1)).withDescription("Size of the tumbling page windows.");
    public static final ConfigOption<Duration> ALLOWED_LATENESS = key("clickstream.window.allowed-lateness")
        .durationType().defaultValue(Duration.ofMinutes(2))
        .withDescription("Events this late still update (re-fire) their window; later ones go to the late topic.");
    public static final ConfigOption<Duration> EARLY_FIRE_DELAY = key("clickstream.window.early-fire-delay")
        .durationType().defaultValue(Duration.ofSeconds(90))
        .withDescription("A minute window that the watermark has not closed this long (processing time) after its first "
            + "event, or after its last early firing if events came since, emits its current row; the complete row "
            + "replaces it when the watermark passes. Keeps minute rows fresh while a silent partition holds the "
            + "watermark back. Above window size plus out-of-orderness, steady traffic never fires early.");
    public static final ConfigOption<Duration> SESSION_GAP = key("clickstream.session.gap")
        .durationType().defaultValue(io.clickstream.tables.Sessions.DEFAULT_GAP)
        .withDescription("Inactivity gap that closes a session (the batch correction's --session-gap must be the same).");
    public static final ConfigOption<Duration> DEDUP_RETENTION = key("clickstream.dedup.retention")
        .durationType().defaultValue(Duration.ofHours(24))
        .withDescription("How long (processing time, state TTL) an event_id is remembered to drop re-sends. A re-send "
            + "after that is far beyond the allowed lateness (it goes to the late topic), and events_dedup keeps one row "
            + "per event_id by its primary key.");
    public static final ConfigOption<Duration> FUNNEL_RETENTION = key("clickstream.funnel.retention")
        .durationType().defaultValue(Duration.ofDays(2))
        .withDescription("Event time for which a day's funnel counts stay in state after the day ended.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = key("clickstream.checkpoint.interval")
        .durationType().defaultValue(Duration.ofSeconds(10))
        .withDescription("Exactly-once checkpoint interval; Paimon and the side topics commit on checkpoints.");
    public static final ConfigOption<String> CHECKPOINT_DIR = key("clickstream.checkpoint.dir")
        .stringType().defaultValue("file:///tmp/clickstream/checkpoints")
        .withDescription("Durable checkpoint storage (file://, s3://, hdfs://). Checkpoints are retained on cancellation.");
    public static final ConfigOption<String> RESTORE_PATH = key("clickstream.restore.path")
        .stringType().noDefaultValue()
        .withDescription("Start from this savepoint or retained checkpoint (a savepoint directory or <checkpoint-dir>/<job-id>/chk-N), "
            + "like flink run -s; alias -s <path>.");
    public static final ConfigOption<String> RESTORE_LATEST = key("clickstream.restore.from-latest-checkpoint")
        .stringType().noDefaultValue()
        .withDescription("Start from the newest completed checkpoint retained under this directory (the job's "
            + "clickstream.checkpoint.dir; any earlier run), the restart after the job's process died; alias "
            + "--from-latest-checkpoint <dir>. Fails if there is none: starting from empty state would replay the topic.");
    public static final ConfigOption<Boolean> ALLOW_FRESH_STATE = key("clickstream.restore.allow-fresh-state")
        .booleanType().defaultValue(false)
        .withDescription("Start without state although completed checkpoints are retained under clickstream.checkpoint.dir. "
            + "Off by default: such a start resumes from the consumer group's offsets with empty dedup and window state, "
            + "which counts re-read events again and overwrites complete minute rows with partial ones. Use "
            + "--from-latest-checkpoint instead; turn this on only for a deliberate rebuild into empty tables.");
    public static final ConfigOption<String> STATE_BACKEND = key("clickstream.state.backend")
        .stringType().defaultValue("hashmap").withDescription("hashmap (heap: the fastest per record while the state fits; measured at its limit with 10M "
            + "distinct event ids in a 3 GB heap, ~200 bytes of heap per id) or rocksdb (incremental checkpoints, bounded "
            + "checkpoint time and memory, ~2.3x the CPU per record; use it beyond ~3-4M ids held per GB of TaskManager "
            + "heap). docs/BENCHMARKS.md, 'Heap vs RocksDB'.");
    public static final ConfigOption<Integer> PARALLELISM = key("clickstream.parallelism")
        .intType().defaultValue(2).withDescription("Default parallelism of the job's operators.");

    public static final ConfigOption<Boolean> METRICS_PROMETHEUS_ENABLED = key("clickstream.metrics.prometheus.enabled")
        .booleanType().defaultValue(false)
        .withDescription("Serve the job's metrics (Flink's own and the job's, io.clickstream.streaming.metrics.PipelineMetric; "
            + "docs/OPERATIONS.md lists them) in Prometheus format at http://<bind host>:<port>/metrics, with Flink's "
            + "Prometheus reporter conventions. Takes effect where the job starts its own local cluster (the demo, the tests, "
            + "ClickstreamJob without a Flink cluster); a Flink cluster takes its reporters from its own configuration "
            + "(metrics.reporter.prom.factory.class). Off by default: an extra listener only when asked for; the demo turns it on. "
            + "The bind host is -Dclickstream.bind-host (127.0.0.1 by default).");
    public static final ConfigOption<Integer> METRICS_PROMETHEUS_PORT = key("clickstream.metrics.prometheus.port")
        .intType().defaultValue(9249)
        .withDescription("Port of the Prometheus metrics endpoint (with clickstream.metrics.prometheus.enabled); 9249 is "
            + "Flink's reporter default and what infra/conf/prometheus scrapes for a long-running job.");

    public static final ConfigOption<String> WAREHOUSE = key("clickstream.paimon.warehouse")
        .stringType().defaultValue("file:///tmp/clickstream/warehouse")
        .withDescription("Paimon warehouse path (file://, s3://, hdfs://).");
    public static final ConfigOption<String> DATABASE = key("clickstream.paimon.database")
        .stringType().defaultValue("clickstream").withDescription("Paimon database of the pipeline's tables.");

    // Writer tuning (issue 15; each measured in docs/BENCHMARKS.md). Applied to the job's INSERTs as dynamic table
    // options (SQL hints), so the tables' DDL in the tables module stays the one definition of the tables.
    public static final ConfigOption<MemorySize> PAIMON_WRITE_BUFFER_SIZE = key("clickstream.paimon.write-buffer-size")
        .memoryType().defaultValue(MemorySize.ZERO)
        .withDescription("Paimon write-buffer-size of every Paimon table the job writes (records are sorted in this buffer "
            + "and spilled to a level-0 file when it is full or at a checkpoint); 0 = Paimon's default (256 mb).");
    public static final ConfigOption<Integer> PAIMON_SORTED_RUN_STOP_TRIGGER = key("clickstream.paimon.num-sorted-run.stop-trigger")
        .intType().defaultValue(0)
        .withDescription("Paimon num-sorted-run.stop-trigger of the primary-key tables: writes pause for compaction when a "
            + "bucket has this many sorted runs; larger = compaction fully asynchronous (more files between compactions, "
            + "no write stalls); 0 = Paimon's default (num-sorted-run.compaction-trigger + 1 = 6).");
    public static final ConfigOption<Boolean> PAIMON_SINK_PARALLELISM_BUCKETS = key("clickstream.paimon.sink-parallelism-per-bucket")
        .booleanType().defaultValue(false)
        .withDescription("Run each Paimon table's writer with sink.parallelism = its bucket count (Paimon's recommendation), "
            + "instead of the job's parallelism (writers beyond the bucket count get no rows).");
    public static final ConfigOption<MemorySize> SERVING_TARGET_FILE_SIZE = key("clickstream.serving.target-file-size")
        .memoryType().defaultValue(MemorySize.ZERO)
        .withDescription("Iceberg target-file-size-bytes of the serving writers (a data file rolls over at this size; at "
            + "10 s checkpoints files are rolled by the checkpoint long before); 0 = the table's write.target-file-size-bytes.");
    public static final ConfigOption<String> SERVING_DISTRIBUTION_MODE = key("clickstream.serving.distribution-mode")
        .stringType().defaultValue("")
        .withDescription("Iceberg distribution-mode of the serving writers: none (upserts are still keyed by their "
            + "identifier fields), hash (by partition) or range; empty = the table's write.distribution-mode.");

    public static final ConfigOption<Boolean> SERVING_ENABLED = key("clickstream.serving.enabled")
        .booleanType().defaultValue(true)
        .withDescription("Also write the Iceberg serving tables that BI reads through Trino (same rows as the Paimon "
            + "tables, committed on the same checkpoints).");
    public static final ConfigOption<String> SERVING_JDBC_URL = key("clickstream.serving.jdbc-url")
        .stringType().defaultValue("jdbc:postgresql://127.0.0.1:5432/iceberg_catalog")
        .withDescription("Iceberg JDBC catalog database (PostgreSQL) shared with Spark and Trino.");
    public static final ConfigOption<String> SERVING_JDBC_USER = key("clickstream.serving.jdbc-user")
        .stringType().defaultValue("clickstream").withDescription("User of the Iceberg catalog database.");
    /** Environment variable read for the catalog database password when no password file is given. */
    public static final String SERVING_JDBC_PASSWORD_ENV = "CLICKSTREAM_JDBC_PASSWORD";
    public static final ConfigOption<String> SERVING_JDBC_PASSWORD_FILE = key("clickstream.serving.jdbc-password-file")
        .stringType().defaultValue("")
        .withDescription("File holding the password of the Iceberg catalog database (read when the job opens the catalog; "
            + "the password itself is never an option, so the job configuration that Flink's web UI shows holds none). "
            + "Empty: $" + "CLICKSTREAM_JDBC_PASSWORD, else no password.");
    public static final ConfigOption<String> SERVING_CATALOG_NAME = key("clickstream.serving.catalog-name")
        .stringType().defaultValue("lakehouse")
        .withDescription("Iceberg JDBC catalog name; Spark's catalog name and Trino's iceberg.jdbc-catalog.catalog-name must match.");
    public static final ConfigOption<String> SERVING_WAREHOUSE = key("clickstream.serving.warehouse")
        .stringType().defaultValue("file:///tmp/clickstream/iceberg")
        .withDescription("Iceberg warehouse path (file://, s3://, hdfs://).");
    public static final ConfigOption<String> SERVING_NAMESPACE = key("clickstream.serving.namespace")
        .stringType().defaultValue("clickstream").withDescription("Iceberg namespace (Trino schema) of the serving tables.");

    public static final ConfigOption<String> REPLAY_REASONS = key("clickstream.replay.reasons")
        .stringType().defaultValue("")
        .withDescription("DLQ replay (DlqReplayCommand): DLQ reasons to select, comma-separated codes (e.g. "
            + "INVALID_VALUE,WRONG_TYPE); empty selects every reason.");
    public static final ConfigOption<String> REPLAY_PARTITIONS = key("clickstream.replay.partitions")
        .stringType().defaultValue("")
        .withDescription("DLQ replay: partitions of the raw topic (header source.partition) to select, comma-separated; "
            + "empty selects all.");
    public static final ConfigOption<String> REPLAY_FROM = key("clickstream.replay.from")
        .stringType().defaultValue("")
        .withDescription("DLQ replay: select records whose original Kafka timestamp (header source.timestamp) is at or after "
            + "this ISO-8601 instant (e.g. 2026-01-05T00:00:00Z); empty: no lower bound.");
    public static final ConfigOption<String> REPLAY_TO = key("clickstream.replay.to")
        .stringType().defaultValue("")
        .withDescription("DLQ replay: select records whose original Kafka timestamp is before this ISO-8601 instant; "
            + "empty: no upper bound.");
    public static final ConfigOption<String> REPLAY_REPAIR = key("clickstream.replay.repair")
        .stringType().defaultValue("none")
        .withDescription("DLQ replay: the named repair applied before re-validation: none (re-validate with today's rules), "
            + "epoch-seconds-to-ms, string-schema-version (io.clickstream.tables.DlqRepair).");
    public static final ConfigOption<String> REPLAY_LEDGER_TOPIC = key("clickstream.replay.ledger-topic")
        .stringType().defaultValue(Topics.DLQ_REPLAY_LEDGER)
        .withDescription("DLQ replay: compacted topic recording every replayed DLQ record, written once the replayed "
            + "records are acknowledged; a selection replayed twice produces nothing new. Created if missing.");
    public static final ConfigOption<Boolean> REPLAY_DRY_RUN = key("clickstream.replay.dry-run")
        .booleanType().defaultValue(false)
        .withDescription("DLQ replay: only count what would be replayed and what would still fail; produce nothing.");

    public static final ConfigOption<Long> DEMO_EVENTS = key("clickstream.demo.events")
        .longType().defaultValue(200_000L).withDescription("Demo: events to generate (plus duplicates and malformed records).");
    public static final ConfigOption<Integer> DEMO_PARTITIONS = key("clickstream.demo.partitions")
        .intType().defaultValue(4).withDescription("Demo: partitions of clicks.raw.");
    public static final ConfigOption<Long> DEMO_SEED = key("clickstream.demo.seed")
        .longType().defaultValue(42L).withDescription("Demo: seed of the load generator.");
    public static final ConfigOption<Double> DEMO_V3_FRACTION = key("clickstream.demo.v3-fraction")
        .doubleType().defaultValue(0.2)
        .withDescription("Demo: share of events sent with schema_version 3 (campaign, experiment_id, properties): the "
            + "BI query campaign_performance groups by campaign.");
    public static final ConfigOption<Double> DEMO_EPOCH_SECONDS_FRACTION = key("clickstream.demo.epoch-seconds-fraction")
        .doubleType().defaultValue(0.002)
        .withDescription("Demo: extra events from a buggy producer with event_time in epoch seconds (rejected to the DLQ as "
            + "INVALID_VALUE), for the DLQ repair and replay step.");
    public static final ConfigOption<Boolean> DEMO_DLQ_REPLAY = key("clickstream.demo.dlq-replay")
        .booleanType().defaultValue(true)
        .withDescription("Demo: repair the epoch-seconds records in the DLQ, replay them to clicks.raw, run the job over "
            + "the replayed offsets and check that every repaired event is in the tables once (then the batch correction "
            + "folds them into the aggregates).");
    public static final ConfigOption<Boolean> DEMO_AIRFLOW = key("clickstream.demo.airflow")
        .booleanType().defaultValue(true)
        .withDescription("Demo: start Airflow (standalone) and run the correction and daily rollup DAGs through its REST API at the end.");
    public static final ConfigOption<Boolean> DEMO_PROMETHEUS = key("clickstream.demo.prometheus")
        .booleanType().defaultValue(true)
        .withDescription("Demo: turn on the job's Prometheus metrics endpoint and start a Prometheus server (Debian package, "
            + "infra/conf/prometheus) that scrapes it; its URL is printed and it runs until the demo ends.");
    public static final ConfigOption<Boolean> DEMO_ALERTING = key("clickstream.demo.alerting")
        .booleanType().defaultValue(true)
        .withDescription("Demo: run the alerting job beside the pipeline with a rule on the busiest page's spike and print the "
            + "alerts it raised to clicks.alerts.");
    public static final ConfigOption<Boolean> DEMO_SUPERSET = key("clickstream.demo.superset")
        .booleanType().defaultValue(true)
        .withDescription("Demo: start Apache Superset (pinned venv under target/superset, installed on first use), import the "
            + "dashboard of infra/superset/dashboard over Trino as the read-only BI user, check its charts against the truth "
            + "and print its URL; it runs until the demo ends.");
    public static final ConfigOption<String> DEMO_DIR = key("clickstream.demo.dir")
        .stringType().defaultValue("target/demo")
        .withDescription("Demo: working directory for the broker's data, the warehouse and checkpoints (wiped first).");

    private StreamingOptions() {}

    /** All options declared here, for help output and for validation of unknown keys. */
    public static List<ConfigOption<?>> all() {
        return OptionDocs.declaredOptions(StreamingOptions.class);
    }

    /** Short forms operators know from the Flink CLI. */
    private static final Map<String, String> ALIASES = Map.of(
        "-s", RESTORE_PATH.key(),
        "--from-latest-checkpoint", RESTORE_LATEST.key());

    /**
     * Parses {@code --key value} pairs; keys may omit the {@code clickstream.} prefix. Unknown keys are an
     * error. {@code -Dkey=value} sets a Flink configuration option (e.g. {@code -Drest.port=8081}) as the
     * Flink CLI does; {@code -s <path>} and {@code --from-latest-checkpoint <dir>} restore state.
     */
    public static Configuration fromArgs(String... args) {
        Configuration conf = OptionDocs.parse(args, "clickstream.", all(), ALIASES, StreamingOptions::describe);
        validate(conf);
        return conf;
    }

    /** Rejects settings that would break the lateness guarantees. */
    public static void validate(Configuration conf) {
        Duration lateness = conf.get(ALLOWED_LATENESS);
        Duration window = conf.get(WINDOW_SIZE);
        Duration gap = conf.get(SESSION_GAP);
        if (lateness.plus(window).compareTo(gap) >= 0) {
            throw new IllegalArgumentException("allowed-lateness + window.size must be below session.gap, so that an "
                + "event too late for its session is always too late for its minute window too");
        }
        if (conf.getOptional(RESTORE_PATH).isPresent() && conf.getOptional(RESTORE_LATEST).isPresent()) {
            throw new IllegalArgumentException("restore.path and restore.from-latest-checkpoint exclude each other");
        }
        if (conf.get(EARLY_FIRE_DELAY).isZero() || conf.get(EARLY_FIRE_DELAY).isNegative()) {
            throw new IllegalArgumentException("window.early-fire-delay must be positive");
        }
        if (conf.get(IDLE_TIMEOUT).isNegative()) {
            throw new IllegalArgumentException("watermark.idle-timeout must not be negative (0 = never idle)");
        }
        if (conf.get(METRICS_PROMETHEUS_PORT) < 1 || conf.get(METRICS_PROMETHEUS_PORT) > 65535) {
            throw new IllegalArgumentException("metrics.prometheus.port must be a port number (1-65535)");
        }
        if (conf.get(TRANSACTION_TIMEOUT).compareTo(Duration.ofMinutes(15)) > 0) {
            throw new IllegalArgumentException("transaction-timeout above the broker's default transaction.max.timeout.ms (15 min)");
        }
    }

    public static String describe() {
        StringBuilder b = new StringBuilder("Streaming job options (--key value; the clickstream. prefix is optional):\n");
        for (ConfigOption<?> o : all()) {
            b.append(String.format("  --%-45s default %s%n      %s%n", o.key(), o.defaultValue(), OptionDocs.describe(o)));
        }
        return b.toString();
    }
}
