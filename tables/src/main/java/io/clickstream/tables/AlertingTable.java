package io.clickstream.tables;

/**
 * The Iceberg tables of the alerting job (beside the stream job's {@link LakeTable}s, which have a
 * Paimon original; these have none): names, roles and DDL ({@code ddl/iceberg/<name>.sql}, Flink SQL in
 * the serving catalog). Kept in sync with {@code docs/TABLES.md} by {@code LakeTableTest}.
 */
public enum AlertingTable {
    /** One row per alert transition (firing, resolved) of rules with channel {@code iceberg}. */
    ALERTS("alerts");

    private final String tableName;

    AlertingTable(String tableName) {
        this.tableName = tableName;
    }

    public String tableName() {
        return tableName;
    }

    public String icebergDdlResource() {
        return "ddl/iceberg/" + tableName + ".sql";
    }

    /** The {@code CREATE TABLE IF NOT EXISTS} statement, executed inside the serving catalog's namespace. */
    public String icebergDdl() {
        return LakeTable.SqlResources.load(icebergDdlResource());
    }
}
