package io.clickstream.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import io.clickstream.streaming.model.DedupedEvent;
import io.clickstream.streaming.model.MinuteAccumulator;
import io.clickstream.streaming.model.PageMinuteRow;
import io.clickstream.streaming.ops.EarlyFiringEventTimeTrigger;
import io.clickstream.streaming.ops.MinuteAggregate;
import io.clickstream.streaming.ops.MinuteWindowFunction;
import io.clickstream.tables.ClickEvent;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * The minute window with the job's trigger: early firings while the watermark is held back (a silent
 * partition), none in steady state, the complete row at the watermark and within the lateness, and no
 * state or timer left once the window is gone.
 */
class EarlyFiringEventTimeTriggerTest {
    private static final long T0 = Instant.parse("2026-01-05T08:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final long DELAY = 5_000;
    private static final Duration LATENESS = Duration.ofMinutes(2);
    private static final OutputTag<DedupedEvent> LATE = new OutputTag<>("late", TypeInformation.of(DedupedEvent.class));

    private static KeyedOneInputStreamOperatorTestHarness<String, DedupedEvent, PageMinuteRow> harness() throws Exception {
        WindowOperatorBuilder<DedupedEvent, String, TimeWindow> b = new WindowOperatorBuilder<>(
            TumblingEventTimeWindows.of(Duration.ofMinutes(1)), new EarlyFiringEventTimeTrigger(Duration.ofMillis(DELAY), LATENESS),
            new ExecutionConfig(), TypeInformation.of(DedupedEvent.class), d -> d.event.page, Types.STRING);
        b.allowedLateness(LATENESS);
        b.sideOutputLateData(LATE);
        OneInputStreamOperator<DedupedEvent, PageMinuteRow> op =
            b.aggregate(new MinuteAggregate(), new MinuteWindowFunction(LATENESS), TypeInformation.of(MinuteAccumulator.class));
        return new KeyedOneInputStreamOperatorTestHarness<>(op, d -> d.event.page, Types.STRING);
    }

    private static StreamRecord<DedupedEvent> event(String id, long time) {
        DedupedEvent d = new DedupedEvent();
        d.event = new ClickEvent(id, 1, "page_view", "u-" + id, "/p/1", time);
        return new StreamRecord<>(d, time);
    }

    private static java.util.List<Long> eventCounts(KeyedOneInputStreamOperatorTestHarness<String, DedupedEvent, PageMinuteRow> h) {
        return h.extractOutputValues().stream().map(r -> r.events).toList();
    }

    @Test
    void firesEarlyWhileTheWatermarkIsHeldBackThenCompletesTheRow() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(event("a", T0));
            h.processElement(event("b", T0 + 20_000));
            h.setProcessingTime(DELAY - 1);
            assertThat(eventCounts(h)).isEmpty();
            h.setProcessingTime(DELAY);
            assertThat(eventCounts(h)).as("early firing with what the window has").containsExactly(2L);

            h.setProcessingTime(2 * DELAY);
            assertThat(eventCounts(h)).as("nothing new, nothing emitted").containsExactly(2L);
            h.processElement(event("c", T0 + 30_000));
            h.setProcessingTime(3 * DELAY);
            assertThat(eventCounts(h)).containsExactly(2L, 3L);

            h.processElement(event("d", T0 + 59_999));
            h.processWatermark(T0 + MINUTE - 1);
            assertThat(eventCounts(h)).as("the watermark fires the complete window").containsExactly(2L, 3L, 4L);
            assertThat(h.numProcessingTimeTimers()).as("the pending early firing is cancelled").isZero();
            h.setProcessingTime(5 * DELAY);
            assertThat(eventCounts(h)).containsExactly(2L, 3L, 4L);

            h.processElement(event("e", T0 + 1_000));
            assertThat(eventCounts(h)).as("within the lateness: fires at once").containsExactly(2L, 3L, 4L, 5L);
            assertThat(h.extractOutputValues()).extracting(r -> r.revision).containsExactly(2L, 3L, 4L, 5L);
            assertThat(h.extractOutputValues()).extracting(r -> r.finality).containsOnly("provisional");

            h.processWatermark(T0 + 3 * MINUTE - 2);
            assertThat(eventCounts(h)).as("still within the lateness").containsExactly(2L, 3L, 4L, 5L);
            h.processWatermark(T0 + 3 * MINUTE - 1);
            assertThat(eventCounts(h)).as("the closing firing").containsExactly(2L, 3L, 4L, 5L, 5L);
            assertThat(h.extractOutputValues().get(4).finality).isEqualTo("final");
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
            h.processElement(event("f", T0 + 2_000));
            assertThat(h.getSideOutput(LATE)).hasSize(1);
        }
    }

    @Test
    void steadyTrafficNeverFiresEarly() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(event("a", T0));
            h.processElement(event("b", T0 + 40_000));
            h.processWatermark(T0 + MINUTE - 1);
            h.setProcessingTime(10 * DELAY);
            assertThat(eventCounts(h)).containsExactly(2L);
            h.processWatermark(T0 + 3 * MINUTE - 1);
            assertThat(h.extractOutputValues()).extracting(r -> r.finality).containsExactly("provisional", "final");
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
