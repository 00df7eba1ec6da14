package io.clickstream.tables;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The lakehouse tables written by the streaming job: their names, roles and DDL.
 *
 * <p>The DDL of each table is a classpath resource {@code ddl/paimon/<name>.sql} in Flink SQL
 * dialect, executed inside the Paimon catalog's database, and {@code ddl/iceberg/<name>.sql} for its
 * Iceberg serving copy (same name and columns; what BI reads through Trino). The names here, those files and
 * {@code docs/TABLES.md} are kept in sync by {@code LakeTableTest}.
 */
public enum LakeTable {
    /** Immutable mirror of {@link Topics#RAW}: every valid record, duplicates included, with its partition and offset. */
    RAW_EVENTS("raw_events"),
    /** Every rejected record of {@link Topics#RAW} (reason, size, coordinate): with raw_events, every offset. */
    DLQ_EVENTS("dlq_events"),
    /** One row per event_id, late events included (flagged): the base for replays and batch recomputation. */
    EVENTS_DEDUP("events_dedup"),
    /** Per page and 1-minute event-time window: views, unique users, counts per event type. */
    PAGE_MINUTE_AGG("page_minute_agg"),
    /** Per user session (30-minute inactivity gap): bounds, counts and the funnel step reached. */
    SESSIONS("sessions"),
    /** Per day of session start: sessions that reached each funnel step. */
    FUNNEL_DAILY("funnel_daily");

    private final String tableName;

    LakeTable(String tableName) {
        this.tableName = tableName;
    }

    public String tableName() {
        return tableName;
    }

    /** Classpath location of the Paimon (Flink SQL) DDL. */
    public String ddlResource() {
        return "ddl/paimon/" + tableName + ".sql";
    }

    /** The {@code CREATE TABLE IF NOT EXISTS} statement of this table. */
    public String paimonDdl() {
        return SqlResources.load(ddlResource());
    }

    /** Classpath location of the Iceberg serving table's DDL (Flink SQL in an Iceberg catalog). */
    public String icebergDdlResource() {
        return "ddl/iceberg/" + tableName + ".sql";
    }

    /** Whether the Iceberg serving copy is upserted (identifier fields, equality deletes) rather than appended. */
    public boolean servingUpserts() {
        return icebergDdl().contains("'write.upsert.enabled' = 'true'");
    }

    /** The {@code CREATE TABLE IF NOT EXISTS} statement of the Iceberg serving copy of this table. */
    public String icebergDdl() {
        return SqlResources.load(icebergDdlResource());
    }

    /** Loads {@code .sql} resources from the classpath, trimmed and without a trailing semicolon. */
    public static final class SqlResources {
        private SqlResources() {}

        public static String load(String resource) {
            try (InputStream in = LakeTable.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("SQL resource not on classpath: " + resource);
                }
                String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
                StringBuilder out = new StringBuilder();
                for (String line : sql.split("\n")) {
                    if (!line.strip().startsWith("--")) {
                        out.append(line).append('\n');
                    }
                }
                String body = out.toString().strip();
                return body.endsWith(";") ? body.substring(0, body.length() - 1) : body;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
