package io.clickstream.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.clickstream.tables.Topics;

/**
 * Every setting of the HTTP API ({@link ApiServer}): a typed value with a default and a description,
 * parsed from {@code --key value} arguments; {@link #describe()} lists them ({@code --help}).
 *
 * <p>The parser limits ({@code max-payload-bytes}, {@code max-future-skew}) default to the stream job's
 * own defaults ({@code clickstream.parse.max-payload-bytes}, {@code clickstream.parse.max-future-skew}),
 * so an event the API accepts is an event the job accepts. Change them together or not at all.
 */
public final class ServiceApiOptions {
    /** Address the HTTP server listens on; loopback unless told otherwise. */
    public String bindHost = "127.0.0.1";
    /** HTTP port; 0 = any free port (tests). */
    public int port = 8090;
    public String bootstrapServers = "127.0.0.1:9092";
    public String topic = Topics.RAW;
    /** File of SHA-256 hashes of the accepted API keys, one hex digest a line; created with a new key if absent. */
    public Path apiKeysFile = Path.of("target/service/api-keys.sha256");
    /** Largest request body accepted, in bytes. */
    public long maxBodyBytes = 4L * 1024 * 1024;
    /** Largest number of events in one batch. */
    public int maxBatchEvents = 1_000;
    /** Largest single event the parser takes (bytes of the JSON element); beyond it: OVERSIZED. */
    public int maxPayloadBytes = 32 * 1024;
    /** How far event_time may lie after the record timestamp the service sets; beyond it: FUTURE_TIMESTAMP. */
    public Duration maxFutureSkew = Duration.ofMinutes(10);
    /** Sustained events per second per API key (token refill rate). */
    public double rateLimitEventsPerSecond = 20_000;
    /** Token-bucket capacity per API key: the largest burst of events. */
    public long rateLimitBurst = 40_000;
    /** Upper bound for one batch's produce: Kafka's delivery.timeout.ms and max.block.ms. */
    public Duration produceTimeout = Duration.ofSeconds(10);
    /** Producer linger: how long the producer waits to fill a Kafka batch. */
    public Duration producerLinger = Duration.ofMillis(2);
    /** Request handler threads of the HTTP server. */
    public int httpThreads = 16;
    /** Create the pipeline topics if missing at start (local stacks; production creates them deliberately). */
    public boolean createTopics = false;
    /** Paimon warehouse of the streaming job (hot path of GET /v1/metrics); empty = no hot path. */
    public String paimonWarehouse = "";
    public String paimonDatabase = "clickstream";
    /** How much event time the hot path keeps, back from the newest minute it has seen. */
    public Duration hotRetention = Duration.ofHours(6);
    /** How often the hot path polls Paimon for a new snapshot when it has caught up. */
    public Duration hotPollInterval = Duration.ofMillis(500);
    /** The stream job's allowed lateness: a window is final once its end plus this is behind the watermark. */
    public Duration allowedLateness = Duration.ofMinutes(2);
    /** trino-jdbc URL of the serving catalog and namespace (history of GET /v1/metrics); empty = no history. */
    public String trinoUrl = "";
    public String trinoUser = io.clickstream.infra.lakehouse.TrinoSecurity.BI;
    /** Password file of {@link #trinoUser} (or $CLICKSTREAM_TRINO_PASSWORD); never a password on the command line. */
    public String trinoPasswordFile = io.clickstream.infra.lakehouse.TrinoLogin.defaultPasswordFile(io.clickstream.infra.lakehouse.TrinoSecurity.BI);
    /** PostgreSQL JDBC URL of the alert rules (schema alerting); empty = the alert-rule routes answer 503. */
    public String alertRulesJdbcUrl = "";
    public String alertRulesUser = "clickstream";
    /** Never on the command line: from {@code --alert-rules-password-file} or {@link #PASSWORD_ENV}. */
    public String alertRulesPassword = System.getenv().getOrDefault(PASSWORD_ENV, "");

    /** Environment variable with the alert-rule database's password (as the batch jobs read it). */
    public static final String PASSWORD_ENV = "CLICKSTREAM_JDBC_PASSWORD";

    private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

