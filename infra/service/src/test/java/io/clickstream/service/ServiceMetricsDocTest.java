package io.clickstream.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** {@code docs/OPERATIONS.md} lists every metric of {@link ServiceMetrics} in its API metrics table. */
class ServiceMetricsDocTest {
    @Test
    void everyServiceMetricIsDocumented() throws Exception {
        String doc = Files.readString(Path.of("../../docs/OPERATIONS.md"));
        String section = doc.substring(doc.indexOf("### The HTTP API's metrics"), doc.indexOf("### Recording rules"));
        for (String name : ServiceMetrics.NAMES) {
            assertThat(section).contains("| `" + name + "` |");
        }
        assertThat(section.lines().filter(l -> l.startsWith("| `clickstream_api_"))).hasSize(ServiceMetrics.NAMES.size());
    }
}
