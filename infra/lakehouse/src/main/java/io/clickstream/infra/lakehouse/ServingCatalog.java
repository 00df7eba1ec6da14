package io.clickstream.infra.lakehouse;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the Iceberg serving tables live: one Iceberg JDBC catalog (in PostgreSQL) and one warehouse
 * path, shared by Flink (writer), Spark (batch jobs) and Trino (BI). Every engine's catalog settings
 * are derived from this one value, so they cannot drift apart.
 *
 * @param jdbcUrl     PostgreSQL URL of the catalog database
 * @param user        catalog database user
 * @param password    catalog database password
 * @param passwordFile a file (0600) holding that password, or empty: what a job in another process, or
 *                    a Flink job whose configuration the web UI shows, is given instead of the password
 * @param catalogName Iceberg JDBC {@code catalog_name}: must be the same in every engine, or they see different tables
 * @param warehouse   warehouse root URI ({@code file:/...}, {@code s3://...}, {@code hdfs://...})
 * @param namespace   Iceberg namespace (Trino schema) of the serving tables
 */
public record ServingCatalog(String jdbcUrl, String user, String password, String catalogName, String warehouse,
        String namespace, String passwordFile) {

    /** A catalog whose password is not (known to be) in a file. */
    public ServingCatalog(String jdbcUrl, String user, String password, String catalogName, String warehouse, String namespace) {
        this(jdbcUrl, user, password, catalogName, warehouse, namespace, "");
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "ServingCatalog[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "***")
            + ", catalogName=" + catalogName + ", warehouse=" + warehouse + ", namespace=" + namespace
            + ", passwordFile=" + passwordFile + "]";
    }

    /**
     * Reads a password file: its content without surrounding white space (the trailing newline).
     * Used where a catalog is opened from options that name the file rather than hold the password.
     */
    public static String readPasswordFile(String file) {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(file)).strip();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read the catalog password file " + file + ": " + e, e);
        }
    }

    /** Default Iceberg catalog name (the JDBC {@code catalog_name} column and Spark's catalog name). */
    public static final String DEFAULT_CATALOG_NAME = "lakehouse";
    /** Default namespace of the serving tables. */
    public static final String DEFAULT_NAMESPACE = "clickstream";

    /**
     * Options of Iceberg's {@code JdbcCatalog} (Flink {@code CREATE CATALOG ... WITH}, Spark
     * {@code spark.sql.catalog.x.*}, {@code CatalogUtil}), with the catalog schema version Trino's
     * JDBC catalog expects (V1).
     */
    public Map<String, String> icebergProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog");
        p.put("uri", jdbcUrl);
        p.put("jdbc.user", user);
        p.put("jdbc.password", password);
        p.put("jdbc.schema-version", "V1");
        p.put("warehouse", warehouse);
        return p;
    }

    /** Trino Iceberg connector properties ({@code etc/catalog/<name>.properties}) for the same catalog. */
    public Map<String, String> trinoProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("connector.name", "iceberg");
        p.put("iceberg.catalog.type", "jdbc");
        p.put("iceberg.jdbc-catalog.driver-class", "org.postgresql.Driver");
        p.put("iceberg.jdbc-catalog.connection-url", jdbcUrl);
        p.put("iceberg.jdbc-catalog.connection-user", user);
        p.put("iceberg.jdbc-catalog.connection-password", password);
        p.put("iceberg.jdbc-catalog.catalog-name", catalogName);
        p.put("iceberg.jdbc-catalog.default-warehouse-dir", warehouse);
        if (warehouse.startsWith("file:")) {
            // Trino's own local file system; '/' as root so that the absolute file: paths in the metadata resolve.
            p.put("fs.native-local.enabled", "true");
            p.put("local.location", "/");
        }
        return p;
    }
}