    static {
        ServiceApiOptions d = new ServiceApiOptions();
        DESCRIPTIONS.put("bind-host", "address the HTTP server listens on (default " + d.bindHost + "; 0.0.0.0 exposes it)");
        DESCRIPTIONS.put("port", "HTTP port, 0 = any free port (default " + d.port + ")");
        DESCRIPTIONS.put("bootstrap-servers", "Kafka bootstrap servers (default " + d.bootstrapServers + ")");
        DESCRIPTIONS.put("topic", "raw topic the accepted events are produced to (default " + d.topic + ")");
        DESCRIPTIONS.put("api-keys-file", "file of SHA-256 hex digests of the accepted API keys, one a line; created "
            + "with one new key (printed once, mode 0600) if absent (default " + d.apiKeysFile + ")");
        DESCRIPTIONS.put("max-body-bytes", "largest request body in bytes; larger gets 413 (default " + d.maxBodyBytes + ")");
        DESCRIPTIONS.put("max-batch-events", "largest number of events in one POST /v1/events; more gets 413 "
            + "(default " + d.maxBatchEvents + ")");
        DESCRIPTIONS.put("max-payload-bytes", "largest single event in bytes, the stream job's "
            + "clickstream.parse.max-payload-bytes; larger is rejected as OVERSIZED (default " + d.maxPayloadBytes + ")");
        DESCRIPTIONS.put("max-future-skew", "how far event_time may lie after the record timestamp the service sets, "
            + "the stream job's clickstream.parse.max-future-skew (ISO-8601 duration, default " + d.maxFutureSkew + ")");
        DESCRIPTIONS.put("rate-limit-events-per-second", "sustained events per second per API key; beyond it 429 with "
            + "Retry-After (default " + (long) d.rateLimitEventsPerSecond + ")");
        DESCRIPTIONS.put("rate-limit-burst", "token-bucket capacity per API key in events, at least max-batch-events "
            + "(default " + d.rateLimitBurst + ")");
        DESCRIPTIONS.put("produce-timeout", "upper bound of one batch's produce (Kafka delivery.timeout.ms and "
            + "max.block.ms); after it the request gets 503 (ISO-8601 duration, default " + d.produceTimeout + ")");
        DESCRIPTIONS.put("producer-linger", "Kafka producer linger.ms (ISO-8601 duration, default " + d.producerLinger + ")");
        DESCRIPTIONS.put("http-threads", "request handler threads (default " + d.httpThreads + ")");
        DESCRIPTIONS.put("paimon-warehouse", "Paimon warehouse of the streaming job, read as a stream of page_minute_agg's "
            + "changelog for recent metric windows; empty = no hot path (default empty)");
        DESCRIPTIONS.put("paimon-database", "Paimon database of the streaming job (default " + d.paimonDatabase + ")");
        DESCRIPTIONS.put("hot-retention", "event time the hot path keeps, back from the newest minute seen; older windows "
            + "come from Trino (ISO-8601 duration, default " + d.hotRetention + ")");
        DESCRIPTIONS.put("hot-poll-interval", "how often the hot path looks for a new Paimon snapshot once caught up "
            + "(ISO-8601 duration, default " + d.hotPollInterval + ")");
        DESCRIPTIONS.put("allowed-lateness", "the stream job's allowed lateness: a window is final once its end plus this "
            + "is behind the hot path's watermark (ISO-8601 duration, default " + d.allowedLateness + ")");
        DESCRIPTIONS.put("trino-url", "trino-jdbc URL of the serving tables (jdbc:trino://host:port/lakehouse/clickstream) "
            + "for windows older than the hot path; empty = no history (default empty)");
        DESCRIPTIONS.put("trino-user", "Trino user of the history queries: the read-only BI user (default " + d.trinoUser + ")");
        DESCRIPTIONS.put("trino-password-file", "file holding that user's Trino password (or set $"
            + io.clickstream.infra.lakehouse.TrinoLogin.PASSWORD_ENV + "; default " + d.trinoPasswordFile + ", what lakehouse.sh writes)");
        DESCRIPTIONS.put("alert-rules-jdbc-url", "PostgreSQL JDBC URL holding alerting.alert_rules (created if missing), "
            + "e.g. jdbc:postgresql://127.0.0.1:5432/iceberg_catalog; empty = the /v1/alert-rules routes answer 503 (default empty)");
        DESCRIPTIONS.put("alert-rules-user", "database user of the alert rules (default " + d.alertRulesUser + ")");
        DESCRIPTIONS.put("alert-rules-password-file", "file holding that user's password (or set $" + PASSWORD_ENV
            + "; never on the command line)");
        DESCRIPTIONS.put("create-topics", "true: create the pipeline topics (raw with 4 partitions, side topics) if "
            + "missing at start, for a local stack; production creates them deliberately (default " + d.createTopics + ")");
    }

