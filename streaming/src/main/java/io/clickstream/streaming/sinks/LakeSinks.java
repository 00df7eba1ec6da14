package io.clickstream.streaming.sinks;

import java.util.Map;
import java.util.stream.Collectors;

import io.clickstream.infra.lakehouse.ServingCatalog;
import io.clickstream.streaming.ClickstreamTopology;
import io.clickstream.streaming.StreamingOptions;
import io.clickstream.streaming.metrics.CommittedRows;
import io.clickstream.tables.LakeTable;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamStatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.runtime.typeutils.ExternalTypeInfo;
import org.apache.flink.table.types.DataType;
import org.apache.flink.types.Row;

/**
 * Writes the topology's table streams into the lake through Flink's Table API: Paimon primary-key
 * tables (the streaming layer's own tables, with changelog producers) and, when serving is enabled,
 * their Iceberg copies in the JDBC catalog that Spark and Trino share (what BI reads).
 *
 * <p>Both sinks consume the same row stream and commit on the same checkpoints, each exactly once:
 * Paimon and Iceberg both store the checkpoint id with the commit and skip it on restore. Writing
 * Iceberg directly (rather than a second job that tails Paimon's changelog into Iceberg) keeps the
 * serving freshness at one checkpoint interval and needs no extra job or state; the price is a second
 * set of file writes in this job (see docs/ARCHITECTURE.md).
 */
public final class LakeSinks {
    /** Name of the Paimon catalog registered in the table environment. */
    public static final String CATALOG = "lake";

    private LakeSinks() {}

    /**
     * Registers the Paimon catalog, creates the database and every table if missing, and applies the
     * schema migrations ({@link SchemaMigrator}): the job never writes to a table older than its rows.
     */
    public static void createTables(StreamTableEnvironment tEnv, Configuration conf) {
        createTables(tEnv, conf, LakeSinks::log);
    }

    /** As {@link #createTables(StreamTableEnvironment, Configuration)}, reporting each migration change to {@code changes}. */
    public static void createTables(StreamTableEnvironment tEnv, Configuration conf, java.util.function.Consumer<String> changes) {
        String db = conf.get(StreamingOptions.DATABASE);
        tEnv.executeSql("CREATE CATALOG " + CATALOG + " WITH ('type' = 'paimon', 'warehouse' = '"
            + conf.get(StreamingOptions.WAREHOUSE) + "')");
        tEnv.executeSql("CREATE DATABASE IF NOT EXISTS " + quote(CATALOG) + "." + quote(db));
        tEnv.useCatalog(CATALOG);
        tEnv.useDatabase(db);
        for (LakeTable t : LakeTable.values()) {
            tEnv.executeSql(t.paimonDdl());
        }
        SchemaMigrator.migrate(tEnv, CATALOG, db, SchemaMigrator.Lake.PAIMON).forEach(changes);
    }

    /** Registers the Iceberg serving catalog, creates its namespace and every table if missing, and migrates them. */
    public static void createServingTables(StreamTableEnvironment tEnv, Configuration conf) {
        createServingTables(tEnv, conf, LakeSinks::log);
    }

    /** As {@link #createServingTables(StreamTableEnvironment, Configuration)}, reporting each migration change to {@code changes}. */
    public static void createServingTables(StreamTableEnvironment tEnv, Configuration conf,
            java.util.function.Consumer<String> changes) {
        String ns = conf.get(StreamingOptions.SERVING_NAMESPACE);
        String catalog = conf.get(StreamingOptions.SERVING_CATALOG_NAME);
        tEnv.executeSql("CREATE CATALOG " + quote(catalog) + " WITH (" + withClause(servingCatalogProperties(conf)) + ")");
        tEnv.executeSql("CREATE DATABASE IF NOT EXISTS " + quote(catalog) + "." + quote(ns));
        String previousCatalog = tEnv.getCurrentCatalog();
        String previousDb = tEnv.getCurrentDatabase();
        tEnv.useCatalog(catalog);
        tEnv.useDatabase(ns);
        for (LakeTable t : LakeTable.values()) {
            tEnv.executeSql(t.icebergDdl());
        }
        SchemaMigrator.migrate(tEnv, catalog, ns, SchemaMigrator.Lake.ICEBERG).forEach(changes);
        tEnv.useCatalog(previousCatalog);
        tEnv.useDatabase(previousDb);
    }

