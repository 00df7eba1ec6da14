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

            h.processWatermark(TUESDAY + Duration.ofDays(2).toMillis() + 1);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
