package io.clickstream.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.clickstream.infra.lakehouse.IcebergCatalogSchema;
import io.clickstream.infra.lakehouse.LocalPostgres;
import io.clickstream.infra.lakehouse.ServingCatalog;
import io.clickstream.streaming.sinks.LakeSinks;
import io.clickstream.tables.LakeMigration;
import io.clickstream.tables.LakeTable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema migration command on real Paimon tables and real Iceberg tables (JDBC catalog on a real
 * PostgreSQL): tables created in the v2 shape and holding a row are brought to v3 (columns added, the
 * version recorded as a table property), the old row reads NULL in the new columns, a v3 row can be
 * written and grouped by a new column, and a second run changes nothing.
 */
class SchemaMigrationITCase {
    @TempDir
    static Path tmp;
    static LocalPostgres pg;
    static ServingCatalog catalog;

    @BeforeAll
    static void startCatalog() throws Exception {
        pg = LocalPostgres.startEphemeral(Duration.ofSeconds(60));
        catalog = pg.catalog(ServingCatalog.DEFAULT_CATALOG_NAME, tmp.resolve("iceberg").toUri().toString(), "it_schemamigration");
        IcebergCatalogSchema.ensure(catalog);
    }

    @AfterAll
    static void stopCatalog() {
        if (pg != null) {
            pg.close();
        }
    }

    private static Configuration conf() {
        Configuration c = new Configuration();
        c.set(StreamingOptions.WAREHOUSE, tmp.resolve("paimon").toUri().toString());
        LakeSinks.useServingCatalog(c, catalog);
        return c;
    }

    /** A batch table environment with both catalogs registered: Paimon as {@code lake}, Iceberg under its own name. */
    private static TableEnvironment batchEnv(Configuration conf) {
        TableEnvironment t = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        t.executeSql("CREATE CATALOG lake WITH ('type' = 'paimon', 'warehouse' = '" + conf.get(StreamingOptions.WAREHOUSE) + "')");
        t.executeSql("CREATE DATABASE IF NOT EXISTS lake.clickstream");
        String props = LakeSinks.servingCatalogProperties(conf).entrySet().stream()
            .map(e -> "'" + e.getKey() + "' = '" + e.getValue().replace("'", "''") + "'").collect(Collectors.joining(", "));
        t.executeSql("CREATE CATALOG " + LakeSinks.quote(catalog.catalogName()) + " WITH (" + props + ")");
        t.executeSql("CREATE DATABASE IF NOT EXISTS " + iceberg(""));
        return t;
    }

    private static String iceberg(String table) {
        return LakeSinks.quote(catalog.catalogName()) + "." + LakeSinks.quote(catalog.namespace()) + (table.isEmpty() ? "" : "." + table);
    }

    private static List<String> rows(TableEnvironment t, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (CloseableIterator<Row> it = t.executeSql(sql).collect()) {
            it.forEachRemaining(r -> out.add(r.toString()));
        }
        out.sort(null);
        return out;
    }

    private static final String V2_ROW = "('2026-01-05', 0, 7, TIMESTAMP '2026-01-05 08:00:00', 'e-old', 2, 'page_view', 'u1', '/p/1', "
        + "TIMESTAMP '2026-01-05 07:59:59', CAST(NULL AS STRING), 'mobile', 'DE')";
    private static final String V3_ROW = "('2026-01-05', 0, 8, TIMESTAMP '2026-01-05 08:00:01', 'e-new', 3, 'page_view', 'u2', '/p/2', "
        + "TIMESTAMP '2026-01-05 08:00:00', CAST(NULL AS STRING), 'desktop', 'FR', 'spring', 'exp-7:b', MAP['color', 'red'], "
        + "CAST(NULL AS INT), CAST(NULL AS BIGINT))";

