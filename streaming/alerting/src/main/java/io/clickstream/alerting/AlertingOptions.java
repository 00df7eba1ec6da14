package io.clickstream.alerting;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.clickstream.infra.lakehouse.ServingCatalog;
import io.clickstream.streaming.OptionDocs;
import io.clickstream.tables.Topics;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Every setting of the alerting job: a typed Flink {@link ConfigOption} with a default and a
 * description, set as {@code --key value} (the {@code alerting.} prefix is optional) or in the Flink
 * configuration. The job has its own consumer group, transactional ids and checkpoint directory, so it
 * runs beside the stream job on the same topic without sharing anything with it.
 */
public final class AlertingOptions {
    /** Environment variable read for a database password when no password file is given (as the stream job). */
    public static final String JDBC_PASSWORD_ENV = "CLICKSTREAM_JDBC_PASSWORD";

    public static final ConfigOption<String> KAFKA_BOOTSTRAP = key("alerting.kafka.bootstrap-servers")
        .stringType().defaultValue("127.0.0.1:9092").withDescription("Kafka bootstrap servers.");
    public static final ConfigOption<String> KAFKA_GROUP_ID = key("alerting.kafka.group-id")
        .stringType().defaultValue("clickstream-alerting")
        .withDescription("Consumer group of the alerting job (not the stream job's): offsets there are for monitoring; "
            + "the job restores from its own checkpoints.");
    public static final ConfigOption<String> RAW_TOPIC = key("alerting.kafka.raw-topic")
        .stringType().defaultValue(Topics.RAW).withDescription("Topic of raw click events.");
    public static final ConfigOption<String> ALERTS_TOPIC = key("alerting.kafka.alerts-topic")
        .stringType().defaultValue(Topics.ALERTS).withDescription("Topic of the alerts of rules with channel kafka.");
    public static final ConfigOption<String> START_FROM = key("alerting.kafka.start-from")
        .stringType().defaultValue("latest")
        .withDescription("Where a start without state and without committed offsets of the group reads clicks.raw: "
            + "latest (watch from now on: alerts on history are not this job's business) or earliest.");
    public static final ConfigOption<Map<String, String>> KAFKA_CONSUMER_PROPERTIES = key("alerting.kafka.consumer-properties")
        .mapType().defaultValue(Map.of()).withDescription("Extra Kafka consumer properties.");
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = key("alerting.kafka.transactional-id-prefix")
        .stringType().defaultValue("clickstream-alerting")
        .withDescription("Prefix of the transactional ids of the exactly-once alerts sink; unique per job.");
    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT = key("alerting.kafka.transaction-timeout")
        .durationType().defaultValue(Duration.ofMinutes(10))
        .withDescription("transaction.timeout.ms of the alerts sink: above checkpoint interval plus restart time, at most "
            + "the broker's transaction.max.timeout.ms (15 min by default).");

    public static final ConfigOption<Integer> MAX_PAYLOAD_BYTES = key("alerting.parse.max-payload-bytes")
        .intType().defaultValue(32 * 1024).withDescription("As the stream job: larger payloads are malformed (OVERSIZED).");
    public static final ConfigOption<Duration> MAX_FUTURE_SKEW = key("alerting.parse.max-future-skew")
        .durationType().defaultValue(Duration.ofMinutes(10))
        .withDescription("As the stream job: an event_time beyond the Kafka timestamp plus this is malformed.");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS = key("alerting.watermark.out-of-orderness")
        .durationType().defaultValue(Duration.ofSeconds(2))
        .withDescription("Bounded out-of-orderness of the per-partition watermarks. A window is evaluated for good when "
            + "the watermark passes its end, so this is added to the latency of every alert that is not fired early.");
    public static final ConfigOption<Duration> WATERMARK_EMIT_STEP = key("alerting.watermark.emit-step")
        .durationType().defaultValue(Duration.ofMillis(100))
        .withDescription("A partition emits a watermark as soon as its event time advanced this much (besides the periodic "
            + "emission): windows close when the data says so, not at the next timer tick (latency, and reproducible tests).");
    public static final ConfigOption<Duration> ALLOWED_LATENESS = key("alerting.late.allowed-lateness")
        .durationType().defaultValue(Duration.ofMinutes(2))
        .withDescription("An event this far behind the job's watermark is late: it counts in late_rate rules (in the window of "
            + "its arrival) and in no other metric. The stream job's clickstream.window.allowed-lateness, so both call the same "
            + "events late (the stream job judges per partition, this job by its job-wide watermark).");
    public static final ConfigOption<Duration> IDLE_TIMEOUT = key("alerting.watermark.idle-timeout")
        .durationType().defaultValue(Duration.ZERO)
        .withDescription("A partition that delivers nothing for this long (wall time) stops holding back the watermark; "
            + "0 = never (the default: with every partition idle the watermark would otherwise be the rule stream's).");

