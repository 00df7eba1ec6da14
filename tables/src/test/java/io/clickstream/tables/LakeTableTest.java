package io.clickstream.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** Keeps table names, DDL files and docs/TABLES.md in sync. */
class LakeTableTest {
    private static final Pattern CREATE = Pattern.compile("CREATE TABLE IF NOT EXISTS (\\w+) \\(");
    private static final Path DOCS = Path.of("..", "docs", "TABLES.md");

    @Test
    void everyTableHasADdlFileThatCreatesIt() {
        for (LakeTable t : LakeTable.values()) {
            String ddl = t.paimonDdl();
            Matcher m = CREATE.matcher(ddl);
            assertThat(m.find()).as("CREATE TABLE in %s", t.ddlResource()).isTrue();
            assertThat(m.group(1)).isEqualTo(t.tableName());
            assertThat(ddl).as("DDL is one statement without comments").doesNotContain("--").doesNotEndWith(";");
            assertThat(ddl).contains("PRIMARY KEY (dt, ").contains("PARTITIONED BY (dt)");
        }
    }

    @Test
    void icebergServingTablesHaveTheSameColumnsAsThePaimonTables() {
        for (LakeTable t : LakeTable.values()) {
            String ddl = t.icebergDdl();
            Matcher m = CREATE.matcher(ddl);
            assertThat(m.find()).as("CREATE TABLE in %s", t.icebergDdlResource()).isTrue();
            assertThat(m.group(1)).isEqualTo(t.tableName());
            assertThat(ddl).doesNotContain("--").doesNotEndWith(";").contains("PARTITIONED BY (dt)")
                .contains("'format-version' = '2'");
            assertThat(columns(ddl)).as("columns of %s", t.icebergDdlResource()).hasSizeGreaterThan(6)
                .isEqualTo(columns(t.paimonDdl()));
            boolean upsert = ddl.contains("'write.upsert.enabled' = 'true'");
            assertThat(ddl.contains("PRIMARY KEY")).as("upsert tables, and only they, declare identifier fields").isEqualTo(upsert);
        }
    }

    @Test
    void alertingTablesAreUpsertedIcebergTablesPartitionedByDay() {
        for (AlertingTable t : AlertingTable.values()) {
            String ddl = t.icebergDdl();
            Matcher m = CREATE.matcher(ddl);
            assertThat(m.find()).as("CREATE TABLE in %s", t.icebergDdlResource()).isTrue();
            assertThat(m.group(1)).isEqualTo(t.tableName());
            assertThat(ddl).doesNotContain("--").doesNotEndWith(";").contains("PARTITIONED BY (dt)")
                .contains("'format-version' = '2'").contains("'write.upsert.enabled' = 'true'").contains("PRIMARY KEY (dt, ");
        }
        assertThat(columns(AlertingTable.ALERTS.icebergDdl())).startsWith("dt STRING NOT NULL", "alert_id STRING NOT NULL");
    }

    /** "name TYPE [NOT NULL]" of every column definition, in order. */
    private static java.util.List<String> columns(String ddl) {
        Matcher m = Pattern.compile("(?m)^\\s+(\\w+)\\s+([A-Z]+(?:\\(\\d+\\))?)(\\s+NOT NULL)?").matcher(ddl);
        java.util.List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            if (!m.group(1).equals("PRIMARY")) {
                out.add(m.group(1) + " " + m.group(2) + (m.group(3) != null ? " NOT NULL" : ""));
            }
        }
        return out;
    }

    @Test
    void everyBatchTableHasASparkDdlFile() {
        for (BatchTable t : BatchTable.values()) {
            String ddl = t.ddl("lakehouse.clickstream." + t.tableName());
            assertThat(ddl).startsWith("CREATE TABLE IF NOT EXISTS lakehouse.clickstream." + t.tableName() + " (")
                .contains("USING iceberg").doesNotContain("--").doesNotContain("${");
        }
    }

    @Test
    void docsDescribeEveryTableAndTopic() throws IOException {
        String docs = Files.readString(DOCS);
        for (BatchTable t : BatchTable.values()) {
            assertThat(docs).as("docs/TABLES.md mentions %s", t.tableName()).contains("`" + t.tableName() + "`");
        }
        for (LakeTable t : LakeTable.values()) {
            assertThat(docs).as("docs/TABLES.md mentions %s", t.tableName()).contains("`" + t.tableName() + "`");
        }
        for (AlertingTable t : AlertingTable.values()) {
            assertThat(docs).as("docs/TABLES.md mentions %s", t.tableName()).contains("`" + t.tableName() + "`");
        }
        for (String topic : Topics.ALL) {
            assertThat(docs).contains("`" + topic + "`");
        }
        for (DlqReason r : DlqReason.values()) {
            assertThat(docs).as("docs/TABLES.md explains DLQ reason %s", r).contains("`" + r.name() + "`");
        }
    }

    @Test
    void orderedFunnelAdvancesOnlyToTheNextStep() {
        int step = 0;
        step = EventType.advanceFunnel(step, EventType.ADD_TO_CART);
        assertThat(step).as("cart before any page view").isZero();
        step = EventType.advanceFunnel(step, EventType.PAGE_VIEW);
        step = EventType.advanceFunnel(step, EventType.CLICK);
        step = EventType.advanceFunnel(step, EventType.CHECKOUT);
        assertThat(step).as("checkout before cart").isEqualTo(1);
        step = EventType.advanceFunnel(step, EventType.ADD_TO_CART);
        step = EventType.advanceFunnel(step, EventType.CHECKOUT);
        step = EventType.advanceFunnel(step, EventType.PURCHASE);
        assertThat(step).isEqualTo(EventType.FUNNEL_STEPS);
        assertThat(EventType.funnelStepName(2)).isEqualTo("add_to_cart");
    }
}