    @Test
    void migratesV2TablesToV3OnceAndOldRowsReadNull() throws Exception {
        Configuration conf = conf();
        TableEnvironment t = batchEnv(conf);
        // The tables as the v2 job created them (the CREATE files), with one row each.
        t.executeSql("USE CATALOG lake");
        t.executeSql("USE clickstream");
        t.executeSql(LakeTable.RAW_EVENTS.paimonDdl());
        t.executeSql("USE CATALOG " + LakeSinks.quote(catalog.catalogName()));
        t.executeSql("USE " + LakeSinks.quote(catalog.namespace()));
        t.executeSql(LakeTable.RAW_EVENTS.icebergDdl());
        t.executeSql("INSERT INTO lake.clickstream.raw_events VALUES " + V2_ROW).await();
        t.executeSql("INSERT INTO " + iceberg("raw_events") + " VALUES " + V2_ROW).await();

        List<String> changes = SchemaMigrationCommand.run(conf);

        String ice = "ICEBERG " + catalog.catalogName() + "." + catalog.namespace() + ".";
        String paimon = "PAIMON lake.clickstream.";
        assertThat(changes).containsExactly(
            ice + "raw_events: added [campaign, experiment_id, properties, replay_of_partition, replay_of_offset] (v3)",
            ice + "raw_events: clickstream.schema-version = 3",
            ice + "events_dedup: added [campaign, experiment_id, properties] (v3)",
            ice + "events_dedup: clickstream.schema-version = 3",
            paimon + "raw_events: added [campaign, experiment_id, properties, replay_of_partition, replay_of_offset] (v3)",
            paimon + "raw_events: clickstream.schema-version = 3",
            paimon + "events_dedup: added [campaign, experiment_id, properties] (v3)",
            paimon + "events_dedup: clickstream.schema-version = 3");

        TableEnvironment after = batchEnv(conf);
        for (String table : List.of("lake.clickstream.raw_events", iceberg("raw_events"))) {
            assertThat(after.from(table).getResolvedSchema().getColumnNames()).as(table).endsWith("country", "campaign",
                "experiment_id", "properties", "replay_of_partition", "replay_of_offset");
            assertThat(rows(after, "SELECT event_id, campaign, experiment_id, properties FROM " + table))
                .as("the v2 row reads NULL in the new columns of %s", table).containsExactly("+I[e-old, null, null, null]");
            after.executeSql("INSERT INTO " + table + " VALUES " + V3_ROW).await();
            assertThat(rows(after, "SELECT campaign, count(*) AS events FROM " + table + " GROUP BY campaign"))
                .as("a query grouping by a new column").containsExactly("+I[null, 1]", "+I[spring, 1]");
            assertThat(rows(after, "SELECT event_id, properties['color'] FROM " + table))
                .containsExactly("+I[e-new, red]", "+I[e-old, null]");
        }
        assertThat(after.from("lake.clickstream.events_dedup").getResolvedSchema().getColumnNames())
            .endsWith("late", "campaign", "experiment_id", "properties");
        Map<String, String> options = after.getCatalog(catalog.catalogName()).orElseThrow()
            .getTable(new org.apache.flink.table.catalog.ObjectPath(catalog.namespace(), "raw_events")).getOptions();
        assertThat(options).containsEntry(LakeMigration.VERSION_PROPERTY, "3");
        List<String> paimonSchemas = rows(after, "SELECT schema_id FROM lake.clickstream.`raw_events$schemas`");

        assertThat(SchemaMigrationCommand.run(conf)).as("a second run changes nothing").isEmpty();
        TableEnvironment again = batchEnv(conf);
        assertThat(rows(again, "SELECT schema_id FROM lake.clickstream.`raw_events$schemas`")).isEqualTo(paimonSchemas);
        assertThat(rows(again, "SELECT event_id FROM " + iceberg("raw_events")).toString().toLowerCase(Locale.ROOT))
            .isEqualTo("[+i[e-new], +i[e-old]]");
    }
}
