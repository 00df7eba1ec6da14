package io.clickstream.infra.lakehouse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs the serving stack until interrupted, for people who want a long-running local lakehouse:
 * PostgreSQL with the Iceberg catalog and Trino over it.
 * {@code LakehouseStack <dir> [pg-port] [trino-https-port]}; see {@code infra/bin/lakehouse.sh}.
 *
 * <p>Both ask for passwords, generated at the first start and kept owner-only under {@code <dir>}:
 * PostgreSQL's catalog role in {@code postgres/clickstream.password}, Trino's users in {@code
 * trino/security/<user>.password}, Trino's certificate (what BI tools trust) in {@code
 * trino/security/trino.pem}. The start-up prints where they are and, this once, the passwords.
 */
public final class LakehouseStack {
    private LakehouseStack() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("LakehouseStack [dir (target/lakehouse)] [postgres-port (5432)] [trino-https-port (8443)]\n"
                + "Service settings (JVM system properties):\n" + ServiceOptions.describe());
            return;
        }
        Path dir = Path.of(args.length > 0 ? args[0] : "target/lakehouse").toAbsolutePath();
        int pgPort = args.length > 1 ? Integer.parseInt(args[1]) : 5432;
        int trinoPort = args.length > 2 ? Integer.parseInt(args[2]) : 8443;
        Path warehouse = Files.createDirectories(dir.resolve("warehouse"));
        try (LocalPostgres pg = LocalPostgres.start(dir.resolve("postgres/data"), pgPort, Duration.ofSeconds(60))) {
            ServingCatalog catalog = pg.catalog(warehouse.toUri().toString());
            IcebergCatalogSchema.ensure(catalog);
            try (LocalTrino trino = LocalTrino.start(dir.resolve("trino"), catalog, trinoPort, "1G", Duration.ofSeconds(180))) {
                TrinoSecurity sec = trino.security();
                System.out.println("PostgreSQL (Iceberg JDBC catalog): " + pg.jdbcUrl() + " user " + LocalPostgres.USER
                    + ", password in " + pg.passwordFile() + " (jobs: --serving.jdbc-password-file / --jdbc-password-file)");
                System.out.println("Iceberg warehouse:                 " + catalog.warehouse());
                System.out.printf("Trino started in %.1f s (HTTPS, password authentication):%n", trino.startTime().toMillis() / 1e3);
                System.out.println("  BI (read-only):   " + trino.jdbcUrl(catalog.namespace()) + "  user " + TrinoSecurity.BI
                    + ", password in " + sec.passwordFile(TrinoSecurity.BI));
                System.out.println("  admin (maintenance, writable catalog " + LocalTrino.ADMIN_CATALOG + "): "
                    + trino.adminJdbcUrl(catalog.namespace()) + "  user " + TrinoSecurity.ADMIN + ", password in "
                    + sec.passwordFile(TrinoSecurity.ADMIN));
                System.out.println("  certificate to trust: " + sec.certificate());
                // Printed this once, for the person who started the stack; the files stay the reference.
                System.out.println("  passwords (shown once): " + TrinoSecurity.BI + " = " + sec.password(TrinoSecurity.BI)
                    + ", " + TrinoSecurity.ADMIN + " = " + sec.password(TrinoSecurity.ADMIN));
                System.out.println("Ctrl-C stops both.");
                Thread.currentThread().join();
            }
        }
    }
}