    /**
     * Flink Iceberg catalog options of the serving catalog: the shared {@link ServingCatalog}'s
     * JdbcCatalog options. The Flink catalog is registered under the Iceberg catalog name itself,
     * because that name is what JdbcCatalog stores in its {@code catalog_name} column and what Spark
     * and Trino look tables up by. The implementation is {@link ServingJdbcCatalog}, Iceberg's JdbcCatalog that
     * registers the job's JDBC driver first.
     */
    public static Map<String, String> servingCatalogProperties(Configuration conf) {
        Map<String, String> p = new java.util.LinkedHashMap<>(servingCatalog(conf).icebergProperties());
        p.put("type", "iceberg");
        // The same JdbcCatalog, registering the job's own JDBC driver first (see ServingJdbcCatalog).
        p.put("catalog-impl", ServingJdbcCatalog.class.getName());
        return p;
    }

    /** The serving catalog the job's options point at. */
    public static ServingCatalog servingCatalog(Configuration conf) {
        return new ServingCatalog(conf.get(StreamingOptions.SERVING_JDBC_URL), conf.get(StreamingOptions.SERVING_JDBC_USER),
            servingPassword(conf), conf.get(StreamingOptions.SERVING_CATALOG_NAME),
            conf.get(StreamingOptions.SERVING_WAREHOUSE), conf.get(StreamingOptions.SERVING_NAMESPACE));
    }

    /**
     * The catalog database password, read where the catalog is opened: from the password file option,
     * else {@code $CLICKSTREAM_JDBC_PASSWORD}, else none. Never stored in the job's configuration.
     */
    static String servingPassword(Configuration conf) {
        String file = conf.get(StreamingOptions.SERVING_JDBC_PASSWORD_FILE);
        if (!file.isBlank()) {
            return ServingCatalog.readPasswordFile(file);
        }
        return System.getenv().getOrDefault(StreamingOptions.SERVING_JDBC_PASSWORD_ENV, "");
    }

    /** Points the job's serving options at {@code catalog} (its password file, not its password) and enables the serving sinks. */
    public static void useServingCatalog(Configuration conf, ServingCatalog catalog) {
        conf.set(StreamingOptions.SERVING_ENABLED, true);
        conf.set(StreamingOptions.SERVING_JDBC_URL, catalog.jdbcUrl());
        conf.set(StreamingOptions.SERVING_JDBC_USER, catalog.user());
        if (!catalog.password().isEmpty() && catalog.passwordFile().isEmpty()) {
            throw new IllegalArgumentException("the job reads the catalog password from a file, never from its configuration: "
                + "give the ServingCatalog a password file");
        }
        conf.set(StreamingOptions.SERVING_JDBC_PASSWORD_FILE, catalog.passwordFile());
        conf.set(StreamingOptions.SERVING_CATALOG_NAME, catalog.catalogName());
        conf.set(StreamingOptions.SERVING_WAREHOUSE, catalog.warehouse());
        conf.set(StreamingOptions.SERVING_NAMESPACE, catalog.namespace());
    }

    /** Adds the INSERTs of every table to a statement set and attaches it to the stream environment's job. */
    public static void attach(StreamTableEnvironment tEnv, ClickstreamTopology.Outputs out, Configuration conf) {
        boolean serving = conf.get(StreamingOptions.SERVING_ENABLED);
        if (serving) {
            // Iceberg's Sink V2 implementation: its write results and committables have their own
            // serializers (the V1 FlinkSink ships FlinkWriteResult through Kryo, which this job disallows).
            tEnv.getConfig().set("table.exec.iceberg.use-v2-sink", "true");
            createServingTables(tEnv, conf);
        }
        createTables(tEnv, conf);
        StreamStatementSet set = tEnv.createStatementSet();
        insert(tEnv, set, conf, serving, LakeTable.RAW_EVENTS, out.raw, RowMappers::rawEvent);
        insert(tEnv, set, conf, serving, LakeTable.DLQ_EVENTS, out.rejected, RowMappers::dlqEvent);
        insert(tEnv, set, conf, serving, LakeTable.EVENTS_DEDUP, out.deduplicated, RowMappers::dedupEvent);
        insert(tEnv, set, conf, serving, LakeTable.PAGE_MINUTE_AGG, out.minuteRows, RowMappers::pageMinute);
        insert(tEnv, set, conf, serving, LakeTable.SESSIONS, out.sessions, RowMappers::session);
        insert(tEnv, set, conf, serving, LakeTable.FUNNEL_DAILY, out.funnel, RowMappers::funnel);
        set.attachAsDataStream();
    }

