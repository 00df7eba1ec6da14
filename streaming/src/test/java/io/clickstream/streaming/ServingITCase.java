package io.clickstream.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.clickstream.infra.lakehouse.BiQuery;
import io.clickstream.infra.lakehouse.LocalPostgres;
import io.clickstream.infra.lakehouse.Listeners;
import io.clickstream.infra.lakehouse.LocalTrino;
import io.clickstream.infra.lakehouse.MaintenanceOptions;
import io.clickstream.infra.lakehouse.ServingCatalog;
import io.clickstream.infra.lakehouse.TableMaintenance;
import io.clickstream.loadgen.BiTruth;
import io.clickstream.loadgen.ClickGenerator;
import io.clickstream.loadgen.GroundTruth;
import io.clickstream.tables.LakeTable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import io.clickstream.quality.HeadlessScreenshot;
import io.clickstream.quality.LocalSuperset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The serving layer for real: the streaming job writes the Iceberg copies of every table into a JDBC
 * catalog on a real PostgreSQL, a real Trino server reads them, and every named BI query run through
 * trino-jdbc must equal the result computed from the generated input. Then table maintenance
 * (compaction, snapshot expiry, orphan files) runs through Trino and nothing a query returns changes.
 * A real Apache Superset (started while the job runs) imports the repository's dashboard, connected to
 * the same Trino as the read-only BI user, and every chart's data, read through Superset's chart data
 * endpoint, equals the same truth; a headless Chromium takes a screenshot of the dashboard.
 */
class ServingITCase extends ServingTestBase {
    static java.util.concurrent.CompletableFuture<LocalSuperset> superset;

    static long classStart;

    @BeforeAll
    static void startSuperset() {
        classStart = System.nanoTime();
        superset = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return LocalSuperset.start(Path.of(".."), tmp.resolve("superset"), Duration.ofMinutes(10));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterAll
    static void stopSuperset() {
        if (superset != null) {
            superset.thenAccept(LocalSuperset::close).exceptionally(e -> null).join();
            superset = null;
        }
    }

    @Test
    void biQueriesThroughTrinoEqualTheTruthBeforeAndAfterMaintenance() throws Exception {
        long t0 = System.nanoTime();
        PipelineFixture f = new PipelineFixture("serving", broker.bootstrapServers(), tmp);
        List<io.clickstream.loadgen.GeneratedRecord> all = ClickGenerator.generateAll(f.traffic);
        // Two halves, the second produced once a checkpoint committed the first: the serving tables get
        // several commits (small files and snapshots for the maintenance below) however fast the job reads.
        f.produce(all.subList(0, all.size() / 2));

        Configuration conf = f.jobConfiguration();
        io.clickstream.streaming.sinks.LakeSinks.useServingCatalog(conf, catalog);
        StreamExecutionEnvironment env = ClickstreamJob.environment(conf);
        org.apache.flink.core.execution.JobClient job = ClickstreamJob.start(env, conf, s -> s);
        // While the MiniCluster runs the job beside the broker, PostgreSQL and (starting) Trino: nothing
        // this JVM or its children started listens beyond loopback.
        assertThat(Listeners.nonLoopbackOfOurProcesses()).as("non-loopback listeners while the job runs").isEmpty();
        Map<String, String> firstHalf = f.endOffsets();
        StreamingRestartITCase.awaitCondition("a checkpoint covering the first half " + firstHalf, Duration.ofSeconds(120),
            () -> f.committedOffsets().equals(firstHalf));
        f.produce(all.subList(all.size() / 2, all.size()));
        StreamingRestartITCase.drainOnceEverythingIsCheckpointed(job, f, all);
        GroundTruth truth = f.truth();

        Map<String, List<List<String>>> expected = BiTruth.expected(truth);
        System.out.printf("ServingITCase: job drained %.1f s after the test started%n", (System.nanoTime() - t0) / 1e9);
        try (LocalTrino server = trino.join(); Connection c = server.connectAdmin(catalog.namespace())) {
            System.out.printf("ServingITCase: Trino ready at %.1f s%n", (System.nanoTime() - t0) / 1e9);
            List<Listeners.Listener> ours = Listeners.all().stream().filter(l -> Listeners.ourProcesses().contains(l.pid())).toList();
            assertThat(ours).as("Trino, PostgreSQL and Kafka listen").extracting(Listeners.Listener::port)
                .contains(server.port(), pg.port());
            assertThat(ours).as("non-loopback listeners with Trino up").filteredOn(l -> !l.loopback()).isEmpty();
            assertBiQueriesEqual(c, expected);
            System.out.printf("ServingITCase: BI queries checked at %.1f s%n", (System.nanoTime() - t0) / 1e9);
            assertSupersetChartsEqual(c, server, catalog.namespace(), expected);
            System.out.printf("ServingITCase: Superset charts and screenshot checked at %.1f s%n", (System.nanoTime() - t0) / 1e9);

            // The upserted minute table holds exactly one, final row per key.
            List<String> minutes = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT to_unixtime(window_start), page, events, "
                    + "page_views, clicks, add_to_carts, checkouts, purchases, unique_users, unique_viewers, revision FROM page_minute_agg")) {
                while (rs.next()) {
                    assertThat(rs.getLong(11)).as("revision = distinct events").isEqualTo(rs.getLong(3));
                    minutes.add(new GroundTruth.MinuteRow(Math.round(rs.getDouble(1) * 1000), rs.getString(2), rs.getLong(3),
                        rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10)).toString());
                }
            }
            assertThat(minutes).containsExactlyInAnyOrderElementsOf(truth.minuteRows().stream().map(Object::toString).toList());

