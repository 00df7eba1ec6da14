package io.clickstream.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import io.clickstream.streaming.model.SourceRecord;
import io.clickstream.streaming.ops.Lateness;
import io.clickstream.streaming.ops.PartitionProgress;
import io.clickstream.tables.ClickEvent;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class PartitionProgressTest {
    private static final long T0 = Instant.parse("2026-01-05T08:00:00Z").toEpochMilli();

    private static OneInputStreamOperatorTestHarness<SourceRecord, SourceRecord> harness() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
            new ProcessOperator<>(new PartitionProgress(ClickstreamTopology.REJECTED, Duration.ofSeconds(5),
                new Lateness(Duration.ofMinutes(1), Duration.ofMinutes(2)), 0.25, 200)));
    }

    private static StreamRecord<SourceRecord> valid(int partition, long offset, long eventTime) {
        return new StreamRecord<>(SourceRecord.valid(partition, offset, eventTime,
            new ClickEvent("e" + partition + "-" + offset, 1, "click", "u", "/", eventTime)), eventTime);
    }

    @Test
    void stampsEachRecordWithItsPartitionsWatermarkAndSplitsRejected() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement(valid(0, 0, T0));
            h.processElement(valid(0, 1, T0 + 60_000));
            h.processElement(valid(1, 0, T0 + 1_000));
            h.processElement(valid(0, 2, T0 + 30_000));
            h.processElement(new StreamRecord<>(SourceRecord.rejected(1, 1, T0, null, new byte[] {1}, "MALFORMED_JSON", "x")));
            assertThat(h.extractOutputValues()).extracting(r -> r.partitionWatermark)
                .containsExactly(Long.MIN_VALUE, T0 - 5_001, Long.MIN_VALUE, T0 + 60_000 - 5_001);
            assertThat(h.getSideOutput(ClickstreamTopology.REJECTED)).hasSize(1);
            snapshot = h.snapshot(1, T0);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(valid(1, 2, T0));
            assertThat(h.extractOutputValues()).extracting(r -> r.partitionWatermark).containsExactly(T0 + 1_000 - 5_001);
        }
    }

    @Test
    void warnsOfLateBurstsAboveTheShareWithEnoughRecords() {
        PartitionProgress p = new PartitionProgress(ClickstreamTopology.REJECTED, Duration.ofSeconds(5),
            new Lateness(Duration.ofMinutes(1), Duration.ofMinutes(2)), 0.25, 200);
        assertThat(p.isLateBurst(51, 200)).isTrue();
        assertThat(p.isLateBurst(50, 200)).as("at the threshold").isFalse();
        assertThat(p.isLateBurst(199, 199)).as("too few records to judge").isFalse();
        assertThat(p.isLateBurst(0, 100_000)).isFalse();
    }
}