    /** Parses {@code --key value} pairs; unknown keys and bad values fail with the option list. */
    public static ServiceApiOptions parse(String... args) {
        ServiceApiOptions o = new ServiceApiOptions();
        for (int i = 0; i < args.length; i += 2) {
            String key = args[i].replaceFirst("^--", "");
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + args[i] + "\n" + describe());
            }
            String v = args[i + 1];
            switch (key) {
                case "bind-host" -> o.bindHost = v;
                case "port" -> o.port = Integer.parseInt(v);
                case "bootstrap-servers" -> o.bootstrapServers = v;
                case "topic" -> o.topic = v;
                case "api-keys-file" -> o.apiKeysFile = Path.of(v);
                case "max-body-bytes" -> o.maxBodyBytes = Long.parseLong(v);
                case "max-batch-events" -> o.maxBatchEvents = Integer.parseInt(v);
                case "max-payload-bytes" -> o.maxPayloadBytes = Integer.parseInt(v);
                case "max-future-skew" -> o.maxFutureSkew = Duration.parse(v);
                case "rate-limit-events-per-second" -> o.rateLimitEventsPerSecond = Double.parseDouble(v);
                case "rate-limit-burst" -> o.rateLimitBurst = Long.parseLong(v);
                case "produce-timeout" -> o.produceTimeout = Duration.parse(v);
                case "producer-linger" -> o.producerLinger = Duration.parse(v);
                case "http-threads" -> o.httpThreads = Integer.parseInt(v);
                case "create-topics" -> o.createTopics = parseBoolean(v);
                case "paimon-warehouse" -> o.paimonWarehouse = v;
                case "paimon-database" -> o.paimonDatabase = v;
                case "hot-retention" -> o.hotRetention = Duration.parse(v);
                case "hot-poll-interval" -> o.hotPollInterval = Duration.parse(v);
                case "allowed-lateness" -> o.allowedLateness = Duration.parse(v);
                case "trino-url" -> o.trinoUrl = v;
                case "trino-user" -> o.trinoUser = v;
                case "trino-password-file" -> o.trinoPasswordFile = v;
                case "alert-rules-jdbc-url" -> o.alertRulesJdbcUrl = v;
                case "alert-rules-user" -> o.alertRulesUser = v;
                case "alert-rules-password-file" -> o.alertRulesPassword = readSecret(v);
                default -> throw new IllegalArgumentException("unknown option --" + key + "\n" + describe());
            }
        }
        o.validate();
        return o;
    }

    /** Rejects settings that cannot work together (a batch the bucket can never admit, a zero limit). */
    public void validate() {
        require(port >= 0 && port <= 65_535, "port must be 0..65535");
        require(maxBodyBytes > 0, "max-body-bytes must be positive");
        require(maxBatchEvents > 0, "max-batch-events must be positive");
        require(maxPayloadBytes > 0, "max-payload-bytes must be positive");
        require(!maxFutureSkew.isNegative(), "max-future-skew must not be negative");
        require(rateLimitEventsPerSecond > 0, "rate-limit-events-per-second must be positive");
        require(rateLimitBurst >= maxBatchEvents, "rate-limit-burst (" + rateLimitBurst
            + ") must be at least max-batch-events (" + maxBatchEvents + "), or a full batch could never be admitted");
        require(produceTimeout.toMillis() >= 1_000, "produce-timeout must be at least 1 s");
        require(producerLinger.toMillis() < produceTimeout.toMillis() / 2, "producer-linger must be well below produce-timeout");
        require(httpThreads >= 2, "http-threads must be at least 2");
        require(hotRetention.toMinutes() >= 10, "hot-retention must be at least 10 minutes");
        require(!hotPollInterval.isNegative() && !hotPollInterval.isZero(), "hot-poll-interval must be positive");
        require(!allowedLateness.isNegative(), "allowed-lateness must not be negative");
        require(trinoUrl.isEmpty() || trinoUrl.startsWith("jdbc:trino://"), "trino-url must start with jdbc:trino://");
        require(alertRulesJdbcUrl.isEmpty() || alertRulesJdbcUrl.startsWith("jdbc:postgresql://"),
            "alert-rules-jdbc-url must start with jdbc:postgresql://");
    }

    private static String readSecret(String file) {
        try {
            return java.nio.file.Files.readString(Path.of(file)).strip();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read password file " + file + ": " + e.getMessage());
        }
    }

    private static boolean parseBoolean(String v) {
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("expected true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** One line per option with its default and meaning. */
    public static String describe() {
        StringBuilder b = new StringBuilder("HTTP API options:\n");
        DESCRIPTIONS.forEach((k, d) -> b.append(String.format("  --%-30s %s%n", k, d)));
        return b.toString();
    }

    /** The option names, in {@link #describe()} order (tests check every one is parsed). */
    static java.util.Set<String> names() {
        return DESCRIPTIONS.keySet();
    }
}
