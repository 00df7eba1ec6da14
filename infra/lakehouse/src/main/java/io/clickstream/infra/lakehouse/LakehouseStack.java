package io.clickstream.infra.lakehouse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs the serving stack until interrupted, for people who want a long-running local lakehouse:
 * PostgreSQL with the Iceberg catalog and Trino over it.
 * {@code LakehouseStack <dir> [pg-port] [trino-port]}; see {@code infra/bin/lakehouse.sh}.
 */
public final class LakehouseStack {
    private LakehouseStack() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/lakehouse").toAbsolutePath();
        int pgPort = args.length > 1 ? Integer.parseInt(args[1]) : 5432;
        int trinoPort = args.length > 2 ? Integer.parseInt(args[2]) : 8080;
        Path warehouse = Files.createDirectories(dir.resolve("warehouse"));
        try (LocalPostgres pg = LocalPostgres.start(dir.resolve("postgres/data"), pgPort, Duration.ofSeconds(60))) {
            ServingCatalog catalog = pg.catalog(warehouse.toUri().toString());
            IcebergCatalogSchema.ensure(catalog);
            try (LocalTrino trino = LocalTrino.start(dir.resolve("trino"), catalog, trinoPort, "1G", Duration.ofSeconds(180))) {
                System.out.println("PostgreSQL (Iceberg JDBC catalog): " + pg.jdbcUrl() + " user " + LocalPostgres.USER);
                System.out.println("Iceberg warehouse:                 " + catalog.warehouse());
                System.out.printf("Trino started in %.1f s:           %s (user: any name)%n", trino.startTime().toMillis() / 1e3,
                    trino.jdbcUrl(catalog.namespace()));
                System.out.println("Ctrl-C stops both.");
                Thread.currentThread().join();
            }
        }
    }
}