    private static <T> void insert(StreamTableEnvironment tEnv, StreamStatementSet set, Configuration conf, boolean serving,
            LakeTable table, DataStream<T> stream, MapFunction<T, Row> mapper) {
        DataType rowType = tEnv.from(table.tableName()).getResolvedSchema().toPhysicalRowDataType();
        // CommittedRows counts the rows each completed checkpoint commits (metrics rows_committed_total, last_commit).
        DataStream<Row> rows = stream.map(new CommittedRows<>(table.tableName(), mapper)).returns(ExternalTypeInfo.of(rowType))
            .name("to-row-" + table.tableName()).uid("to-row-" + table.tableName());
        Table t = tEnv.fromDataStream(rows);
        insertInto(set, t, quote(table.tableName()), paimonWriteOptions(tEnv, conf, table));
        if (serving) {
            insertInto(set, t, quote(conf.get(StreamingOptions.SERVING_CATALOG_NAME)) + "."
                + quote(conf.get(StreamingOptions.SERVING_NAMESPACE)) + "." + quote(table.tableName()), icebergWriteOptions(conf));
        }
    }

    private static void log(String change) {
        org.slf4j.LoggerFactory.getLogger(LakeSinks.class).info("schema migration: {}", change);
    }

    /** Adds the INSERT of {@code t} into {@code target}, with the writer options as a dynamic-options hint if there are any. */
    private static void insertInto(StreamStatementSet set, Table t, String target, Map<String, String> options) {
        if (options.isEmpty()) {
            set.add(t.insertInto(target));
        } else {
            // Table#toString registers t under a generated name that SQL can select from.
            set.addInsertSql("INSERT INTO " + target + " /*+ OPTIONS(" + withClause(options) + ") */ SELECT * FROM " + t);
        }
    }

    /** Paimon writer options from the job's tuning options (empty = the table's own). */
    static Map<String, String> paimonWriteOptions(StreamTableEnvironment tEnv, Configuration conf, LakeTable table) {
        Map<String, String> o = new java.util.TreeMap<>();
        if (conf.get(StreamingOptions.PAIMON_WRITE_BUFFER_SIZE).getBytes() > 0) {
            o.put("write-buffer-size", conf.get(StreamingOptions.PAIMON_WRITE_BUFFER_SIZE).toString());
        }
        if (conf.get(StreamingOptions.PAIMON_SORTED_RUN_STOP_TRIGGER) > 0) {
            o.put("num-sorted-run.stop-trigger", String.valueOf(conf.get(StreamingOptions.PAIMON_SORTED_RUN_STOP_TRIGGER)));
        }
        if (conf.get(StreamingOptions.PAIMON_SINK_PARALLELISM_BUCKETS)) {
            String buckets = tEnv.getCatalog(CATALOG).map(c -> {
                try {
                    return c.getTable(new org.apache.flink.table.catalog.ObjectPath(conf.get(StreamingOptions.DATABASE),
                        table.tableName())).getOptions().get("bucket");
                } catch (org.apache.flink.table.catalog.exceptions.TableNotExistException e) {
                    throw new IllegalStateException(e);
                }
            }).orElse(null);
            if (buckets != null && Integer.parseInt(buckets) > 0) {
                o.put("sink.parallelism", buckets);
            }
        }
        return o;
    }

    /** Iceberg (Flink write options) from the job's tuning options (empty = the table's own). */
    static Map<String, String> icebergWriteOptions(Configuration conf) {
        Map<String, String> o = new java.util.TreeMap<>();
        if (conf.get(StreamingOptions.SERVING_TARGET_FILE_SIZE).getBytes() > 0) {
            o.put("target-file-size-bytes", String.valueOf(conf.get(StreamingOptions.SERVING_TARGET_FILE_SIZE).getBytes()));
        }
        if (!conf.get(StreamingOptions.SERVING_DISTRIBUTION_MODE).isBlank()) {
            o.put("distribution-mode", conf.get(StreamingOptions.SERVING_DISTRIBUTION_MODE));
        }
        return o;
    }

    /** A Flink SQL identifier, quoted: catalog and namespace names come from options and may be reserved words. */
    public static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    private static String withClause(Map<String, String> props) {
        return props.entrySet().stream().sorted(Map.Entry.comparingByKey())
            .map(e -> "'" + e.getKey() + "' = '" + e.getValue().replace("'", "''") + "'")
            .collect(Collectors.joining(", "));
    }
}
