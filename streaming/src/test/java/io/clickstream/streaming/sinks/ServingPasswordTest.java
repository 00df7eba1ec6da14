package io.clickstream.streaming.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import io.clickstream.infra.lakehouse.ServingCatalog;
import io.clickstream.streaming.StreamingOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog password reaches the job through a file: the Flink configuration (shown by the web UI) never holds it. */
class ServingPasswordTest {
    @Test
    void configurationHoldsThePasswordFileNotThePassword(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("clickstream.password");
        Files.writeString(file, "s3cret-catalog-password\n");
        ServingCatalog catalog = new ServingCatalog("jdbc:postgresql://127.0.0.1:5432/iceberg_catalog", "clickstream",
            "s3cret-catalog-password", "lakehouse", "file:/w", "clickstream", file.toString());
        Configuration conf = new Configuration();
        LakeSinks.useServingCatalog(conf, catalog);
        assertThat(conf.toMap().values()).noneMatch(v -> v.contains("s3cret-catalog-password"));
        assertThat(conf.get(StreamingOptions.SERVING_JDBC_PASSWORD_FILE)).isEqualTo(file.toString());
        // Read where the catalog is opened.
        assertThat(LakeSinks.servingCatalog(conf).password()).isEqualTo("s3cret-catalog-password");
        assertThat(LakeSinks.servingCatalogProperties(conf)).containsEntry("jdbc.password", "s3cret-catalog-password");
    }

    @Test
    void aPasswordWithoutAFileIsRefused() {
        ServingCatalog catalog = new ServingCatalog("jdbc:postgresql://h/db", "u", "pw", "lakehouse", "file:/w", "ns");
        assertThatThrownBy(() -> LakeSinks.useServingCatalog(new Configuration(), catalog))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("password file");
        // No password at all (a trust-auth database elsewhere) needs no file.
        Configuration conf = new Configuration();
        LakeSinks.useServingCatalog(conf, new ServingCatalog("jdbc:postgresql://h/db", "u", "", "lakehouse", "file:/w", "ns"));
        assertThat(conf.get(StreamingOptions.SERVING_JDBC_PASSWORD_FILE)).isEmpty();
    }
}
