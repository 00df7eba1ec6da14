package io.clickstream.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.junit.jupiter.api.Test;

/** Options: the prefix is optional, aliases work, unknown keys and bad values are refused, and the job's own checkpoints. */
class AlertingOptionsTest {
    @Test
    void parsesTypedOptionsAndRefusesUnknownOnes() {
        Configuration c = AlertingOptions.fromArgs("--rules.poll-interval", "2 s", "--alerting.kafka.group-id", "g", "-s", "/tmp/chk-3",
            "-Drest.port=8089");
        assertThat(c.get(AlertingOptions.RULES_POLL_INTERVAL)).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.get(AlertingOptions.KAFKA_GROUP_ID)).isEqualTo("g");
        assertThat(c.getString("rest.port", null)).isEqualTo("8089");
        Configuration flink = AlertingJob.flinkConfiguration(c);
        assertThat(flink.get(StateRecoveryOptions.SAVEPOINT_PATH)).isEqualTo("/tmp/chk-3");
        assertThat(flink.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///tmp/clickstream/alerting-checkpoints");
        assertThat(AlertingOptions.KAFKA_GROUP_ID.defaultValue()).isEqualTo("clickstream-alerting");

        assertThatThrownBy(() -> AlertingOptions.fromArgs("--window", "1")).hasMessageStartingWith("unknown option --window");
        assertThatThrownBy(() -> AlertingOptions.fromArgs("--kafka.start-from", "middle")).hasMessageContaining("latest or earliest");
        assertThatThrownBy(() -> AlertingOptions.fromArgs("--rules.poll-interval", "10 ms")).hasMessageContaining("at least 100 ms");
        assertThat(AlertingOptions.describe()).contains("alerting.rules.poll-interval").contains("alerting.webhook.max-attempts");
    }
}
