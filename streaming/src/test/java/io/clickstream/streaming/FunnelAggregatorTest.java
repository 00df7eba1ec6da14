package io.clickstream.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import io.clickstream.streaming.model.FunnelRow;
import io.clickstream.streaming.model.SessionRow;
import io.clickstream.streaming.ops.FunnelAggregator;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class FunnelAggregatorTest {
    private static final long MONDAY_8AM = Instant.parse("2026-01-05T08:00:00Z").toEpochMilli();
    private static final long TUESDAY = Instant.parse("2026-01-06T00:00:00Z").toEpochMilli();

    private static StreamRecord<SessionRow> session(String user, int step) {
        SessionRow s = new SessionRow();
        s.userId = user;
        s.sessionStart = MONDAY_8AM;
        s.sessionEnd = MONDAY_8AM + 1_000;
        s.funnelStep = step;
        return new StreamRecord<>(s, MONDAY_8AM);
    }

    @Test
    void emitsAbsoluteCountsOncePerIntervalAndClearsTheDayLater() throws Exception {
        FunnelAggregator fn = new FunnelAggregator(Duration.ofSeconds(10), Duration.ofDays(2));
        try (var h = new KeyedOneInputStreamOperatorTestHarness<String, SessionRow, FunnelRow>(
                new KeyedProcessOperator<>(fn), s -> "2026-01-05", Types.STRING)) {
            h.open();
            h.processWatermark(MONDAY_8AM);
            h.processElement(session("u1", 4));
            h.processElement(session("u2", 1));
            h.processElement(session("u3", 2));
            assertThat(h.extractOutputValues()).as("nothing before the next interval boundary").isEmpty();

            h.processWatermark(MONDAY_8AM + 10_000);
            assertThat(h.extractOutputValues()).extracting(r -> r.step + ":" + r.sessions + "/" + r.entrants + "@" + r.revision)
                .containsExactly("1:3/3@3", "2:2/3@3", "3:1/3@3", "4:1/3@3");

            h.processElement(session("u4", 0));
            h.processWatermark(MONDAY_8AM + 20_000);
            assertThat(h.extractOutputValues()).hasSize(8);
            assertThat(h.extractOutputValues().get(4).revision).isEqualTo(4);
            assertThat(h.extractOutputValues().get(4).sessions).isEqualTo(3);

            assertThat(h.extractOutputValues()).extracting(r -> r.finality).containsOnly("provisional");
            h.processWatermark(TUESDAY + Duration.ofDays(2).toMillis());
            assertThat(h.extractOutputValues()).as("the day is still counted by the job").hasSize(8);
            h.processWatermark(TUESDAY + Duration.ofDays(2).toMillis() + 1);
            assertThat(h.extractOutputValues()).as("one last row per step, final").hasSize(12);
            assertThat(h.extractOutputValues().subList(8, 12))
                .extracting(r -> r.step + ":" + r.sessions + "/" + r.entrants + "@" + r.revision + " " + r.finality)
                .containsExactly("1:3/3@4 final", "2:2/3@4 final", "3:1/3@4 final", "4:1/3@4 final");
            assertThat(h.numKeyedStateEntries()).as("only the day's closed mark is left").isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isZero();

            h.processElement(session("u5", 4));
            h.processWatermark(TUESDAY + Duration.ofDays(3).toMillis());
            assertThat(h.extractOutputValues()).as("a closed day is never written again (no restart from 1)").hasSize(12);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