    public static final ConfigOption<Duration> DUPLICATE_HORIZON = key("alerting.duplicate.horizon")
        .durationType().defaultValue(Duration.ofMinutes(5))
        .withDescription("duplicate_rate rules: an event counts as a duplicate when the rule saw its event id within this much "
            + "event time before. The ids are kept per duplicate_rate rule only (about 100 bytes per event the rule counts "
            + "within the horizon: 5 min at 5,000 events/s is ~150 MB of heap); other rules keep none.");
    public static final ConfigOption<Duration> START_HOLD_TIMEOUT = key("alerting.watermark.start-hold-timeout")
        .durationType().defaultValue(Duration.ofSeconds(60))
        .withDescription("After a start or restore the watermark waits until every partition of clicks.raw has delivered a "
            + "record (Flink's Kafka source would let the partitions fetched first run ahead, making the others' records late "
            + "for windows already evaluated), at most this long (wall time), for partitions without traffic; 0 = no hold.");

    public static final ConfigOption<String> RULES_JDBC_URL = key("alerting.rules.jdbc-url")
        .stringType().defaultValue("jdbc:postgresql://127.0.0.1:5432/iceberg_catalog")
        .withDescription("PostgreSQL database holding alerting.alert_rules (written by the HTTP API).");
    public static final ConfigOption<String> RULES_JDBC_USER = key("alerting.rules.jdbc-user")
        .stringType().defaultValue("clickstream").withDescription("User of the rules database.");
    public static final ConfigOption<String> RULES_JDBC_PASSWORD_FILE = key("alerting.rules.jdbc-password-file")
        .stringType().defaultValue("")
        .withDescription("File holding the rules database password (never the password itself). Empty: $"
            + JDBC_PASSWORD_ENV + ", else none.");
    public static final ConfigOption<Duration> RULES_POLL_INTERVAL = key("alerting.rules.poll-interval")
        .durationType().defaultValue(Duration.ofSeconds(5))
        .withDescription("How often the rules table is read; a changed version (new, changed, disabled rule) applies "
            + "within this interval plus one checkpoint.");

    public static final ConfigOption<Boolean> SERVING_ENABLED = key("alerting.serving.enabled")
        .booleanType().defaultValue(true)
        .withDescription("Write the alerts of rules with channel iceberg into the Iceberg alerts table (serving catalog).");
    public static final ConfigOption<String> SERVING_JDBC_URL = key("alerting.serving.jdbc-url")
        .stringType().defaultValue("jdbc:postgresql://127.0.0.1:5432/iceberg_catalog")
        .withDescription("Iceberg JDBC catalog database (the stream job's serving catalog).");
    public static final ConfigOption<String> SERVING_JDBC_USER = key("alerting.serving.jdbc-user")
        .stringType().defaultValue("clickstream").withDescription("User of the Iceberg catalog database.");
    public static final ConfigOption<String> SERVING_JDBC_PASSWORD_FILE = key("alerting.serving.jdbc-password-file")
        .stringType().defaultValue("")
        .withDescription("File holding the catalog database password. Empty: $" + JDBC_PASSWORD_ENV + ", else none.");
    public static final ConfigOption<String> SERVING_CATALOG_NAME = key("alerting.serving.catalog-name")
        .stringType().defaultValue(ServingCatalog.DEFAULT_CATALOG_NAME)
        .withDescription("Iceberg JDBC catalog name (as Spark's and Trino's).");
    public static final ConfigOption<String> SERVING_WAREHOUSE = key("alerting.serving.warehouse")
        .stringType().defaultValue("file:///tmp/clickstream/iceberg").withDescription("Iceberg warehouse path.");
    public static final ConfigOption<String> SERVING_NAMESPACE = key("alerting.serving.namespace")
        .stringType().defaultValue(ServingCatalog.DEFAULT_NAMESPACE).withDescription("Iceberg namespace of the alerts table.");

