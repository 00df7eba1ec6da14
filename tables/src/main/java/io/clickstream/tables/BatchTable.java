package io.clickstream.tables;

/**
 * The Iceberg tables owned by the Spark batch jobs (beside the serving copies of {@link LakeTable}):
 * names, roles and DDL ({@code ddl/spark/<name>.sql}, Spark SQL with a {@code ${table}} placeholder
 * for the fully qualified name). Kept in sync with {@code docs/TABLES.md} by {@code LakeTableTest}.
 */
public enum BatchTable {
    /** Hourly rollup per page from the deduplicated events (late ones included). */
    PAGE_HOUR_AGG("page_hour_agg"),
    /** Daily rollup per page. */
    PAGE_DAY_AGG("page_day_agg"),
    /** Offset ranges of clicks.late already applied by the correction job. */
    CORRECTION_LEDGER("correction_ledger"),
    /** Minute keys with late events whose streaming row was still provisional: applied by a later run. */
    CORRECTION_PENDING("correction_pending"),
    /** (user, day) pairs with late events whose day the streaming job still counted: recomputed by a later run. */
    CORRECTION_PENDING_SESSIONS("correction_pending_sessions"),
    /** Offset accounting per raw partition and hour. */
    RECONCILIATION("reconciliation"),
    /** Quality metrics per hour with z-scores and flags. */
    QUALITY_METRICS("quality_metrics");

    private final String tableName;

    BatchTable(String tableName) {
        this.tableName = tableName;
    }

    public String tableName() {
        return tableName;
    }

    public String ddlResource() {
        return "ddl/spark/" + tableName + ".sql";
    }

    /** The CREATE TABLE statement for {@code qualifiedName} (e.g. {@code lakehouse.clickstream.page_hour_agg}). */
    public String ddl(String qualifiedName) {
        return LakeTable.SqlResources.load(ddlResource()).replace("${table}", qualifiedName);
    }
}
