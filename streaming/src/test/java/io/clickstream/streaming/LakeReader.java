package io.clickstream.streaming;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.CatalogContext;
import org.apache.paimon.catalog.CatalogFactory;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.data.BinaryString;
import org.apache.paimon.data.InternalRow;
import org.apache.paimon.data.Timestamp;
import org.apache.paimon.options.Options;
import org.apache.paimon.reader.RecordReader;
import org.apache.paimon.table.Table;
import org.apache.paimon.table.source.ReadBuilder;
import org.apache.paimon.types.DataField;
import org.apache.paimon.types.RowType;

/**
 * Reads the latest snapshot of a Paimon table into plain Java values (String, Long, Integer,
 * LocalDateTime, byte[], ...) with Paimon's own table API: for reports and for tests that compare
 * whole tables.
 */
public final class LakeReader implements AutoCloseable {
    private final Catalog catalog;
    private final String database;

    public LakeReader(String warehouse, String database) {
        Options options = new Options();
        options.set("warehouse", warehouse);
        this.catalog = CatalogFactory.createCatalog(CatalogContext.create(options));
        this.database = database;
    }

    /** Every row of the table's latest snapshot, as column name → value in DDL order. */
    public List<Map<String, Object>> readAll(String table) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        scan(table, rows::add);
        return rows;
    }

    /** Streams every row of the table's latest snapshot to {@code sink} without keeping them. */
    public void scan(String table, java.util.function.Consumer<Map<String, Object>> sink) throws Exception {
        Table t = catalog.getTable(Identifier.create(database, table));
        RowType type = t.rowType();
        List<DataField> fields = type.getFields();
        List<InternalRow.FieldGetter> getters = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            getters.add(InternalRow.createFieldGetter(fields.get(i).type(), i));
        }
        ReadBuilder rb = t.newReadBuilder();
        try (RecordReader<InternalRow> reader = rb.newRead().createReader(rb.newScan().plan().splits())) {
            reader.forEachRemaining(row -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < fields.size(); i++) {
                    m.put(fields.get(i).name(), toJava(getters.get(i).getFieldOrNull(row)));
                }
                sink.accept(m);
            });
        }
    }

    private static Object toJava(Object v) {
        if (v instanceof BinaryString) {
            return v.toString();
        }
        if (v instanceof Timestamp) {
            return ((Timestamp) v).toLocalDateTime();
        }
        if (v instanceof org.apache.paimon.data.InternalMap) {
            // The v3 properties column (MAP<STRING, STRING>): a sorted Java map, so rows compare by value.
            org.apache.paimon.data.InternalMap map = (org.apache.paimon.data.InternalMap) v;
            java.util.Map<String, String> out = new java.util.TreeMap<>();
            for (int i = 0; i < map.size(); i++) {
                out.put(map.keyArray().getString(i).toString(),
                    map.valueArray().isNullAt(i) ? null : map.valueArray().getString(i).toString());
            }
            return out;
        }
        return v;
    }

    @Override
    public void close() throws Exception {
        catalog.close();
    }
}
