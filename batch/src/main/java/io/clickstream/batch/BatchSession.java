package io.clickstream.batch;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.clickstream.tables.BatchTable;
import io.clickstream.tables.LakeTable;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The SparkSession of the batch jobs: the Iceberg JDBC catalog the streaming job writes to, registered
 * under its catalog name, with Iceberg's SQL extensions (MERGE INTO, procedures), UTC session time and
 * the {@code hll_sketch} aggregate. Also loads the jobs' SQL files and retries commits that lose a
 * race with the streaming writer.
 */
public final class BatchSession {
    /** Commits retried after losing a race with another writer, since this JVM started (reported by the jobs). */
    public static final java.util.concurrent.atomic.AtomicLong COMMIT_RETRIES = new java.util.concurrent.atomic.AtomicLong();

    private BatchSession() {}

    /** Creates (or reuses) the session and the batch-owned tables. */
    public static SparkSession create(BatchOptions o, String appName) {
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        if (!o.master.isBlank() && System.getProperty("spark.master") == null) {
            b.master(o.master);
        }
        String master = System.getProperty("spark.master", o.master);
        if (master.startsWith("local") && !o.driverHost.isBlank()) {
            // Local mode: the driver's RPC and block manager listen on this address only (loopback by
            // default) instead of the machine's external address.
            b.config("spark.driver.bindAddress", o.driverHost).config("spark.driver.host", o.driverHost);
        }
        String c = "spark.sql.catalog." + o.catalogName;
        b.config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
            .config(c, "org.apache.iceberg.spark.SparkCatalog")
            .config(c + ".type", "jdbc")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", String.valueOf(o.shufflePartitions))
            .config("spark.ui.enabled", "false")
            .config("spark.sql.adaptive.enabled", "true");
        for (Map.Entry<String, String> e : o.catalog().icebergProperties().entrySet()) {
            if (!e.getKey().equals("catalog-impl")) {
                b.config(c + "." + e.getKey(), e.getValue());
            }
        }
        SparkSession spark = b.getOrCreate();
        spark.udf().register("hll_sketch", functions.udaf(new HllSketchAggregator(), org.apache.spark.sql.Encoders.STRING()));
        spark.sql("CREATE NAMESPACE IF NOT EXISTS " + BatchOptions.quote(o.catalogName) + "." + BatchOptions.quote(o.namespace));
        for (BatchTable t : BatchTable.values()) {
            spark.sql(t.ddl(o.table(t.tableName())));
        }
        return spark;
    }

    /**
     * A job SQL file ({@code sql/<name>.sql}) with {@code ${name}} placeholders: every serving and batch
     * table by its name, plus {@code extra}.
     */
    public static String sql(BatchOptions o, String name, Map<String, String> extra) {
        String s = LakeTable.SqlResources.load("sql/" + name + ".sql");
        for (LakeTable t : LakeTable.values()) {
            s = s.replace("${" + t.tableName() + "}", o.table(t.tableName()));
        }
        for (BatchTable t : BatchTable.values()) {
            s = s.replace("${" + t.tableName() + "}", o.table(t.tableName()));
        }
        for (Map.Entry<String, String> e : extra.entrySet()) {
            s = s.replace("${" + e.getKey() + "}", e.getValue());
        }
        if (s.contains("${")) {
            throw new IllegalStateException("unfilled placeholder in sql/" + name + ".sql: " + s);
        }
        return s;
    }

    /** A SQL list of string literals: {@code '2026-01-05', '2026-01-06'}. */
    public static String literals(List<String> values) {
        if (values.isEmpty()) {
            return "NULL";
        }
        StringBuilder b = new StringBuilder();
        for (String v : values) {
            if (!v.matches("[0-9A-Za-z:_ .T/-]*")) {
                throw new IllegalArgumentException("unexpected character in SQL literal: " + v);
            }
            b.append(b.length() > 0 ? ", " : "").append('\'').append(v).append('\'');
        }
        return b.toString();
    }

    /**
     * Runs a commit (a MERGE) and retries it when Iceberg rejects it because a concurrent commit (the
     * streaming writer's) touched the same files: the statement is absolute and idempotent, so running
     * it again against the new snapshot is exactly right.
     */
    public static <T> T withCommitRetries(BatchOptions o, String what, Callable<T> commit) throws Exception {
        long backoff = o.commitBackoffMillis;
        for (int attempt = 0; ; attempt++) {
            try {
                return commit.call();
            } catch (Exception e) {
                if (!isCommitConflict(e) || attempt >= o.commitRetries) {
                    throw e;
                }
                COMMIT_RETRIES.incrementAndGet();
                System.err.printf("%s lost a commit race (attempt %d of %d), retrying in %d ms: %s%n", what, attempt + 1,
                    o.commitRetries + 1, backoff, rootMessage(e));
                Thread.sleep(backoff);
                backoff *= 2;
            }
        }
    }

    static boolean isCommitConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ValidationException || t instanceof CommitFailedException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
