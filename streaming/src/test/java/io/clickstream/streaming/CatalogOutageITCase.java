package io.clickstream.streaming;

import static io.clickstream.streaming.StreamingRestartITCase.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.clickstream.infra.lakehouse.IcebergCatalogSchema;
import io.clickstream.infra.lakehouse.LocalPostgres;
import io.clickstream.infra.lakehouse.Ports;
import io.clickstream.infra.lakehouse.ServingCatalog;
import io.clickstream.loadgen.ClickGenerator;
import io.clickstream.loadgen.GeneratedRecord;
import io.clickstream.loadgen.GroundTruth;
import io.clickstream.tables.LakeTable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;

/**
 * The Iceberg catalog's PostgreSQL stopped for 30 s mid-stream and started again on the same data: the
 * job's Iceberg commits fail meanwhile, it fails over (Flink's default restart strategy) and resumes
 * from its last checkpoint once the catalog is back. Every Paimon table, side topic and Iceberg serving
 * table must then equal the truth, as after an uninterrupted run.
 */
class CatalogOutageITCase extends BrokerTestBase {
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @Test
    void catalogDatabaseDownForThirtySecondsMidStream() throws Exception {
        PipelineFixture f = new PipelineFixture("pg-outage", broker.bootstrapServers(), tmp);
        List<GeneratedRecord> all = ClickGenerator.generateAll(f.traffic);
        List<GeneratedRecord> phase1 = all.subList(0, all.size() / 2);
        List<GeneratedRecord> phase2 = all.subList(phase1.size(), all.size());
        Path pgData = tmp.resolve("postgres");
        int pgPort = Ports.free();
        LocalPostgres pg = LocalPostgres.start(pgData, pgPort, Duration.ofSeconds(60));
        try {
            ServingCatalog catalog = pg.catalog(tmp.resolve("iceberg").toUri().toString());
            IcebergCatalogSchema.ensure(catalog);
            Configuration conf = f.jobConfiguration();
            io.clickstream.streaming.sinks.LakeSinks.useServingCatalog(conf, catalog);
            // What a deployment runs with: keep restarting (with backoff) until the catalog is back.
            conf.setString("restart-strategy.type", "exponential-delay");
            conf.setString("restart-strategy.exponential-delay.initial-backoff", "500 ms");
            conf.setString("restart-strategy.exponential-delay.max-backoff", "5 s");

            f.produce(phase1);
            JobClient job = StreamingRestartITCase.startWithInjector(conf);
            awaitCondition("a checkpoint with Iceberg commits", Duration.ofSeconds(90),
                () -> FailureInjector.SEEN_AT_LAST_CHECKPOINT.get() > 0);
            pg.close();
            long stoppedAt = System.nanoTime();
            f.produce(phase2);
            awaitCondition("the catalog outage lasting " + OUTAGE, OUTAGE.plusSeconds(5),
                () -> System.nanoTime() - stoppedAt >= OUTAGE.toNanos());
            pg = LocalPostgres.start(pgData, pgPort, Duration.ofSeconds(60));

            StreamingRestartITCase.drainOnceEverythingIsCheckpointed(job, f, all);
            assertThat(FailureInjector.MAX_ATTEMPT.get()).as("the job failed over while the catalog was down").isPositive();
            GroundTruth truth = f.truth();
            StreamingPipelineITCase.assertLakeAndTopicsEqualTruth(f, truth);
            assertServingTablesEqualTruth(catalog, f, truth);
        } finally {
            pg.close();
        }
    }

    /** The Iceberg serving copies, read with Iceberg's own reader: row counts per table and the exact minute rows. */
    private static void assertServingTablesEqualTruth(ServingCatalog serving, PipelineFixture f, GroundTruth truth) throws Exception {
        Catalog catalog = CatalogUtil.buildIcebergCatalog(serving.catalogName(), serving.icebergProperties(),
            new org.apache.hadoop.conf.Configuration());
        Map<String, Long> expectedCounts = new TreeMap<>();
        expectedCounts.put(LakeTable.RAW_EVENTS.tableName(), truth.validRecords());
        expectedCounts.put(LakeTable.DLQ_EVENTS.tableName(), truth.dlqRecords());
        expectedCounts.put(LakeTable.EVENTS_DEDUP.tableName(), (long) truth.distinctEvents.size());
        expectedCounts.put(LakeTable.SESSIONS.tableName(), (long) truth.sessionRows().size());
        Map<String, Long> counts = new TreeMap<>();
        List<GroundTruth.MinuteRow> minutes = new ArrayList<>();
        for (LakeTable t : LakeTable.values()) {
            Table table = catalog.loadTable(TableIdentifier.of(serving.namespace(), t.tableName()));
            long n = 0;
            try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
                for (Record r : rows) {
                    n++;
                    if (t == LakeTable.PAGE_MINUTE_AGG) {
                        minutes.add(new GroundTruth.MinuteRow(((LocalDateTime) r.getField("window_start")).toInstant(ZoneOffset.UTC)
                            .toEpochMilli(), (String) r.getField("page"), (Long) r.getField("events"), (Long) r.getField("page_views"),
                            (Long) r.getField("clicks"), (Long) r.getField("add_to_carts"), (Long) r.getField("checkouts"),
                            (Long) r.getField("purchases"), (Long) r.getField("unique_users"), (Long) r.getField("unique_viewers")));
                    }
                }
            }
            if (expectedCounts.containsKey(t.tableName())) {
                counts.put(t.tableName(), n);
            }
        }
        assertThat(counts).as("Iceberg serving tables: rows per table").isEqualTo(expectedCounts);
        assertThat(minutes).as("Iceberg page_minute_agg").containsExactlyInAnyOrderElementsOf(truth.minuteRows());
        if (catalog instanceof AutoCloseable c) {
            c.close();
        }
    }
}
