package io.clickstream.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.clickstream.streaming.model.DedupedEvent;
import io.clickstream.streaming.model.MinuteAccumulator;
import io.clickstream.streaming.model.PageMinuteRow;
import io.clickstream.streaming.ops.MinuteAggregate;
import io.clickstream.streaming.ops.MinuteWindowFunction;
import io.clickstream.tables.ClickEvent;
import org.apache.datasketches.hll.HllSketch;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * The minute window as the job configures it (tumbling, allowed lateness, late side output), with the
 * job's aggregate: re-fires carry the complete window, and state and timers are gone after the lateness.
 */
class MinuteWindowTest {
    private static final long T0 = Instant.parse("2026-01-05T08:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final OutputTag<DedupedEvent> LATE = new OutputTag<>("late", TypeInformation.of(DedupedEvent.class));

    private static StreamRecord<DedupedEvent> event(String id, String type, String user, long time) {
        DedupedEvent d = new DedupedEvent();
        d.event = new ClickEvent(id, 1, type, user, "/p/1", time);
        return new StreamRecord<>(d, time);
    }

    @Test
    void refiresCompleteRowsWithinLatenessThenForgetsTheWindow() throws Exception {
        WindowOperatorBuilder<DedupedEvent, String, TimeWindow> b = new WindowOperatorBuilder<>(
            TumblingEventTimeWindows.of(Duration.ofMinutes(1)), EventTimeTrigger.create(), new ExecutionConfig(),
            TypeInformation.of(DedupedEvent.class), d -> d.event.page, Types.STRING);
        b.allowedLateness(Duration.ofMinutes(2));
        b.sideOutputLateData(LATE);
        OneInputStreamOperator<DedupedEvent, PageMinuteRow> op =
            b.aggregate(new MinuteAggregate(), new MinuteWindowFunction(Duration.ofMinutes(2)), TypeInformation.of(MinuteAccumulator.class));
        try (var h = new KeyedOneInputStreamOperatorTestHarness<String, DedupedEvent, PageMinuteRow>(
                op, d -> d.event.page, Types.STRING)) {
            h.open();
            h.processElement(event("a", "page_view", "u1", T0));
            h.processElement(event("b", "click", "u1", T0 + 20_000));
            h.processElement(event("c", "page_view", "u2", T0 + 59_999));
            h.processWatermark(T0 + MINUTE - 1);
            h.processElement(event("d", "purchase", "u3", T0 + 10_000));

            List<PageMinuteRow> rows = h.extractOutputValues();
            assertThat(rows).extracting(r -> r.events + "/" + r.pageViews + "/" + r.clicks + "/" + r.purchases + "/" + r.uniqueUsers)
                .containsExactly("3/2/1/0/2", "4/2/1/1/3");
            assertThat(rows).extracting(r -> r.revision).containsExactly(3L, 4L);
            assertThat(rows).extracting(r -> r.uniqueViewers).as("users with a page view").containsExactly(2L, 2L);
            assertThat(rows.get(1).windowStart).isEqualTo(T0);
            assertThat(HllSketch.heapify(rows.get(1).usersHll).getEstimate()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-6));

            h.processWatermark(T0 + 3 * MINUTE - 1);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            h.processElement(event("e", "click", "u4", T0 + 30_000));
            assertThat(h.getSideOutput(LATE)).hasSize(1);
            assertThat(h.extractOutputValues()).hasSize(2);
        }
    }
}
