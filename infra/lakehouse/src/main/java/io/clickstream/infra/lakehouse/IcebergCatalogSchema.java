package io.clickstream.infra.lakehouse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Initialises the Iceberg JDBC catalog's database: its two tables and the serving namespace. Flink and
 * Spark create them on first use, but Trino's JDBC catalog only reads them, so a serving stack started
 * on an empty database (before any job ran) failed its readiness query with "Cannot check and
 * eventually update SQL schema". The statements ({@code catalog/iceberg_jdbc_catalog.sql}) are
 * idempotent and match Iceberg's own (schema V1, checked by {@code ServingITCase}, where Flink's
 * Iceberg catalog opens the database this class initialised).
 */
public final class IcebergCatalogSchema {
    private IcebergCatalogSchema() {}

    /** Creates the catalog tables and {@code catalog.namespace()} if missing. */
    public static void ensure(ServingCatalog catalog) throws SQLException, IOException {
        String script;
        try (InputStream in = IcebergCatalogSchema.class.getClassLoader().getResourceAsStream("catalog/iceberg_jdbc_catalog.sql")) {
            if (in == null) {
                throw new IOException("catalog/iceberg_jdbc_catalog.sql missing from the classpath");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
        }
        try (Connection c = DriverManager.getConnection(catalog.jdbcUrl(), catalog.user(), catalog.password())) {
            for (String statement : script.split(";")) {
                String sql = statement.strip();
                if (sql.isEmpty()) {
                    continue;
                }
                if (sql.contains("?")) {
                    try (PreparedStatement p = c.prepareStatement(sql)) {
                        p.setString(1, catalog.catalogName());
                        p.setString(2, catalog.namespace());
                        p.executeUpdate();
                    }
                } else {
                    try (Statement s = c.createStatement()) {
                        s.execute(sql);
                    }
                }
            }
        }
    }
}
