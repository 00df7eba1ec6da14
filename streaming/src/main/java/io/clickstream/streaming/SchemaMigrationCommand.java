package io.clickstream.streaming;

import java.util.ArrayList;
import java.util.List;

import io.clickstream.streaming.sinks.LakeSinks;
import io.clickstream.streaming.sinks.SchemaMigrator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * The schema migration command: brings the lake tables (Paimon, and the Iceberg serving copies when
 * {@code --serving.enabled true}) to the newest event schema version by the idempotent
 * {@link SchemaMigrator}, creating missing tables first. Run it before upgrading the job to a build that
 * writes a new version (docs/TABLES.md, "Rolling out a schema version"); the running job keeps writing
 * its older rows meanwhile (new columns are nullable). Options: {@link StreamingOptions}, the same
 * warehouse and catalog settings the job takes. Prints each change, or that there was none; a second
 * run prints none.
 */
public final class SchemaMigrationCommand {
    private SchemaMigrationCommand() {}

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("SchemaMigrationCommand: ALTER TABLE ... ADD of every pending LakeMigration.\n"
                + StreamingOptions.describe());
            return;
        }
        List<String> changes = run(StreamingOptions.fromArgs(args));
        System.out.println(changes.isEmpty() ? "schema migration: nothing to do, every table is at the newest version"
            : "schema migration:\n  " + String.join("\n  ", changes));
    }

    /** Creates missing tables and applies every pending migration; returns the changes, empty if none. */
    public static List<String> run(Configuration conf) {
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(StreamExecutionEnvironment.getExecutionEnvironment());
        List<String> changes = new ArrayList<>();
        if (conf.get(StreamingOptions.SERVING_ENABLED)) {
            LakeSinks.createServingTables(tEnv, conf, changes::add);
        }
        LakeSinks.createTables(tEnv, conf, changes::add);
        return changes;
    }
}
