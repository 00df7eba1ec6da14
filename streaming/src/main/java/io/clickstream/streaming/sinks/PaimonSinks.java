package io.clickstream.streaming.sinks;

import io.clickstream.streaming.ClickstreamTopology;
import io.clickstream.streaming.StreamingOptions;
import io.clickstream.tables.LakeTable;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamStatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.runtime.typeutils.ExternalTypeInfo;
import org.apache.flink.table.types.DataType;
import org.apache.flink.types.Row;

/**
 * Writes the topology's table streams into Paimon primary-key tables through Flink's Table API and
 * Paimon's catalog: the tables are created from the DDL in {@code tables}, and Paimon's sink commits
 * on each checkpoint (exactly once).
 */
public final class PaimonSinks {
    /** Name of the Paimon catalog registered in the table environment. */
    public static final String CATALOG = "lake";

    private PaimonSinks() {}

    /** Registers the Paimon catalog and creates the database and every table if missing. */
    public static void createTables(StreamTableEnvironment tEnv, Configuration conf) {
        String db = conf.get(StreamingOptions.DATABASE);
        tEnv.executeSql("CREATE CATALOG " + CATALOG + " WITH ('type' = 'paimon', 'warehouse' = '"
            + conf.get(StreamingOptions.WAREHOUSE) + "')");
        tEnv.executeSql("CREATE DATABASE IF NOT EXISTS " + CATALOG + "." + db);
        tEnv.useCatalog(CATALOG);
        tEnv.useDatabase(db);
        for (LakeTable t : LakeTable.values()) {
            tEnv.executeSql(t.paimonDdl());
        }
    }

    /** Adds one INSERT per table to a statement set and attaches it to the stream environment's job. */
    public static void attach(StreamTableEnvironment tEnv, ClickstreamTopology.Outputs out, Configuration conf) {
        createTables(tEnv, conf);
        StreamStatementSet set = tEnv.createStatementSet();
        insert(tEnv, set, LakeTable.RAW_EVENTS, out.raw, RowMappers::rawEvent);
        insert(tEnv, set, LakeTable.EVENTS_DEDUP, out.deduplicated, RowMappers::dedupEvent);
        insert(tEnv, set, LakeTable.PAGE_MINUTE_AGG, out.minuteRows, RowMappers::pageMinute);
        insert(tEnv, set, LakeTable.SESSIONS, out.sessions, RowMappers::session);
        insert(tEnv, set, LakeTable.FUNNEL_DAILY, out.funnel, RowMappers::funnel);
        set.attachAsDataStream();
    }

    private static <T> void insert(StreamTableEnvironment tEnv, StreamStatementSet set, LakeTable table,
            DataStream<T> stream, MapFunction<T, Row> mapper) {
        DataType rowType = tEnv.from(table.tableName()).getResolvedSchema().toPhysicalRowDataType();
        DataStream<Row> rows = stream.map(mapper).returns(ExternalTypeInfo.of(rowType))
            .name("to-row-" + table.tableName()).uid("to-row-" + table.tableName());
        Table t = tEnv.fromDataStream(rows);
        set.add(t.insertInto(table.tableName()));
    }
}