    public static final ConfigOption<Duration> WEBHOOK_TIMEOUT = key("alerting.webhook.timeout")
        .durationType().defaultValue(Duration.ofSeconds(5)).withDescription("Timeout of one webhook POST.");
    public static final ConfigOption<Integer> WEBHOOK_MAX_ATTEMPTS = key("alerting.webhook.max-attempts")
        .intType().defaultValue(6)
        .withDescription("Attempts per alert (5xx, 429, connection errors are retried); then the alert is logged and "
            + "counted (metric webhookGaveUp) and the job goes on.");
    public static final ConfigOption<Duration> WEBHOOK_INITIAL_BACKOFF = key("alerting.webhook.initial-backoff")
        .durationType().defaultValue(Duration.ofMillis(200)).withDescription("Delay before the first retry; doubled per retry.");
    public static final ConfigOption<Duration> WEBHOOK_MAX_BACKOFF = key("alerting.webhook.max-backoff")
        .durationType().defaultValue(Duration.ofSeconds(5)).withDescription("Largest delay between two attempts.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = key("alerting.checkpoint.interval")
        .durationType().defaultValue(Duration.ofSeconds(2))
        .withDescription("Exactly-once checkpoint interval. Alerts on clicks.alerts become visible to read_committed "
            + "readers when their checkpoint completes, so this bounds the Kafka channel's added latency.");
    public static final ConfigOption<String> CHECKPOINT_DIR = key("alerting.checkpoint.dir")
        .stringType().defaultValue("file:///tmp/clickstream/alerting-checkpoints")
        .withDescription("Durable checkpoint storage of the alerting job (not the stream job's). Retained on cancellation.");
    public static final ConfigOption<String> RESTORE_PATH = key("alerting.restore.path")
        .stringType().noDefaultValue().withDescription("Start from this savepoint or retained checkpoint (alias -s).");
    public static final ConfigOption<String> RESTORE_LATEST = key("alerting.restore.from-latest-checkpoint")
        .stringType().noDefaultValue()
        .withDescription("Start from the newest completed checkpoint under this directory (alias --from-latest-checkpoint).");
    public static final ConfigOption<String> STATE_BACKEND = key("alerting.state.backend")
        .stringType().defaultValue("hashmap").withDescription("hashmap (heap) or rocksdb.");
    public static final ConfigOption<Integer> PARALLELISM = key("alerting.parallelism")
        .intType().defaultValue(1)
        .withDescription("Parallelism of the job. Rules are keyed by rule id, so one rule is evaluated by one subtask.");

    private AlertingOptions() {}

    public static List<ConfigOption<?>> all() {
        return OptionDocs.declaredOptions(AlertingOptions.class);
    }

    private static final Map<String, String> ALIASES = Map.of(
        "-s", RESTORE_PATH.key(),
        "--from-latest-checkpoint", RESTORE_LATEST.key());

    /** Parses {@code --key value} pairs and {@code -Dflink.key=value}; unknown keys are an error. */
    public static Configuration fromArgs(String... args) {
        Configuration conf = OptionDocs.parse(args, "alerting.", all(), ALIASES, AlertingOptions::describe);
        validate(conf);
        return conf;
    }

    public static void validate(Configuration conf) {
        if (conf.get(RULES_POLL_INTERVAL).toMillis() < 100) {
            throw new IllegalArgumentException("rules.poll-interval must be at least 100 ms");
        }
        if (!conf.get(START_FROM).equals("latest") && !conf.get(START_FROM).equals("earliest")) {
            throw new IllegalArgumentException("kafka.start-from must be latest or earliest");
        }
        if (conf.get(WEBHOOK_MAX_ATTEMPTS) < 1) {
            throw new IllegalArgumentException("webhook.max-attempts must be at least 1");
        }
        if (conf.get(TRANSACTION_TIMEOUT).compareTo(Duration.ofMinutes(15)) > 0) {
            throw new IllegalArgumentException("transaction-timeout above the broker's default transaction.max.timeout.ms (15 min)");
        }
        if (conf.getOptional(RESTORE_PATH).isPresent() && conf.getOptional(RESTORE_LATEST).isPresent()) {
            throw new IllegalArgumentException("restore.path and restore.from-latest-checkpoint exclude each other");
        }
    }

    public static String describe() {
        StringBuilder b = new StringBuilder("Alerting job options (--key value; the alerting. prefix is optional):\n");
        for (ConfigOption<?> o : all()) {
            b.append(String.format("  --%-42s default %s%n      %s%n", o.key(), o.defaultValue(), OptionDocs.describe(o)));
        }
        return b.toString();
    }

    /** A password option's value: the file's content if a file is named, else the environment variable, else empty. */
    static String password(Configuration conf, ConfigOption<String> fileOption) {
        String file = conf.get(fileOption);
        if (!file.isBlank()) {
            return ServingCatalog.readPasswordFile(file);
        }
        return System.getenv().getOrDefault(JDBC_PASSWORD_ENV, "");
    }

    /** The serving catalog these options point at (password read now, from its file or the environment). */
    static ServingCatalog servingCatalog(Configuration conf) {
        return new ServingCatalog(conf.get(SERVING_JDBC_URL), conf.get(SERVING_JDBC_USER), password(conf, SERVING_JDBC_PASSWORD_FILE),
            conf.get(SERVING_CATALOG_NAME), conf.get(SERVING_WAREHOUSE), conf.get(SERVING_NAMESPACE));
    }
}
