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
    OFFSET_ACCOUNTING("offset_accounting");

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

    /** Runs this query on a trino-jdbc connection whose default schema is the serving namespace. */
    public Result run(Connection trino) throws SQLException {
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
