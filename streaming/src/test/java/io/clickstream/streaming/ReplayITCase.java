package io.clickstream.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.clickstream.infra.lakehouse.IcebergCatalogSchema;
import io.clickstream.infra.lakehouse.LocalPostgres;
import io.clickstream.infra.lakehouse.ServingCatalog;
import io.clickstream.loadgen.ClickGenerator;
import io.clickstream.loadgen.GroundTruth;
import io.clickstream.streaming.sinks.LakeSinks;
import io.clickstream.tables.LakeTable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * Replays of {@code clicks.raw} into tables that already hold the result of a run: the job started
 * again without state (what an operator does to backfill, or after losing the checkpoints), once
 * from offset 0 and once from the middle of every partition, in the configuration users run (Paimon
 * tables plus the Iceberg serving copies).
 *
 * <p>From offset 0, every table of both lakes must be identical to before, row for row, sketch bytes
 * included: every table is keyed (the Kafka coordinate, the event id, the window, the session, the
 * day), the late verdict depends only on the partition's own records, and every aggregate row is
 * recomputed from the same events. From the middle, the row tables (raw mirror, DLQ, deduplicated
 * events) must be identical too: before upserts, the Iceberg copies of these append-only tables gained
 * every replayed row a second time. (The aggregates of windows and sessions that straddle the
 * replay's first offsets are recomputed from part of their events; that is why a backfill starts at a
 * day boundary, see docs/ARCHITECTURE.md.)
 */
class ReplayITCase extends BrokerTestBase {
    private static final List<LakeTable> ROW_TABLES = List.of(LakeTable.RAW_EVENTS, LakeTable.DLQ_EVENTS, LakeTable.EVENTS_DEDUP);

    @Test
    void replayWithFreshStateRewritesTheSameTables() throws Exception {
        PipelineFixture f = new PipelineFixture("replay", broker.bootstrapServers(), tmp);
        f.produce(ClickGenerator.generateAll(f.traffic));
        try (LocalPostgres pg = LocalPostgres.startEphemeral(Duration.ofSeconds(60))) {
            ServingCatalog serving = pg.catalog(ServingCatalog.DEFAULT_CATALOG_NAME, tmp.resolve("replay-iceberg").toUri().toString(),
                "replay");
            IcebergCatalogSchema.ensure(serving);

            run(f, serving, "first", null);
            GroundTruth truth = f.truth();
            StreamingPipelineITCase.assertLakeAndTopicsEqualTruth(f, truth);
            Map<String, List<String>> paimon = f.snapshotTables();
            Map<String, List<String>> iceberg = icebergTables(serving);
            assertThat(iceberg.get(LakeTable.EVENTS_DEDUP.tableName())).hasSize(truth.distinctEvents.size());
            assertThat(iceberg.get(LakeTable.RAW_EVENTS.tableName())).hasSize((int) truth.validRecords());

            Map<String, String> fromZero = new TreeMap<>();
            Map<String, String> fromMiddle = new TreeMap<>();
            for (int p = 0; p < f.traffic.partitions; p++) {
                fromZero.put(Integer.toString(p), "0");
                fromMiddle.put(Integer.toString(p), Long.toString(f.endOffset(p) / 2));
            }
            run(f, serving, "replay-from-zero", fromZero);
            assertThat(f.snapshotTables()).as("Paimon tables after a replay from offset 0").isEqualTo(paimon);
            assertThat(icebergTables(serving)).as("Iceberg serving tables after a replay from offset 0").isEqualTo(iceberg);

            run(f, serving, "replay-from-middle", fromMiddle);
            Map<String, List<String>> paimonAfter = f.snapshotTables();
            Map<String, List<String>> icebergAfter = icebergTables(serving);
            for (LakeTable t : ROW_TABLES) {
                assertThat(paimonAfter.get(t.tableName())).as("Paimon %s after a replay from the middle", t.tableName())
                    .isEqualTo(paimon.get(t.tableName()));
                assertThat(icebergAfter.get(t.tableName())).as("Iceberg %s after a replay from the middle", t.tableName())
                    .isEqualTo(iceberg.get(t.tableName()));
            }
        }
    }

    /** One bounded run to the end of the topic without state: from the committed offsets, or from {@code start}. */
    private static void run(PipelineFixture f, ServingCatalog serving, String name, Map<String, String> start) throws Exception {
        Configuration conf = f.jobConfiguration();
        LakeSinks.useServingCatalog(conf, serving);
        conf.set(StreamingOptions.STOPPING_OFFSETS, f.endOffsets());
        conf.set(StreamingOptions.CHECKPOINT_DIR, f.dir.resolve("checkpoints-" + name).toUri().toString());
        if (start != null) {
            conf.set(StreamingOptions.STARTING_OFFSETS, start);
        }
        StreamExecutionEnvironment env = ClickstreamJob.environment(conf);
        ClickstreamJob.wire(env, conf);
        env.execute(name);
    }

    /** Every Iceberg serving table as sorted rows; binary columns (the HLL sketches) as hex, so their bytes count. */
    static Map<String, List<String>> icebergTables(ServingCatalog serving) throws Exception {
        Catalog catalog = CatalogUtil.buildIcebergCatalog(serving.catalogName(), serving.icebergProperties(),
            new org.apache.hadoop.conf.Configuration());
        Map<String, List<String>> out = new TreeMap<>();
        try {
            for (LakeTable t : LakeTable.values()) {
                Table table = catalog.loadTable(TableIdentifier.of(serving.namespace(), t.tableName()));
                List<Types.NestedField> fields = table.schema().columns();
                List<String> rows = new ArrayList<>();
                try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
                    for (Record r : records) {
                        StringBuilder b = new StringBuilder();
                        for (Types.NestedField field : fields) {
                            Object v = r.getField(field.name());
                            if (v instanceof java.nio.ByteBuffer bytes) {
                                byte[] copy = new byte[bytes.remaining()];
                                bytes.duplicate().get(copy);
                                v = HexFormat.of().formatHex(copy);
                            }
                            b.append(field.name()).append('=').append(v).append(", ");
                        }
                        rows.add(b.toString());
                    }
                }
                rows.sort(null);
                out.put(t.tableName(), rows);
            }
        } finally {
            if (catalog instanceof AutoCloseable c) {
                c.close();
            }
        }
        return out;
    }
}
