package io.clickstream.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import io.clickstream.infra.lakehouse.BiQuery;
import org.junit.jupiter.api.Test;

/**
 * The dashboard bundle ({@code infra/superset/dashboard}) as {@link LocalSuperset} sends it, no server:
 * every placeholder filled, one dataset and one chart per named BI query, each dataset's SQL the query's
 * own text, and no password anywhere in it.
 */
class SupersetBundleTest {
    @Test
    void bundleHasOneChartPerBiQueryAndEveryPlaceholderFilled() throws Exception {
        byte[] zip = LocalSuperset.bundleZip(Path.of("..").resolve(LocalSuperset.BUNDLE),
            Map.of("trino_host_port", "127.0.0.1:8443", "trino_pem", "/x/trino.pem", "schema", "clickstream"));
        Map<String, String> files = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                files.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(files.keySet()).allMatch(n -> n.startsWith("clickstream_dashboard/"))
            .contains("clickstream_dashboard/metadata.yaml", "clickstream_dashboard/dashboards/clickstream.yaml",
                "clickstream_dashboard/" + LocalSuperset.DATABASE_FILE);
        assertThat(String.join("\n", files.values())).doesNotContain("${").contains("trino://bi:XXXXXXXXXX@127.0.0.1:8443/lakehouse")
            .contains("verify: /x/trino.pem");
        for (BiQuery q : BiQuery.values()) {
            assertThat(files).containsKey("clickstream_dashboard/charts/" + q.queryName() + ".yaml");
            String dataset = files.get("clickstream_dashboard/datasets/clickstream_lakehouse/bi_" + q.queryName() + ".yaml");
            assertThat(dataset).as("dataset of %s", q.queryName()).isNotNull()
                .contains("sql: " + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(q.sql()))
                .contains("schema: clickstream");
        }
        assertThat(files.keySet().stream().filter(n -> n.contains("/charts/"))).hasSize(BiQuery.values().length);
        assertThat(Arrays.asList(files.values().toArray(new String[0]))).noneMatch(t -> t.contains("password:"));
    }
}
