package io.clickstream.infra.lakehouse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.clickstream.tables.LakeTable;

/**
 * Maintenance of the Iceberg serving tables that a streaming lakehouse needs, run through Trino's
 * table procedures: compaction of the small files (and equality deletes) that 10-second commits
 * leave, snapshot expiry, and removal of orphan files. Append-only tables are compacted per
 * {@code --dt} partition; upserted tables as a whole, because only that drops their equality deletes
 * in Trino 476 (see {@code maintenance/compact_table.sql}). One step per table at a time, retried with
 * backoff (a compaction that races the streaming writer's commit fails Iceberg's validation and is
 * retried; it never resurrects deleted rows). Idempotent: re-running over the same partitions is a
 * no-op. Options: {@link MaintenanceOptions}; scheduled by the maintenance DAG.
 */
public final class TableMaintenance {
    /** File counts of one table before or after maintenance; see {@code maintenance/table_files.sql}. */
    public record TableFiles(long dataFiles, long deleteFiles, long bytes, long snapshots, long effectiveDeleteFiles) {}

    /** What one run did to one table. */
    public record Outcome(String table, TableFiles before, TableFiles after, long millis, int retries) {}

    private TableMaintenance() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(MaintenanceOptions.describe());
            return;
        }
        MaintenanceOptions o = MaintenanceOptions.parse(args);
        try (Connection c = TrinoLogin.connect(o.trinoUrl, o.user, o.passwordFile)) {
            for (Outcome r : run(c, o)) {
                System.out.printf("%-16s data files %,d -> %,d, delete files %,d -> %,d (effective %,d -> %,d), bytes %,d -> %,d, "
                        + "snapshots %,d -> %,d (%d ms, %d retries)%n", r.table(), r.before().dataFiles(), r.after().dataFiles(),
                    r.before().deleteFiles(), r.after().deleteFiles(), r.before().effectiveDeleteFiles(),
                    r.after().effectiveDeleteFiles(), r.before().bytes(), r.after().bytes(),
                    r.before().snapshots(), r.after().snapshots(), r.millis(), r.retries());
            }
        }
    }

    /** Runs the configured steps on every configured table over a trino-jdbc connection to the serving schema. */
    public static List<Outcome> run(Connection trino, MaintenanceOptions o) throws SQLException, InterruptedException {
        o.validate();
        List<Outcome> out = new ArrayList<>();
        for (String table : o.tables) {
            long t0 = System.nanoTime();
            TableFiles before = files(trino, table);
            int retries = 0;
            for (MaintenanceOptions.Step step : o.steps) {
                switch (step) {
                    case COMPACT -> {
                        if (LakeTable.valueOf(table.toUpperCase()).servingUpserts()) {
                            retries += execute(trino, o, sql("compact_table", Map.of("table", table,
                                "file_size_threshold", o.fileSizeThreshold)));
                            continue;
                        }
                        for (String dt : o.days) {
                            retries += execute(trino, o, sql("compact", Map.of("table", table, "dt", dt,
                                "file_size_threshold", o.fileSizeThreshold)));
                        }
                    }
                    case EXPIRE_SNAPSHOTS -> retries += execute(trino, o,
                        sql("expire_snapshots", Map.of("table", table, "retention", o.snapshotRetention)));
                    case REMOVE_ORPHAN_FILES -> retries += execute(trino, o,
                        sql("remove_orphan_files", Map.of("table", table, "retention", o.orphanRetention)));
                }
            }
            out.add(new Outcome(table, before, files(trino, table), (System.nanoTime() - t0) / 1_000_000, retries));
        }
        return out;
    }

    /** The day partitions ({@code dt}) present in any of the given tables: what a backfill would compact. */
    public static List<String> partitionDays(Connection trino, List<String> tables) throws SQLException {
        java.util.TreeSet<String> days = new java.util.TreeSet<>();
        for (String t : tables) {
            try (Statement s = trino.createStatement(); ResultSet rs = s.executeQuery("SELECT DISTINCT dt FROM " + t)) {
                while (rs.next()) {
                    days.add(rs.getString(1));
                }
            }
        }
        return new ArrayList<>(days);
    }

    /** Current data files, delete files, bytes and snapshots of a table. */
    public static TableFiles files(Connection trino, String table) throws SQLException {
        try (Statement s = trino.createStatement(); ResultSet rs = s.executeQuery(sql("table_files", Map.of("table", table)))) {
            rs.next();
            return new TableFiles(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
        }
    }

    private static int execute(Connection trino, MaintenanceOptions o, String statement) throws SQLException, InterruptedException {
        long backoff = o.retryBackoffMillis;
        for (int attempt = 0; ; attempt++) {
            try (Statement s = trino.createStatement()) {
                s.execute(statement);
                return attempt;
            } catch (SQLException e) {
                if (attempt >= o.retries) {
                    throw new SQLException("failed after " + (attempt + 1) + " attempts: " + statement, e);
                }
                System.err.printf("maintenance step failed (attempt %d of %d), retrying in %d ms: %s%n", attempt + 1,
                    o.retries + 1, backoff, e.getMessage());
                Thread.sleep(backoff);
                backoff *= 2;
            }
        }
    }

    /** A maintenance statement from {@code maintenance/<name>.sql} with its {@code ${...}} placeholders filled. */
    static String sql(String name, Map<String, String> values) {
        String sql = LakeTable.SqlResources.load("maintenance/" + name + ".sql");
        for (Map.Entry<String, String> e : values.entrySet()) {
            sql = sql.replace("${" + e.getKey() + "}", e.getValue());
        }
        if (sql.contains("${")) {
            throw new IllegalStateException("unfilled placeholder in maintenance/" + name + ".sql: " + sql);
        }
        return sql;
    }
}