            // Every serving table has as many rows as its Paimon original.
            Map<String, Long> icebergCounts = new TreeMap<>();
            Map<String, Long> paimonCounts = new TreeMap<>();
            try (LakeReader lake = new LakeReader(f.warehouse(), StreamingOptions.DATABASE.defaultValue())) {
                for (LakeTable t : LakeTable.values()) {
                    icebergCounts.put(t.tableName(), count(c, "SELECT count(*) FROM " + t.tableName()));
                    paimonCounts.put(t.tableName(), (long) lake.readAll(t.tableName()).size());
                }
            }
            assertThat(icebergCounts).isEqualTo(paimonCounts);

            // Maintenance: many small files from 300 ms checkpoints, equality deletes from upserts, one
            // snapshot per checkpoint, and a stray file from a "failed write".
            // (The job ran unbounded over two halves of the traffic: every table got several commits.)
            TableMaintenance.TableFiles minuteBefore = TableMaintenance.files(c, LakeTable.PAGE_MINUTE_AGG.tableName());
            assertThat(minuteBefore.effectiveDeleteFiles()).as("upserts wrote deletes").isPositive();
            TableMaintenance.TableFiles rawBefore = TableMaintenance.files(c, LakeTable.RAW_EVENTS.tableName());
            assertThat(rawBefore.snapshots()).as("raw_events snapshots").isGreaterThanOrEqualTo(2);
            Path orphan = strayFileIn(LakeTable.RAW_EVENTS.tableName());

            MaintenanceOptions o = new MaintenanceOptions();
            o.days = TableMaintenance.partitionDays(c, o.tables);
            o.snapshotRetention = "0s";
            o.orphanRetention = "1m";
            List<TableMaintenance.Outcome> outcomes = TableMaintenance.run(c, o);
            System.out.printf("ServingITCase: maintenance done at %.1f s%n", (System.nanoTime() - t0) / 1e9);

            assertBiQueriesEqual(c, expected);
            for (TableMaintenance.Outcome r : outcomes) {
                assertThat(r.after().snapshots()).as("snapshots of %s after expiry", r.table()).isEqualTo(1);
                assertThat(r.after().effectiveDeleteFiles()).as("delete files of %s that still apply after compaction", r.table())
                    .isZero();
                assertThat(r.after().dataFiles()).as("data files of %s", r.table()).isLessThanOrEqualTo(r.before().dataFiles())
                    .isLessThanOrEqualTo(o.days.size());
            }
            assertThat(TableMaintenance.files(c, LakeTable.RAW_EVENTS.tableName()).dataFiles()).isLessThan(rawBefore.dataFiles());
            assertThat(orphan).as("orphan file removed").doesNotExist();

