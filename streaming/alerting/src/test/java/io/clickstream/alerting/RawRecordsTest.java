package io.clickstream.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.clickstream.tables.ClickEvent;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class RawRecordsTest {
    private static final long T0 = 1_767_600_000_000L; // 2026-01-05T08:00:00Z

    /** The watermarks one partition's generator emits, in ms after T0. */
    private static final class Emitted implements WatermarkOutput {
        final List<Long> marks = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark w) {
            marks.add(w.getTimestamp() - T0);
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    }

    @Test
    void aMalformedRecordTakesTheReadersLatestEventTimeButNeverMovesAPartitionsWatermark() {
        WatermarkStrategy<RawRecord> strategy = RawRecords.watermarks(new Configuration());
        TimestampAssigner<RawRecord> shared = strategy.createTimestampAssigner(null);
        WatermarkGenerator<RawRecord> partition0 = strategy.createWatermarkGenerator(null);
        WatermarkGenerator<RawRecord> partition1 = strategy.createWatermarkGenerator(null);
        Emitted out0 = new Emitted();
        Emitted out1 = new Emitted();

        RawRecord ahead = RawRecord.valid(new ClickEvent("e1", 2, "page_view", "u1", "/p/1", T0 + 90_000), T0 + 90_000);
        partition0.onEvent(ahead, shared.extractTimestamp(ahead, ahead.kafkaTimestamp), out0);

        RawRecord garbage = RawRecord.malformed(T0);
        long garbageTime = shared.extractTimestamp(garbage, garbage.kafkaTimestamp);
        assertThat(garbageTime - T0).isEqualTo(90_000);
        partition1.onEvent(garbage, garbageTime, out1);
        partition1.onPeriodicEmit(out1);
        assertThat(out1.marks).allMatch(m -> m < 0);

        RawRecord onTime = RawRecord.valid(new ClickEvent("e2", 2, "page_view", "u2", "/p/1", T0 + 1_000), T0 + 1_000);
        partition1.onEvent(onTime, shared.extractTimestamp(onTime, onTime.kafkaTimestamp), out1);
        partition1.onPeriodicEmit(out1);
        assertThat(out1.marks.get(out1.marks.size() - 1)).isEqualTo(1_000 - 2_000 - 1);
    }
}
