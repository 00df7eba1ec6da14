package io.clickstream.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class StreamingOptionsTest {
    @Test
    void everyOptionHasADescriptionAndParsesFromArgs() {
        for (ConfigOption<?> o : StreamingOptions.all()) {
            assertThat(o.description().toString()).as(o.key()).isNotBlank();
            assertThat(o.key()).startsWith("clickstream.");
            assertThat(OptionDocs.describe(o)).as(o.key()).isNotBlank().doesNotContain("Description@");
        }
        assertThat(StreamingOptions.describe()).contains("--clickstream.window.early-fire-delay")
            .contains("emits its current row").doesNotContain("Description@");
        Configuration c = StreamingOptions.fromArgs("--window.allowed-lateness", "90 s", "--clickstream.parallelism", "4",
            "--kafka.stopping-offsets", "0:10,1:20");
        assertThat(c.get(StreamingOptions.ALLOWED_LATENESS)).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.get(StreamingOptions.PARALLELISM)).isEqualTo(4);
        assertThat(c.get(StreamingOptions.STOPPING_OFFSETS)).containsEntry("1", "20");
    }

    @Test
    void rejectsUnknownOptionsAndUnsafeSettings() {
        assertThatThrownBy(() -> StreamingOptions.fromArgs("--window.lateness", "1 min")).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> StreamingOptions.fromArgs("--window.allowed-lateness", "40 min"))
            .hasMessageContaining("session.gap");
        assertThatThrownBy(() -> StreamingOptions.fromArgs("--kafka.transaction-timeout", "20 min"))
            .hasMessageContaining("15 min");
    }
}
