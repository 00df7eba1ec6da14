package io.clickstream.infra.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The long-running serving stack ({@code infra/bin/lakehouse.sh}) on an empty directory, before any
 * job ran: PostgreSQL is new, the Iceberg catalog has no tables yet, and Trino must still start and
 * show the serving schema (it used to fail its readiness query for 3 minutes and give up). Then Trino
 * is restarted under a connected client.
 */
class LakehouseStackITCase {
    @Test
    void startsOnAFreshDirectoryAndShowsTheServingSchema(@TempDir Path dir) throws Exception {
        try (LocalPostgres pg = LocalPostgres.startEphemeral(Duration.ofSeconds(60))) {
            ServingCatalog catalog = pg.catalog(dir.resolve("warehouse").toUri().toString());
            IcebergCatalogSchema.ensure(catalog);
            IcebergCatalogSchema.ensure(catalog);
            LocalTrino trino = LocalTrino.start(dir.resolve("trino"), catalog, Duration.ofSeconds(180));
            try (Connection c = trino.connectAdmin(catalog.namespace());
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

                // Trino restarted under a BI client that keeps its connection: while Trino is down a query
                // fails at once with an SQLException naming the cause; after the restart the same connection works.
                BiQuery.retryingNoNodes(() -> s.execute("CREATE TABLE probe AS SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t(id, v)"));
                assertThat(count(s)).isEqualTo(2);
                int port = trino.port();
                trino.close();
                assertThatThrownBy(() -> count(s)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("Error executing query");
                trino = LocalTrino.start(dir.resolve("trino"), catalog, port, "1G", Duration.ofSeconds(180));
                assertThat(count(s)).as("the same connection after the restart").isEqualTo(2);
            } finally {
                trino.close();
            }
        }
    }

    /** Counts the probe table as a BI client does ({@link BiQuery#retryingNoNodes}). */
    private static long count(Statement s) throws SQLException {
        return BiQuery.retryingNoNodes(() -> {
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM probe")) {
                r.next();
                return r.getLong(1);
            }
        });
    }
}
