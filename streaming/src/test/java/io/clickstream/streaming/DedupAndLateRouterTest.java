package io.clickstream.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.clickstream.streaming.model.DedupedEvent;
import io.clickstream.streaming.model.SourceRecord;
import io.clickstream.streaming.ops.DedupAndLateRouter;
import io.clickstream.tables.ClickEvent;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Harness test of the dedup operator: dropping re-sends, the per-partition late verdict, state cleanup and restore. */
class DedupAndLateRouterTest {
    private static final long T0 = Instant.parse("2026-01-05T08:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final Duration RETENTION = Duration.ofHours(1);

    private static KeyedOneInputStreamOperatorTestHarness<String, SourceRecord, DedupedEvent> harness() throws Exception {
        DedupAndLateRouter fn = new DedupAndLateRouter(Duration.ofMinutes(1), Duration.ofMinutes(2), RETENTION);
        KeyedOneInputStreamOperatorTestHarness<String, SourceRecord, DedupedEvent> h =
            new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(fn), r -> r.event.eventId, Types.STRING);
        h.setup();
        return h;
    }

    private static StreamRecord<SourceRecord> record(String id, long eventTime, long partitionWatermark) {
        SourceRecord r = SourceRecord.valid(0, 0, eventTime, new ClickEvent(id, 1, "click", "u1", "/p/1", eventTime));
        r.partitionWatermark = partitionWatermark;
        return new StreamRecord<>(r, eventTime);
    }

    private static List<DedupedEvent> output(KeyedOneInputStreamOperatorTestHarness<String, SourceRecord, DedupedEvent> h) {
        return h.extractOutputValues();
    }

    @Test
    void dropsResendsAndForgetsIdsAfterRetention() throws Exception {
        try (var h = harness()) {
            h.setStateTtlProcessingTime(0);
            h.open();
            h.processElement(record("a", T0, Long.MIN_VALUE));
            h.processElement(record("a", T0, Long.MIN_VALUE));
            h.processElement(record("b", T0 + 1, Long.MIN_VALUE));
            assertThat(output(h)).extracting(d -> d.event.eventId).containsExactly("a", "b");
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);
            assertThat(h.numEventTimeTimers()).as("no per-event timers").isZero();

            h.setStateTtlProcessingTime(RETENTION.toMillis() + 1);
            // Expired ids are invisible at once (NeverReturnExpired) and removed by the backend's TTL cleanup.
            h.processElement(record("a", T0, Long.MIN_VALUE));
            h.processElement(record("a", T0, Long.MIN_VALUE));
            assertThat(output(h)).extracting(d -> d.event.eventId).containsExactly("a", "b", "a");
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void judgesLatenessByThePartitionWatermarkOnly() throws Exception {
        try (var h = harness()) {
            h.open();
            // Window [T0, T0+1min) closes for good once a watermark reaches T0 + 1 min - 1 ms + 2 min.
            long closing = T0 + 3 * MINUTE - 1;
            h.processElement(record("on-time", T0, closing - 1));
            h.processElement(record("late-by-partition", T0 + 1, closing));
            // The job-wide watermark ran far ahead (other partitions, while this one was silent): a record of the
            // resumed partition that is on time by its own watermark stays on time.
            h.processWatermark(T0 + 60 * MINUTE);
            h.processElement(record("resumed-partition", T0 + 2, closing - 1));
            List<DedupedEvent> out = output(h);
            assertThat(out).extracting(d -> d.event.eventId + "=" + d.late)
                .containsExactly("on-time=false", "late-by-partition=true", "resumed-partition=false");
            assertThat(out.stream().filter(d -> d.late).map(d -> d.lateStage).distinct()).containsExactly("minute");
            assertThat(out).extracting(d -> d.watermark).containsExactly(closing - 1, closing, closing - 1);
        }
    }

    @Test
    void replayedRecordsTakeTheCorrectionPathOnceEach() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(record("seen", T0, Long.MIN_VALUE));
            StreamRecord<SourceRecord> repaired = record("repaired", T0, Long.MIN_VALUE);
            ClickRecordDeserializer.markReplay(repaired.getValue(), "1", "41");
            StreamRecord<SourceRecord> again = record("seen", T0, Long.MIN_VALUE);
            ClickRecordDeserializer.markReplay(again.getValue(), "0", "7");
            StreamRecord<SourceRecord> unparsable = record("unlabelled", T0, Long.MIN_VALUE);
            ClickRecordDeserializer.markReplay(unparsable.getValue(), "x", "7");
            h.processElement(repaired);
            h.processElement(again);
            h.processElement(unparsable);
            // On time by its watermark (a stateless start has none), yet late: the batch correction folds it in.
            assertThat(output(h)).extracting(d -> d.event.eventId + "=" + d.late + "/" + d.lateStage)
                .containsExactly("seen=false/null", "repaired=true/dlq-replay", "unlabelled=false/null");
            assertThat(h.numKeyedStateEntries()).isEqualTo(3);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void restoredOperatorRemembersTheSeenIds() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement(record("a", T0, Long.MIN_VALUE));
            snapshot = h.snapshot(1, T0);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(record("a", T0, Long.MIN_VALUE));
            h.processElement(record("b", T0, T0 + 10 * MINUTE));
            List<DedupedEvent> out = output(h);
            assertThat(out).extracting(d -> d.event.eventId + "=" + d.late).containsExactly("b=true");
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
