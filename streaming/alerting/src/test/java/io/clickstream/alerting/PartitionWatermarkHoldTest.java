package io.clickstream.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumerator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionWatermarkHoldTest {
    private static final long T0 = 1_767_600_000_000L; // 2026-01-05T08:00:00Z

    private static StreamRecord<RawRecord> record(int partition, long time) {
        RawRecord r = RawRecord.malformed(time);
        r.partition = partition;
        return new StreamRecord<>(r, time);
    }

    /** What reached the output: "p<partition>" for records, "wm+<ms after T0>" for watermarks. */
    private static List<String> out(OneInputStreamOperatorTestHarness<RawRecord, RawRecord> h) {
        List<String> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof Watermark w) {
                out.add("wm+" + (w.getTimestamp() - T0));
            } else if (o instanceof StreamRecord<?> r) {
                out.add("p" + ((RawRecord) r.getValue()).partition);
            }
        }
        return out;
    }

    @Test
    void ownerIsTheKafkaSourceAssignment() throws Exception {
        Method m = KafkaSourceEnumerator.class.getDeclaredMethod("getSplitOwner", TopicPartition.class, int.class);
        m.setAccessible(true);
        for (String topic : List.of("clicks.raw", "t", "another-topic")) {
            for (int readers = 1; readers <= 5; readers++) {
                for (int p = 0; p < 12; p++) {
                    assertThat(PartitionWatermarkHold.owner(topic, p, readers))
                        .as("%s-%d of %d readers", topic, p, readers)
                        .isEqualTo(m.invoke(null, new TopicPartition(topic, p), readers));
                }
            }
        }
    }

    @Test
    void holdsTheWatermarkUntilEveryPartitionDelivered() throws Exception {
        try (var h = new OneInputStreamOperatorTestHarness<>(
                new PartitionWatermarkHold("clicks.raw", List.of(0, 1, 2), Duration.ofSeconds(60)))) {
            h.open();
            h.processElement(record(0, T0 + 90_000));
            h.processWatermark(new Watermark(T0 + 88_000));
            h.processElement(record(2, T0 + 95_000));
            h.processWatermark(new Watermark(T0 + 93_000));
            assertThat(out(h)).containsExactly("p0", "p2");
            assertThat(((PartitionWatermarkHold) h.getOneInputOperator()).holding()).isTrue();

            // The last partition's first record is on time for the windows the watermark would have closed.
            h.processElement(record(1, T0 + 1_000));
            assertThat(out(h)).containsExactly("p0", "p2", "p1", "wm+93000");
            h.processWatermark(new Watermark(T0 + 94_000));
            assertThat(out(h)).endsWith("wm+94000");
            assertThat(((PartitionWatermarkHold) h.getOneInputOperator()).holding()).isFalse();
        }
    }

    @Test
    void aSubtaskWaitsOnlyForItsOwnPartitions() throws Exception {
        int readers = 2;
        int subtask = PartitionWatermarkHold.owner("clicks.raw", 0, readers);
        try (var h = new OneInputStreamOperatorTestHarness<>(
                new PartitionWatermarkHold("clicks.raw", List.of(0, 1, 2, 3), Duration.ofSeconds(60)), 128, readers, subtask)) {
            h.open();
            h.processElement(record(0, T0));
            h.processWatermark(new Watermark(T0 + 5_000));
            assertThat(out(h)).containsExactly("p0");
            h.processElement(record(2, T0)); // partitions 0 and 2 are this subtask's, 1 and 3 the other's
            assertThat(out(h)).containsExactly("p0", "p2", "wm+5000");
        }
    }

    @Test
    void anEmptyPartitionHoldsTheWatermarkOnlyUntilTheTimeout() throws Exception {
        try (var h = new OneInputStreamOperatorTestHarness<>(
                new PartitionWatermarkHold("clicks.raw", List.of(0, 1), Duration.ofSeconds(60)))) {
            h.setProcessingTime(0);
            h.open();
            h.processElement(record(0, T0));
            h.processWatermark(new Watermark(T0 + 1_000));
            h.setProcessingTime(59_999);
            assertThat(out(h)).containsExactly("p0");
            h.setProcessingTime(60_000);
            assertThat(out(h)).containsExactly("p0", "wm+1000");
            h.processWatermark(new Watermark(T0 + 2_000));
            assertThat(out(h)).endsWith("wm+2000");
        }
    }

    @Test
    void zeroTimeoutMeansNoHold() throws Exception {
        try (var h = new OneInputStreamOperatorTestHarness<>(
                new PartitionWatermarkHold("clicks.raw", List.of(0, 1), Duration.ZERO))) {
            h.open();
            h.processWatermark(new Watermark(T0));
            assertThat(out(h)).containsExactly("wm+0");
        }
    }
}
