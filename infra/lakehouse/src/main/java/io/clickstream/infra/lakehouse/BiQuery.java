package io.clickstream.infra.lakehouse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.clickstream.tables.LakeTable;

/**
 * The named BI queries: what a dashboard asks of the serving tables, kept as Trino SQL files
 * ({@code bi/<name>.sql}) and run through trino-jdbc by the demo and the tests, which compare them
 * with results computed independently from the generated input.
 */
public enum BiQuery {
    TOP_PAGES_BY_MINUTE("top_pages_by_minute"),
    TOP_PAGES_BY_HOUR("top_pages_by_hour"),
    UNIQUE_USERS_BY_HOUR("unique_users_by_hour"),
    FUNNEL_CONVERSION("funnel_conversion"),
    SESSION_LENGTH_DISTRIBUTION("session_length_distribution"),
    DLQ_AND_LATE_RATES("dlq_and_late_rates"),
    DLQ_REASONS("dlq_reasons"),
    OFFSET_ACCOUNTING("offset_accounting"),
    CAMPAIGN_PERFORMANCE("campaign_performance");

    private final String queryName;

    BiQuery(String queryName) {
        this.queryName = queryName;
    }

    public String queryName() {
        return queryName;
    }

    public String resource() {
        return "bi/" + queryName + ".sql";
    }

    /** The query text (comments stripped), written against the serving namespace as default schema. */
    public String sql() {
        return LakeTable.SqlResources.load(resource());
    }

    /** A query's result: column names and every row, values as trino-jdbc renders them with getString. */
    public record Result(List<String> columns, List<List<String>> rows, long millis) {
        /** The result as an aligned text table. */
        public String render() {
            int[] width = new int[columns.size()];
            for (int i = 0; i < width.length; i++) {
                width[i] = columns.get(i).length();
                for (List<String> r : rows) {
                    width[i] = Math.max(width[i], String.valueOf(r.get(i)).length());
                }
            }
            StringBuilder b = new StringBuilder();
            appendRow(b, columns, width);
            for (List<String> r : rows) {
                appendRow(b, r, width);
            }
            return b.toString();
        }

        private static void appendRow(StringBuilder b, List<String> cells, int[] width) {
            b.append("  ");
            for (int i = 0; i < width.length; i++) {
                b.append(String.format("%-" + width[i] + "s", String.valueOf(cells.get(i)))).append(i + 1 < width.length ? " | " : "");
            }
            b.append('\n');
        }
    }

    /** A JDBC call that may be retried. */
    @FunctionalInterface
    public interface SqlCall<T> {
        T call() throws SQLException;
    }

    /** How long a query is retried while Trino answers "No nodes available to run query". */
    public static final java.time.Duration NO_NODES_RETRY = java.time.Duration.ofSeconds(60);

    /**
     * Runs {@code call}, retrying while Trino reports no node to run it on: a coordinator that has just
     * (re)started answers metadata queries before its node has announced the catalogs, and a BI client
     * should wait that out rather than fail. Any other error, and this one after {@link #NO_NODES_RETRY},
     * is thrown as it is.
     */
    public static <T> T retryingNoNodes(SqlCall<T> call) throws SQLException {
        long deadline = System.nanoTime() + NO_NODES_RETRY.toNanos();
        while (true) {
            try {
                return call.call();
            } catch (SQLException e) {
                if (e.getMessage() == null || !e.getMessage().contains("No nodes available") || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Runs this query on a trino-jdbc connection whose default schema is the serving namespace. */
    public Result run(Connection trino) throws SQLException {
        return retryingNoNodes(() -> runOnce(trino));
    }

    private Result runOnce(Connection trino) throws SQLException {
        long t0 = System.nanoTime();
        try (Statement s = trino.createStatement(); ResultSet rs = s.executeQuery(sql())) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(md.getColumnLabel(i));
            }
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return new Result(columns, rows, (System.nanoTime() - t0) / 1_000_000);
        }
    }
}
