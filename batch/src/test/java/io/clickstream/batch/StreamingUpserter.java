package io.clickstream.batch;

import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;

import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * Commits the way the Flink Iceberg upsert sink does, one checkpoint at a time: per key an equality
 * delete on the identifier fields plus the new row, in one RowDelta commit. Used to race the batch
 * MERGE with a streaming writer on the same table and partition.
 */
final class StreamingUpserter {
    private final Table table;
    private final GenericAppenderFactory factory;
    private final OutputFileFactory files;
    private final Schema deleteSchema;

    /**
     * Loads the table through its own JdbcCatalog instance, as the Flink job (another process) does: a
     * Table object shared with Spark's catalog would be mutated under the running MERGE.
     */
    StreamingUpserter(BatchOptions o, String tableName) {
        org.apache.iceberg.catalog.Catalog catalog = org.apache.iceberg.CatalogUtil.buildIcebergCatalog(o.catalogName,
            o.catalog().icebergProperties(),
            new org.apache.hadoop.conf.Configuration());
        this.table = catalog.loadTable(org.apache.iceberg.catalog.TableIdentifier.of(o.namespace, tableName));
        int[] ids = table.schema().identifierFieldIds().stream().mapToInt(Integer::intValue).toArray();
        this.deleteSchema = table.schema().select(table.schema().identifierFieldNames());
        this.factory = new GenericAppenderFactory(table.schema(), table.spec(), ids, deleteSchema, null);
        this.files = OutputFileFactory.builderFor(table, 1, System.nanoTime()).format(FileFormat.PARQUET).build();
    }

    /** One "checkpoint": upserts one minute row (dt, window_start, page) with the given counts. */
    void upsert(String dt, LocalDateTime windowStart, String page, long events) throws Exception {
        table.refresh();
        GenericRecord row = GenericRecord.create(table.schema());
        row.setField("dt", dt);
        row.setField("window_start", windowStart);
        row.setField("page", page);
        for (String c : List.of("events", "page_views", "revision")) {
            row.setField(c, events);
        }
        for (String c : List.of("clicks", "add_to_carts", "checkouts", "purchases")) {
            row.setField(c, 0L);
        }
        row.setField("unique_users", 1L);
        row.setField("unique_viewers", 1L);
        row.setField("users_hll", java.nio.ByteBuffer.wrap(new org.apache.datasketches.hll.HllSketch(12).toCompactByteArray()));
        row.setField("finality", io.clickstream.tables.Finality.PROVISIONAL.sqlName());
        PartitionKey partition = new PartitionKey(table.spec(), table.schema());
        partition.partition(row);

        EncryptedOutputFile deleteFile = files.newOutputFile(table.spec(), partition);
        EqualityDeleteWriter<Record> deletes = factory.newEqDeleteWriter(deleteFile, FileFormat.PARQUET, partition);
        Record key = GenericRecord.create(deleteSchema);
        key.setField("dt", dt);
        key.setField("window_start", windowStart);
        key.setField("page", page);
        try (EqualityDeleteWriter<Record> w = deletes) {
            w.write(key);
        }
        DataWriter<Record> data = factory.newDataWriter(files.newOutputFile(table.spec(), partition), FileFormat.PARQUET, partition);
        try (DataWriter<Record> w = data) {
            w.write(row);
        }
        table.newRowDelta().addRows(data.toDataFile()).addDeletes(deletes.toDeleteFile())
            .set("flink.job-id", "simulated-" + UUID.randomUUID()).commit();
    }
}
