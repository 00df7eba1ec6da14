package io.clickstream.demo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.clickstream.infra.lakehouse.LocalTrino;
import io.clickstream.infra.lakehouse.ServiceOptions;
import io.clickstream.infra.lakehouse.TiedProcess;
import io.clickstream.infra.lakehouse.ServingCatalog;
import io.clickstream.loadgen.GroundTruth;
import io.clickstream.quality.QualityReport;

/**
 * The demo's batch part: runs the Spark batch pipeline (late correction, rollups, reconciliation) in
 * its own JVM, as spark-submit would (Spark and Flink never share a classpath), then checks through
 * Trino that the corrected minute rows and the hour/day rollups equal the truth computed from the
 * generated input and that reconciliation explains every offset, and writes the quality report.
 * The jobs run as the Airflow tasks run them: {@code infra/bin/batch.sh}, spark-submit of the build's application jar.
 */
final class BatchStep {
    private BatchStep() {}

    /** The Spark master for batch.sh and, if any, the catalog password (environment, never the command line). */
    private static Map<String, String> batchEnvironment(ServingCatalog catalog, String sparkMaster) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CLICKSTREAM_SPARK_MASTER", sparkMaster);
        if (!catalog.password().isEmpty()) {
            env.put("CLICKSTREAM_JDBC_PASSWORD", catalog.password());
        }
        return env;
    }

    static Map<String, Boolean> run(LocalTrino trino, ServingCatalog catalog, String bootstrap, List<String> days,
            GroundTruth truth, Path dir, String sparkMaster) throws Exception {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        Path batchSh = io.clickstream.infra.cluster.Repository.resolve("infra/bin/batch.sh");
        if (!Files.isRegularFile(batchSh)) {
            System.out.println("[8/10] Batch layer skipped: run the demo from the repository (infra/bin/demo.sh)");
            return checks;
        }
        System.out.printf("[8/10] Batch layer: spark-submit of the application jar (master %s) on the Iceberg tables for days %s ...%n", sparkMaster, days);
        List<String> cmd = new ArrayList<>(List.of("bash", batchSh.toString(), "pipeline",
            "--jdbc-url", catalog.jdbcUrl(), "--jdbc-user", catalog.user(), "--catalog-name", catalog.catalogName(),
            "--warehouse", catalog.warehouse(), "--namespace", catalog.namespace(), "--bootstrap-servers", bootstrap,
            "--driver-host", ServiceOptions.bindHost(), "--days", String.join(",", days), "--run-id", "demo"));
        long t0 = System.nanoTime();
        Path log = dir.resolve("batch.log");
        // Tied to this JVM (own process group, stopped with it, even on SIGKILL); the catalog password, if
        // any, travels in the environment, never on the command line.
        int exit;
        try (TiedProcess p = TiedProcess.start("spark-batch", cmd, Path.of("").toAbsolutePath(), log, "TERM",
                ServiceOptions.stopGrace(), batchEnvironment(catalog, sparkMaster))) {
            exit = followBatchLog(p, log);
        }
        System.out.printf("      batch JVM finished in %.1f s with exit code %d (log %s)%n", (System.nanoTime() - t0) / 1e9, exit, log);
        checks.put("batch pipeline succeeded", exit == 0);

        System.out.println("[9/10] Corrected tables through Trino against the truth (events up to 2 h late included):");
        try (Connection c = trino.connectBi(catalog.namespace())) {
            List<String> minutes = strings(c, "SELECT CAST(to_unixtime(window_start) * 1000 AS bigint), page, events, page_views, clicks, "
                + "add_to_carts, checkouts, purchases, unique_users, unique_viewers FROM page_minute_agg");
            List<String> expectedMinutes = truth.correctedMinuteRows().stream().map(m -> String.join("|", "" + m.windowStart(),
                m.page(), "" + m.events(), "" + m.pageViews(), "" + m.clicks(), "" + m.addToCarts(), "" + m.checkouts(),
                "" + m.purchases(), "" + m.uniqueUsers(), "" + m.uniqueViewers())).sorted().toList();
            check(checks, "page_minute_agg: every minute row equals a run where nothing was late", minutes, expectedMinutes);
            // Finality: the bounded run closed every window (final); the correction marked what it changed.
            java.util.Set<io.clickstream.loadgen.GroundTruth.MinuteRow> streamed = new java.util.HashSet<>(truth.minuteRows());
            long expectedCorrected = truth.correctedMinuteRows().stream().filter(m -> !streamed.contains(m)).count();
            Map<String, Long> byFinality = new java.util.TreeMap<>();
            for (String row : strings(c, "SELECT finality || '|' || CAST(count(*) AS varchar) FROM page_minute_agg GROUP BY finality")) {
                String[] kv = row.split("\\|");
                byFinality.put(kv[0], Long.parseLong(kv[1]));
            }
            System.out.printf("      page_minute_agg rows by finality: %s (a BI query for closed windows only: WHERE finality <> 'provisional')%n",
                byFinality);
            checks.put("page_minute_agg finality: no provisional row, " + expectedCorrected + " corrected, the rest final",
                byFinality.getOrDefault("provisional", 0L) == 0 && byFinality.getOrDefault("corrected", 0L) == expectedCorrected
                    && byFinality.getOrDefault("final", 0L) == expectedMinutes.size() - expectedCorrected);
            List<String> sessions = strings(c, "SELECT user_id, CAST(to_unixtime(session_start) * 1000 AS bigint), "
                + "CAST(to_unixtime(session_end) * 1000 AS bigint), events, page_views, distinct_pages, funnel_step FROM sessions");
            List<String> expectedSessions = truth.correctedSessionRows().stream().map(x -> String.join("|", x.userId(), "" + x.start(),
                "" + x.end(), "" + x.events(), "" + x.pageViews(), "" + x.distinctPages(), "" + x.funnelStep())).sorted().toList();
            check(checks, "sessions: every session equals a run where nothing was late", sessions, expectedSessions);
            List<String> funnel = strings(c, "SELECT dt, step, sessions, entrants FROM funnel_daily");
            List<String> expectedFunnel = truth.correctedFunnelRows().stream().map(x -> String.join("|", x.dt(), "" + x.step(),
                "" + x.sessions(), "" + x.entrants())).sorted().toList();
            check(checks, "funnel_daily: every row equals a run where nothing was late", funnel, expectedFunnel);
            checks.putAll(rollupChecks(c, truth));
            long views = Long.parseLong(strings(c, "SELECT coalesce(sum(page_views), 0) FROM page_day_agg").get(0));
            long unexplained = strings(c, "SELECT status FROM reconciliation WHERE status <> 'OK'").size();
            checks.put("reconciliation: zero unexplained offsets in every (hour, partition)", unexplained == 0);
            System.out.printf("      corrected totals: %,d page views over %,d distinct events (%,d of them arrived beyond "
                + "the allowed lateness); reconciliation ranges with problems: %d%n", views, truth.distinctEvents.size(),
                truth.lateEventIds.size(), unexplained);
            checks.put("quality report: no unexplained offsets", writeReport(trino, catalog, null, days, dir));
        }
        return checks;
    }

    /** Prints the log's {@code BATCH } lines while the process runs; its exit code. */
    private static int followBatchLog(TiedProcess p, Path log) throws Exception {
        long printed = 0;
        int exit = -1;
        while (exit < 0) {
            exit = p.waitFor(java.time.Duration.ofMillis(500));
            if (Files.exists(log)) {
                // Lenient decoding: a log line is never worth a MalformedInputException.
                String text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
                // Complete lines only while it runs (a line being written is read on the next round).
                String complete = exit >= 0 ? text : text.substring(0, text.lastIndexOf('\n') + 1);
                String[] lines = complete.isEmpty() ? new String[0] : complete.split("\n");
                for (int i = (int) printed; i < lines.length; i++) {
                    String line = lines[i];
                    if (line.startsWith("BATCH ")) {
                        System.out.println("      " + line.substring(6));
                    }
                }
                printed = lines.length;
            }
        }
        return exit;
    }

    /** Through Trino: every hour and day rollup row equals the truth. */
    static Map<String, Boolean> verifyRollups(LocalTrino trino, ServingCatalog catalog, GroundTruth truth) throws Exception {
        try (Connection c = trino.connectBi(catalog.namespace())) {
            return rollupChecks(c, truth);
        }
    }

    private static Map<String, Boolean> rollupChecks(Connection c, GroundTruth truth) throws Exception {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        check(checks, "page_hour_agg: every hour exact (unique users exact, late events included)",
            strings(c, "SELECT format_datetime(hour_start, 'yyyy-MM-dd''T''HH:mm'), page, events, page_views, clicks, "
                + "add_to_carts, checkouts, purchases, late_events, unique_users, unique_viewers FROM page_hour_agg"), rollup(truth.hourRollup()));
        check(checks, "page_day_agg: every day exact", strings(c, "SELECT dt, page, events, page_views, clicks, add_to_carts, "
            + "checkouts, purchases, late_events, unique_users, unique_viewers FROM page_day_agg"), rollup(truth.dayRollup()));
        return checks;
    }

    /** Writes the quality report, with Airflow's last runs when a client is given, and prints its path. */
    static boolean writeReport(LocalTrino trino, ServingCatalog catalog, io.clickstream.infra.airflow.AirflowClient airflow,
            List<String> days, Path dir) throws Exception {
        try (Connection c = trino.connectBi(catalog.namespace())) {
            QualityReport.Summary q = QualityReport.write(c, airflow, days, dir.resolve("quality").resolve("report.html"),
                "Clickstream data quality (demo)");
            System.out.printf("      quality report (%s): %s%n", q.ok() ? "every offset accounted for" : "PROBLEMS",
                q.file().toAbsolutePath());
            return q.ok();
        }
    }

    private static void check(Map<String, Boolean> checks, String what, List<String> actual, List<String> expected) {
        boolean same = actual.equals(expected);
        checks.put(what, same);
        System.out.printf("      %-78s %s (%,d rows)%n", what, same ? "yes" : "MISMATCH", actual.size());
        if (!same) {
            java.util.Set<String> a = new java.util.TreeSet<>(actual);
            java.util.Set<String> e = new java.util.TreeSet<>(expected);
            System.out.printf("        only in the table (%d): %s%n", a.stream().filter(r -> !e.contains(r)).count(),
                a.stream().filter(r -> !e.contains(r)).limit(5).toList());
            System.out.printf("        only in the truth (%d): %s%n", e.stream().filter(r -> !a.contains(r)).count(),
                e.stream().filter(r -> !a.contains(r)).limit(5).toList());
        }
    }

    private static List<String> rollup(List<GroundTruth.RollupRow> rows) {
        return rows.stream().map(GroundTruth.RollupRow::joined).sorted().toList();
    }

    private static List<String> strings(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    b.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(b.toString());
            }
        }
        out.sort(null);
        return out;
    }
}
