package io.clickstream.batch;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.clickstream.infra.lakehouse.ServingCatalog;
import io.clickstream.tables.Topics;

/**
 * Every setting of the batch jobs: a typed value with a default and a description, parsed from
 * {@code --key value} arguments ({@link #describe()} lists them). The same options work in local mode
 * (the default master) and under spark-submit on a cluster ({@code --master} is then ignored in favour
 * of spark-submit's).
 */
public final class BatchOptions {
    /** Environment variable holding the catalog database password. */
    public static final String PASSWORD_ENV = "CLICKSTREAM_JDBC_PASSWORD";

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH");

    public String master = "local[2]";
    public String jdbcUrl = "jdbc:postgresql://127.0.0.1:5432/iceberg_catalog";
    public String jdbcUser = "clickstream";
    /** Catalog database password: never on the command line (ps shows it); from {@code --jdbc-password-file} or {@link #PASSWORD_ENV}. */
    public String jdbcPassword = System.getenv().getOrDefault(PASSWORD_ENV, "");
    /** Address the local Spark driver binds and advertises (local masters only; a cluster decides its own). */
    public String driverHost = io.clickstream.infra.lakehouse.ServiceOptions.bindHost();
    public String catalogName = ServingCatalog.DEFAULT_CATALOG_NAME;
    public String warehouse = "file:///tmp/clickstream/iceberg";
    public String namespace = ServingCatalog.DEFAULT_NAMESPACE;
    public String bootstrapServers = "127.0.0.1:9092";
    public String rawTopic = Topics.RAW;
    public String lateTopic = Topics.LATE;
    /** Explicit start offsets of clicks.late per partition (a re-run or backfill of a range); empty = from the ledger. */
    public Map<Integer, Long> fromOffsets = new TreeMap<>();
    /** Explicit exclusive end offsets of clicks.late per partition; empty = the topic's end when the job starts. */
    public Map<Integer, Long> untilOffsets = new TreeMap<>();
    public List<LocalDateTime> hours = new ArrayList<>();
    public List<LocalDate> days = new ArrayList<>();
    public String runId = "manual";
    public int commitRetries = 5;
    public long commitBackoffMillis = 1_000;
    public int zScoreHistoryHours = 24;
    public double zScoreThreshold = 3.0;
    public int shufflePartitions = 4;
    public java.time.Duration sessionGap = io.clickstream.tables.Sessions.DEFAULT_GAP;

    private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

    static {
        DESCRIPTIONS.put("master", "Spark master for local runs (spark-submit's --master wins on a cluster)");
        DESCRIPTIONS.put("jdbc-url", "Iceberg JDBC catalog database (the one the streaming job writes to)");
        DESCRIPTIONS.put("jdbc-user", "catalog database user");
        DESCRIPTIONS.put("jdbc-password-file", "file holding the catalog database password (or set $" + PASSWORD_ENV
            + "; a password is never accepted on the command line); default: none (trust authentication)");
        DESCRIPTIONS.put("driver-host", "local masters only: address the Spark driver binds and advertises "
            + "(spark.driver.bindAddress/host; default 127.0.0.1, from -Dclickstream.bind-host)");
        DESCRIPTIONS.put("catalog-name", "Iceberg catalog name (Spark catalog name, Trino's iceberg.jdbc-catalog.catalog-name)");
        DESCRIPTIONS.put("warehouse", "Iceberg warehouse root");
        DESCRIPTIONS.put("namespace", "namespace of the serving and batch tables");
        DESCRIPTIONS.put("bootstrap-servers", "Kafka bootstrap servers");
        DESCRIPTIONS.put("raw-topic", "topic of raw click events (reconciliation)");
        DESCRIPTIONS.put("late-topic", "topic of events beyond the allowed lateness (correction)");
        DESCRIPTIONS.put("from-offsets", "correction: explicit start offsets of the late topic, e.g. 0:0,1:0, to re-run a range "
            + "(default: where the ledger's last range ended)");
        DESCRIPTIONS.put("until-offsets", "correction: exclusive end offsets of the late topic, e.g. 0:120,1:98 "
            + "(default: its end offsets when the job starts); the start is where the ledger's last range ended");
        DESCRIPTIONS.put("hours", "rollup/reconciliation: comma-separated UTC hours, yyyy-MM-ddTHH (Airflow: the data interval)");
        DESCRIPTIONS.put("days", "rollup/reconciliation: comma-separated UTC days, yyyy-MM-dd (all their hours)");
        DESCRIPTIONS.put("run-id", "identifier of the scheduler run, recorded in the correction ledger");
        DESCRIPTIONS.put("commit-retries", "retries of a MERGE that lost a commit race with the streaming writer");
        DESCRIPTIONS.put("commit-backoff-ms", "wait before the first MERGE retry, doubled each time");
        DESCRIPTIONS.put("z-score-history-hours", "quality metrics: hours of history for each metric's mean and deviation");
        DESCRIPTIONS.put("z-score-threshold", "quality metrics: |z| above this flags the hour");
        DESCRIPTIONS.put("shuffle-partitions", "spark.sql.shuffle.partitions (small tables: keep it low)");
        DESCRIPTIONS.put("session-gap", "correction: inactivity gap of sessions, ISO-8601 (e.g. PT30M); must equal the streaming "
            + "job's clickstream.session.gap (default " + io.clickstream.tables.Sessions.DEFAULT_GAP + ")");
    }

