package io.clickstream.quality;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

import io.clickstream.infra.airflow.AirflowClient;
import io.clickstream.tables.LakeTable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The data-quality report: one self-contained HTML file (charts embedded as PNG) built from the
 * queryable tables through Trino, the way a BI tool would read them. Shows at a glance whether every
 * Kafka offset is accounted for (a grid of hour x partition, red where records are missing or
 * double counted), the DLQ, duplicate and late rates per hour with their anomaly flags (z-scores),
 * DLQ reasons, the lateness distribution, what the corrections applied, and the commit cadence that
 * bounds freshness, and, given Airflow's URL, the last runs of every clickstream DAG and their state
 * (through the REST client). Queries in {@code report/*.sql}. Options: {@code --trino-url},
 * {@code --trino-user} (default: the read-only BI user), {@code --trino-password-file} (or
 * {@code $CLICKSTREAM_TRINO_PASSWORD}; default: the long-running stack's file), {@code --days}, {@code --out}, {@code --title}, {@code --airflow-url}, {@code --airflow-user}, {@code --airflow-password-file} (the Airflow password comes
 * from {@code $AIRFLOW_PASSWORD} or that file; there is no default password).
 */
public final class QualityReport {
    /** What the report found: the verdict the demo prints beside the file's path. */
    public record Summary(long expected, long raw, long dlq, long unexplained, long duplicates, long late, long problemRanges,
            long ranges, long flaggedMetrics, Path file) {
        public boolean ok() {
            return unexplained == 0 && problemRanges == 0;
        }
    }

    /** The report's queries, {@code report/<name>.sql}. */
    static final List<String> QUERIES = List.of("summary", "reconciliation_cells", "metrics", "dlq_reasons", "dlq_replays",
        "lateness", "corrections", "freshness");

    private QualityReport() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>(Map.of("trino-url", io.clickstream.infra.lakehouse.TrinoLogin.DEFAULT_URL,
            "trino-user", io.clickstream.infra.lakehouse.TrinoSecurity.BI,
            "trino-password-file", io.clickstream.infra.lakehouse.TrinoLogin.defaultPasswordFile(io.clickstream.infra.lakehouse.TrinoSecurity.BI),
            "out", "target/quality/report.html", "title", "Clickstream data quality"));
        List<String> known = List.of("trino-url", "trino-user", "trino-password-file", "days", "out", "title", "airflow-url", "airflow-user",
            "airflow-password-file");
        for (int i = 0; i + 1 < args.length; i += 2) {
            String k = args[i].replaceFirst("^--", "");
            if (!known.contains(k)) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; options: " + known
                    + " (Airflow password: $AIRFLOW_PASSWORD or --airflow-password-file; Trino password: $"
                    + io.clickstream.infra.lakehouse.TrinoLogin.PASSWORD_ENV + " or --trino-password-file)");
            }
            a.put(k, args[i + 1]);
        }
        if (!a.containsKey("days")) {
            throw new IllegalArgumentException("give --days yyyy-MM-dd[,yyyy-MM-dd...]");
        }
        try (Connection c = io.clickstream.infra.lakehouse.TrinoLogin.connect(a.get("trino-url"), a.get("trino-user"),
                a.get("trino-password-file"))) {
            String airflowUser = a.getOrDefault("airflow-user", io.clickstream.infra.airflow.LocalAirflow.USER);
            AirflowClient airflow = a.containsKey("airflow-url") ? new AirflowClient(java.net.URI.create(a.get("airflow-url")),
                airflowUser, io.clickstream.infra.airflow.AirflowPassword.resolve(airflowUser,
                    Path.of(a.getOrDefault("airflow-password-file", io.clickstream.infra.airflow.AirflowPassword.DEFAULT_FILE.toString()))))
                : null;
            Summary s = write(c, airflow, List.of(a.get("days").split(",")), Path.of(a.get("out")), a.get("title"));
            System.out.println((s.ok() ? "OK" : "PROBLEMS") + ": report written to " + s.file().toAbsolutePath());
            System.exit(s.ok() ? 0 : 2);
        }
    }

    /** The clickstream DAGs whose recent runs the report lists when it is given an Airflow client. */
    static final List<String> DAGS = List.of("clickstream_late_correction", "clickstream_rollup_hourly", "clickstream_rollup_daily",
        "clickstream_reconciliation", "clickstream_maintenance");

    /** Builds the report for the given days (UTC, yyyy-MM-dd) into {@code out}. */
    public static Summary write(Connection trino, List<String> days, Path out, String title) throws SQLException, IOException {
        return write(trino, null, days, out, title);
    }

    /** As {@link #write(Connection, List, Path, String)}, plus the last runs of every DAG from {@code airflow} (nullable). */
    public static Summary write(Connection trino, AirflowClient airflow, List<String> days, Path out, String title)
            throws SQLException, IOException {
        for (String d : days) {
            if (!d.matches("\\d{4}-\\d{2}-\\d{2}")) {
                throw new IllegalArgumentException("not a day: " + d);
            }
        }
        String dayList = String.join(", ", days.stream().map(d -> "'" + d + "'").toList());
        Map<String, List<Map<String, Object>>> results = new LinkedHashMap<>();
        for (String name : QUERIES) {
            results.put(name, query(trino, name, dayList));
        }
        if (airflow != null) {
            List<Map<String, Object>> runs = new ArrayList<>();
            for (String dag : DAGS) {
                for (AirflowClient.DagRun r : airflow.dagRuns(dag, 5)) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("dag", dag);
                    row.put("run", r.runId());
                    row.put("state", r.state());
                    row.put("data_interval", r.dataIntervalStart() == null ? "-" : r.dataIntervalStart() + " .. " + r.dataIntervalEnd());
                    row.put("started", r.startDate());
                    row.put("ended", r.endDate());
                    runs.add(row);
                }
            }
            results.put("airflow_runs", runs);
        }
        return render(results, days, out, title);
    }

    /** The report from the query results ({@link #QUERIES}, each a list of rows by column name). */
    static Summary render(Map<String, List<Map<String, Object>>> results, List<String> days, Path out, String title) throws IOException {
        List<Map<String, Object>> summary = results.get("summary");
        List<Map<String, Object>> cells = results.get("reconciliation_cells");
        List<Map<String, Object>> metrics = results.get("metrics");
        List<Map<String, Object>> reasons = results.get("dlq_reasons");
        List<Map<String, Object>> lateness = results.get("lateness");
        List<Map<String, Object>> corrections = results.get("corrections");
        List<Map<String, Object>> freshness = results.get("freshness");

        Map<String, Object> t = summary.get(0);
        long flagged = metrics.stream().filter(m -> Boolean.TRUE.equals(m.get("flagged"))).count();
        Summary s = new Summary(l(t, "expected_records"), l(t, "raw_rows"), l(t, "dlq_rows"), l(t, "unexplained"),
            l(t, "duplicate_rows"), l(t, "late_events"), l(t, "problem_ranges"), l(t, "ranges"), flagged, out);

        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").append(esc(title)).append("</title><style>")
            .append("body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:.5em 0}")
            .append("td,th{border:1px solid #ccc;padding:3px 7px;text-align:right;font-size:13px}th{background:#eee}")
            .append(".ok{background:#d9f2d9}.bad{background:#f4b6b6;font-weight:bold}.banner{padding:1em;font-size:18px}")
            .append("</style></head><body><h1>").append(esc(title)).append("</h1><p>Days ").append(esc(String.join(", ", days)))
            .append(" (UTC). Source: the reconciliation, quality_metrics, dlq_events, raw_events and correction_ledger tables, ")
            .append("read through Trino.</p>");
        h.append("<div class=\"banner ").append(s.ok() ? "ok" : "bad").append("\">")
            .append(s.ok() ? "Every offset of clicks.raw is accounted for." : "UNEXPLAINED OFFSETS: records lost or counted twice.")
            .append(String.format(" %,d records expected from Kafka = %,d raw rows + %,d DLQ rows + <b>%,d unexplained</b>; ",
                s.expected(), s.raw(), s.dlq(), s.unexplained()))
            .append(String.format("%,d of %,d (hour, partition) ranges with problems; %,d flagged metrics.", s.problemRanges(),
                s.ranges(), s.flaggedMetrics()))
            .append("</div>");

        h.append("<h2>Offset accounting per hour and partition</h2><p>Each cell: unexplained records (expected − raw − DLQ). ")
            .append("Green = 0. A dropped partition or range shows as red cells with positive numbers, a double count as negative.</p>");
        h.append(grid(cells));
        h.append(img(reconciliationChart(cells)));

        h.append("<h2>Rates per hour and anomaly flags</h2><p>Flagged points (red) have |z| above the threshold against the ")
            .append("previous hours, or unexplained offsets.</p>").append(img(ratesChart(metrics)));
        List<Map<String, Object>> flaggedRows = metrics.stream().filter(m -> Boolean.TRUE.equals(m.get("flagged"))).toList();
        h.append(flaggedRows.isEmpty() ? "<p>No flagged metrics.</p>" : table(flaggedRows));

        h.append("<h2>Dead-letter queue by reason</h2>").append(img(barChart("DLQ records by reason", reasons, "reason", "records")));
        List<Map<String, Object>> replays = results.getOrDefault("dlq_replays", List.of());
        long replayed = replays.stream().mapToLong(r -> l(r, "replayed")).sum();
        boolean orphans = replays.stream().anyMatch(r -> "(no DLQ row)".equals(r.get("reason")));
        h.append("<h2>DLQ repair and replay</h2><p>Records repaired and re-produced to clicks.raw by the DLQ replay ")
            .append("(infra/bin/dlq-replay.sh, DAG clickstream_dlq_replay). A replayed original stays one DLQ row and its ")
            .append("replay is one raw row of a new offset (raw_events.replay_of_* points back), so neither is lost or counted ")
            .append(String.format("twice; %,d originals replayed.</p>", replayed));
        if (orphans) {
            h.append("<p class=\"bad\">Replays without an original in dlq_events: see the row '(no DLQ row)'.</p>");
        }
        h.append(replays.isEmpty() ? "<p>No DLQ records.</p>" : table(replays));
        h.append("<h2>Lateness (arrival − event time)</h2><p>Beyond 2 minutes events miss their streaming window and are ")
            .append("applied by the late-event correction.</p>").append(img(barChart("Records by lateness", lateness, "bucket", "records")));
        h.append("<h2>Late-event corrections</h2>").append(corrections.isEmpty() ? "<p>None applied.</p>" : table(corrections));
        h.append("<h2>Serving commits (freshness)</h2><p>BI sees new data at each commit; the median gap is the checkpoint ")
            .append("cadence.</p>").append(table(freshness));
        if (results.containsKey("airflow_runs")) {
            h.append("<h2>Scheduled jobs (Airflow, last runs)</h2>").append(table(results.get("airflow_runs")));
        }
        h.append(String.format("<h2>Totals</h2><p>Duplicates within an (hour, partition): %,d. Raw rows of events beyond the ",
            s.duplicates())).append(String.format("allowed lateness: %,d.</p>", s.late()));
        h.append("</body></html>\n");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, h.toString());
        return s;
    }

    private static CategoryChart reconciliationChart(List<Map<String, Object>> cells) {
        Map<String, long[]> perHour = new TreeMap<>();
        for (Map<String, Object> c : cells) {
            long[] v = perHour.computeIfAbsent((String) c.get("hour"), k -> new long[3]);
            v[0] += l(c, "raw_rows");
            v[1] += l(c, "dlq_rows");
            v[2] += Math.abs(l(c, "unexplained"));
        }
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(380).title("Records per hour: raw + DLQ + unexplained")
            .xAxisTitle("hour (UTC)").yAxisTitle("records").build();
        chart.getStyler().setStacked(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisLabelRotation(60);
        List<String> hours = new ArrayList<>(perHour.keySet());
        if (hours.isEmpty()) {
            hours.add("none");
            perHour.put("none", new long[3]);
        }
        chart.addSeries("raw rows", hours, hours.stream().map(k -> (Number) perHour.get(k)[0]).toList());
        chart.addSeries("DLQ rows", hours, hours.stream().map(k -> (Number) perHour.get(k)[1]).toList());
        chart.addSeries("unexplained", hours, hours.stream().map(k -> (Number) perHour.get(k)[2]).toList())
            .setFillColor(java.awt.Color.RED);
        return chart;
    }

    private static XYChart ratesChart(List<Map<String, Object>> metrics) {
        XYChart chart = new XYChartBuilder().width(1000).height(380).title("DLQ, duplicate and late rates per hour (%)")
            .xAxisTitle("hour index").yAxisTitle("% of records").build();
        TreeSet<String> hours = new TreeSet<>();
        metrics.forEach(m -> hours.add((String) m.get("hour")));
        List<String> order = new ArrayList<>(hours);
        List<Double> fx = new ArrayList<>();
        List<Double> fy = new ArrayList<>();
        for (String metric : List.of("dlq_rate", "duplicate_rate", "late_rate")) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (Map<String, Object> m : metrics) {
                if (metric.equals(m.get("metric"))) {
                    x.add((double) order.indexOf((String) m.get("hour")));
                    y.add(100 * ((Number) m.get("value")).doubleValue());
                    if (Boolean.TRUE.equals(m.get("flagged"))) {
                        fx.add(x.get(x.size() - 1));
                        fy.add(y.get(y.size() - 1));
                    }
                }
            }
            if (!x.isEmpty()) {
                chart.addSeries(metric, x, y);
            }
        }
        if (!fx.isEmpty()) {
            XYSeries f = chart.addSeries("flagged", fx, fy);
            f.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            f.setMarker(SeriesMarkers.DIAMOND);
            f.setMarkerColor(java.awt.Color.RED);
        }
        if (chart.getSeriesMap().isEmpty()) {
            chart.addSeries("no data", List.of(0.0), List.of(0.0));
        }
        return chart;
    }

    private static CategoryChart barChart(String title, List<Map<String, Object>> rows, String category, String value) {
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(340).title(title).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(20);
        List<String> x = rows.stream().map(r -> String.valueOf(r.get(category))).toList();
        List<Number> y = rows.stream().map(r -> (Number) r.get(value)).toList();
        chart.addSeries(value, x.isEmpty() ? List.of("none") : x, y.isEmpty() ? List.of(0) : y);
        return chart;
    }

    private static String grid(List<Map<String, Object>> cells) {
        TreeSet<Integer> partitions = new TreeSet<>();
        Map<String, Map<Integer, Map<String, Object>>> byHour = new TreeMap<>();
        for (Map<String, Object> c : cells) {
            int p = ((Number) c.get("kafka_partition")).intValue();
            partitions.add(p);
            byHour.computeIfAbsent((String) c.get("hour"), k -> new TreeMap<>()).put(p, c);
        }
        StringBuilder b = new StringBuilder("<table><tr><th>hour</th>");
        partitions.forEach(p -> b.append("<th>partition ").append(p).append("</th>"));
        b.append("</tr>");
        byHour.forEach((hour, row) -> {
            b.append("<tr><td>").append(esc(hour)).append("</td>");
            for (int p : partitions) {
                Map<String, Object> c = row.get(p);
                long u = c == null ? 0 : l(c, "unexplained");
                String tip = c == null ? "no records" : String.format("expected %d, raw %d, DLQ %d", l(c, "expected_records"),
                    l(c, "raw_rows"), l(c, "dlq_rows"));
                b.append("<td class=\"").append(u == 0 ? "ok" : "bad").append("\" title=\"").append(tip).append("\">")
                    .append(u).append("</td>");
            }
            b.append("</tr>");
        });
        return b.append("</table>").toString();
    }

    private static String table(List<Map<String, Object>> rows) {
        if (rows.isEmpty()) {
            return "<p>(no rows)</p>";
        }
        StringBuilder b = new StringBuilder("<table><tr>");
        rows.get(0).keySet().forEach(k -> b.append("<th>").append(esc(k)).append("</th>"));
        b.append("</tr>");
        for (Map<String, Object> r : rows) {
            b.append("<tr>");
            r.values().forEach(v -> b.append("<td>").append(esc(v instanceof Double d ? String.format("%.4g", d) : String.valueOf(v)))
                .append("</td>"));
            b.append("</tr>");
        }
        return b.append("</table>").toString();
    }

    private static String img(Chart<?, ?> chart) throws IOException {
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        return "<img alt=\"chart\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\"/>";
    }

    private static List<Map<String, Object>> query(Connection c, String name, String days) throws SQLException {
        String sql = LakeTable.SqlResources.load("report/" + name + ".sql").replace("${days}", days);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static long l(Map<String, Object> row, String col) {
        Object v = row.get(col);
        return v == null ? 0 : ((Number) v).longValue();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
