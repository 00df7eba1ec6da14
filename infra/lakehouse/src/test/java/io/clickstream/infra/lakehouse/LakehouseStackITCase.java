package io.clickstream.infra.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The long-running serving stack ({@code infra/bin/lakehouse.sh}) on an empty directory, before any
 * job ran: PostgreSQL is new, the Iceberg catalog has no tables yet, and Trino must still start and
 * show the serving schema (it used to fail its readiness query for 3 minutes and give up).
 */
class LakehouseStackITCase {
    @Test
    void startsOnAFreshDirectoryAndShowsTheServingSchema(@TempDir Path dir) throws Exception {
        try (LocalPostgres pg = LocalPostgres.startEphemeral(Duration.ofSeconds(60))) {
            ServingCatalog catalog = pg.catalog(dir.resolve("warehouse").toUri().toString());
            IcebergCatalogSchema.ensure(catalog);
            IcebergCatalogSchema.ensure(catalog);
            try (LocalTrino trino = LocalTrino.start(dir.resolve("trino"), catalog, Duration.ofSeconds(180));
                    Connection c = trino.connect(catalog.namespace(), "it");
                    Statement s = c.createStatement()) {
                List<String> schemas = new ArrayList<>();
                try (ResultSet r = s.executeQuery("SHOW SCHEMAS")) {
                    while (r.next()) {
                        schemas.add(r.getString(1));
                    }
                }
                assertThat(schemas).contains(catalog.namespace());
                try (ResultSet r = s.executeQuery("SHOW TABLES")) {
                    assertThat(r.next()).as("no tables before the first job").isFalse();
                }
            }
        }
    }
}