    public static BatchOptions parse(String... args) {
        BatchOptions o = new BatchOptions();
        for (int i = 0; i < args.length; i += 2) {
            String key = args[i].replaceFirst("^--", "");
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + args[i]);
            }
            String v = args[i + 1];
            switch (key) {
                case "master" -> o.master = v;
                case "jdbc-url" -> o.jdbcUrl = v;
                case "jdbc-user" -> o.jdbcUser = v;
                case "jdbc-password" -> throw new IllegalArgumentException("--jdbc-password is not accepted (command lines "
                    + "are visible to every user): use --jdbc-password-file or $" + PASSWORD_ENV);
                case "jdbc-password-file" -> o.jdbcPassword = readSecret(v);
                case "driver-host" -> o.driverHost = v;
                case "catalog-name" -> o.catalogName = v;
                case "warehouse" -> o.warehouse = v;
                case "namespace" -> o.namespace = v;
                case "bootstrap-servers" -> o.bootstrapServers = v;
                case "raw-topic" -> o.rawTopic = v;
                case "late-topic" -> o.lateTopic = v;
                case "from-offsets" -> o.fromOffsets = offsets(v);
                case "until-offsets" -> o.untilOffsets = offsets(v);
                case "hours" -> o.hours = csv(v).stream().map(h -> LocalDateTime.parse(h, HOUR)).toList();
                case "days" -> o.days = csv(v).stream().map(LocalDate::parse).toList();
                case "run-id" -> o.runId = v;
                case "commit-retries" -> o.commitRetries = Integer.parseInt(v);
                case "commit-backoff-ms" -> o.commitBackoffMillis = Long.parseLong(v);
                case "z-score-history-hours" -> o.zScoreHistoryHours = Integer.parseInt(v);
                case "z-score-threshold" -> o.zScoreThreshold = Double.parseDouble(v);
                case "shuffle-partitions" -> o.shufflePartitions = Integer.parseInt(v);
                case "session-gap" -> o.sessionGap = java.time.Duration.parse(v);
                default -> throw new IllegalArgumentException("unknown option --" + key + "\n" + describe());
            }
        }
        return o;
    }

    private static String readSecret(String file) {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(file)).strip();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read the password file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The hours to process: {@code --hours} plus every hour of each {@code --days} day, sorted, distinct. */
    public List<LocalDateTime> allHours() {
        java.util.TreeSet<LocalDateTime> all = new java.util.TreeSet<>(hours);
        all.addAll(hoursOf(days));
        return new ArrayList<>(all);
    }

    /** Every hour of the given days, in order. */
    public static List<LocalDateTime> hoursOf(List<LocalDate> days) {
        List<LocalDateTime> out = new ArrayList<>();
        for (LocalDate d : days) {
            for (int h = 0; h < 24; h++) {
                out.add(d.atTime(h, 0));
            }
        }
        return out;
    }

    /** The catalog these options point at. */
    public ServingCatalog catalog() {
        return new ServingCatalog(jdbcUrl, jdbcUser, jdbcPassword, catalogName, warehouse, namespace);
    }

    /** Fully qualified Spark name of a table in the namespace. */
    /** The table's Spark SQL name, every part quoted (catalog and namespace come from options and may be reserved words). */
    public String table(String name) {
        return quote(catalogName) + "." + quote(namespace) + "." + quote(name);
    }

    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    public static String describe() {
        StringBuilder b = new StringBuilder("Batch job options (--key value):\n");
        DESCRIPTIONS.forEach((k, d) -> b.append(String.format("  --%-22s %s%n", k, d)));
        return b.toString();
    }

    private static Map<Integer, Long> offsets(String v) {
        Map<Integer, Long> m = new TreeMap<>();
        for (String pair : csv(v)) {
            String[] kv = pair.split(":");
            m.put(Integer.parseInt(kv[0].trim()), Long.parseLong(kv[1].trim()));
        }
        return m;
    }

    private static List<String> csv(String v) {
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }
}
