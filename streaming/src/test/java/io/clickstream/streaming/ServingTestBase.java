package io.clickstream.streaming;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import io.clickstream.infra.lakehouse.IcebergCatalogSchema;
import io.clickstream.infra.lakehouse.LocalPostgres;
import io.clickstream.infra.lakehouse.LocalTrino;
import io.clickstream.infra.lakehouse.ServingCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;

/**
 * The serving stack of the ITCases that check the Iceberg copies through Trino: besides the broker, a
 * PostgreSQL Iceberg catalog (its schema created as the long-running stack creates it, so Flink's
 * Iceberg catalog must accept it) with a namespace named after the test class, and a Trino server
 * that starts while the test's job runs.
 */
abstract class ServingTestBase extends BrokerTestBase {
    static LocalPostgres pg;
    static ServingCatalog catalog;
    static CompletableFuture<LocalTrino> trino;

    @BeforeAll
    static void startServing(TestInfo test) throws Exception {
        String namespace = "it_" + test.getTestClass().orElseThrow().getSimpleName().replace("ITCase", "").toLowerCase(Locale.ROOT);
        pg = LocalPostgres.startEphemeral(Duration.ofSeconds(60));
        catalog = pg.catalog(ServingCatalog.DEFAULT_CATALOG_NAME, tmp.resolve("iceberg").toUri().toString(), namespace);
        IcebergCatalogSchema.ensure(catalog);
        trino = CompletableFuture.supplyAsync(() -> {
            try {
                return LocalTrino.start(tmp.resolve("trino"), catalog, Duration.ofSeconds(180));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @AfterAll
    static void stopServing() {
        if (trino != null) {
            trino.thenAccept(LocalTrino::close).exceptionally(e -> null).join();
            trino = null;
        }
        if (pg != null) {
            pg.close();
            pg = null;
        }
    }
}