            // A second run changes nothing.
            List<TableMaintenance.Outcome> again = TableMaintenance.run(c, o);
            for (TableMaintenance.Outcome r : again) {
                assertThat(r.after().dataFiles()).as("re-run on %s", r.table()).isEqualTo(r.before().dataFiles());
            }
            assertBiQueriesEqual(c, expected);
            System.out.printf("ServingITCase: second maintenance run checked at %.1f s%n", (System.nanoTime() - t0) / 1e9);
        }
    }

    private static void assertBiQueriesEqual(Connection c, Map<String, List<List<String>>> expected) throws Exception {
        for (BiQuery q : BiQuery.values()) {
            assertThat(q.run(c).rows()).as("BI query %s", q.queryName()).isEqualTo(expected.get(q.queryName()));
        }
    }

    /**
     * The dashboard as code, imported into Superset: one chart per named BI query, each chart's data (through
     * the chart data endpoint) the BI query's columns and rows; then a screenshot of the dashboard.
     */
    private static void assertSupersetChartsEqual(Connection c, LocalTrino server, String schema,
            Map<String, List<List<String>>> expected) throws Exception {
        LocalSuperset s = superset.join();
        System.out.printf("ServingITCase: Superset joined at %.1f s after the class started%n", (System.nanoTime() - classStart) / 1e9);
        java.net.URI dashboard = s.importDashboard(server, schema);
        Map<String, Integer> charts = s.charts();
        assertThat(charts.keySet()).as("charts of the dashboard")
            .containsExactlyInAnyOrderElementsOf(java.util.Arrays.stream(BiQuery.values()).map(BiQuery::queryName).toList());
        for (BiQuery q : BiQuery.values()) {
            int id = charts.get(q.queryName());
            List<String> columns = q.run(c).columns();
            assertThat(s.chartColumns(id)).as("columns of chart %s", q.queryName()).isEqualTo(columns);
            // In the query's order too: each chart sorts as its query does (the query's own ORDER BY is inside
            // Superset's subquery, which Trino need not keep).
            assertThat(s.chartRows(id, columns)).as("Superset chart %s", q.queryName()).isEqualTo(expected.get(q.queryName()));
        }
        assertThat(Listeners.nonLoopbackOfOurProcesses()).as("non-loopback listeners with Superset up").isEmpty();
        Path png = Path.of("target", "superset-dashboard.png");
        // Ready when every chart shows its table (8) and no loading indicator is left.
        HeadlessScreenshot.capture(dashboard, s.sessionCookie(),
            "document.querySelectorAll('.dashboard-component-chart-holder table').length >= " + BiQuery.values().length
                + " && document.querySelectorAll('.loading').length === 0",
            1600, 1800, png, tmp.resolve("chromium"), Duration.ofMinutes(2));
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 24);
        assertThat(java.util.Arrays.copyOf(head, 8)).as("a PNG").isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        assertThat(java.nio.ByteBuffer.wrap(head, 16, 4).getInt()).as("screenshot width").isEqualTo(1600);
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Writes an unreferenced file into a table's data directory, dated an hour ago. */
    private static Path strayFileIn(String table) throws IOException {
        Path tableDir;
        try (Stream<Path> dirs = Files.list(tmp.resolve("iceberg").resolve(catalog.namespace()))) {
            tableDir = dirs.filter(d -> d.getFileName().toString().startsWith(table)).findFirst().orElseThrow();
        }
        Path stray = Files.createDirectories(tableDir.resolve("data")).resolve("stray-from-a-failed-write.parquet");
        Files.write(stray, new byte[] {1, 2, 3});
        Files.setLastModifiedTime(stray, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        return stray;
    }
}
