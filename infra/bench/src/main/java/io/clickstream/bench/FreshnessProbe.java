package io.clickstream.bench;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;

import org.apache.paimon.Snapshot;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.CatalogContext;
import org.apache.paimon.catalog.CatalogFactory;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.data.InternalRow;
import org.apache.paimon.data.Timestamp;
import org.apache.paimon.options.Options;
import org.apache.paimon.reader.RecordReader;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.source.ReadBuilder;
import org.apache.paimon.utils.SnapshotManager;

/**
 * Event → queryable latency, per record: a row of {@code raw_events} becomes queryable with the first
 * snapshot that contains it, so its latency is that snapshot's commit time minus the row's Kafka
 * timestamp (the produce time in a live run, where event time equals produce time). Reads the table
 * as of every appending snapshot and attributes each newly visible (partition, offset) to it.
 */
final class FreshnessProbe {
    private FreshnessProbe() {}

    static List<Long> latenciesMs(String warehouse, String database, String table) throws Exception {
        Options o = new Options();
        o.set("warehouse", warehouse);
        List<Long> out = new ArrayList<>();
        try (Catalog catalog = CatalogFactory.createCatalog(CatalogContext.create(o))) {
            FileStoreTable t = (FileStoreTable) catalog.getTable(Identifier.create(database, table));
            List<String> names = t.rowType().getFieldNames();
            int tsCol = names.indexOf("kafka_timestamp");
            int partCol = names.indexOf("kafka_partition");
            int offCol = names.indexOf("kafka_offset");
            SnapshotManager sm = t.snapshotManager();
            Long earliest = sm.earliestSnapshotId();
            Long latest = sm.latestSnapshotId();
            if (earliest == null) {
                return out;
            }
            Set<Long> seen = new HashSet<>();
            for (long id = earliest; id <= latest; id++) {
                Snapshot s = sm.snapshot(id);
                if (s.commitKind() != Snapshot.CommitKind.APPEND) {
                    continue;
                }
                ReadBuilder rb = t.copy(Map.of("scan.snapshot-id", Long.toString(id))).newReadBuilder();
                long commit = s.timeMillis();
                try (RecordReader<InternalRow> reader = rb.newRead().createReader(rb.newScan().plan().splits())) {
                    reader.forEachRemaining(row -> {
                        if (seen.add(((long) row.getInt(partCol) << 48) | row.getLong(offCol))) {
                            Timestamp ts = row.getTimestamp(tsCol, 3);
                            LocalDateTime utc = ts.toLocalDateTime();
                            out.add(commit - utc.toInstant(ZoneOffset.UTC).toEpochMilli());
                        }
                    });
                }
            }
        }
        return out;
    }
    static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
