package io.clickstream.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import io.clickstream.streaming.model.DedupedEvent;
import io.clickstream.streaming.model.SessionAccumulator;
import io.clickstream.streaming.model.SessionRow;
import io.clickstream.streaming.ops.SessionAggregate;
import io.clickstream.tables.ClickEvent;
import io.clickstream.tables.EventType;
import org.junit.jupiter.api.Test;

/** The mergeable session aggregate agrees with the sequential funnel rule, in any arrival order and merge tree. */
class SessionAggregateTest {
    private static final long T0 = Instant.parse("2026-01-05T08:00:00Z").toEpochMilli();

    @Test
    void funnelStepEqualsTheSequentialRuleForRandomSessions() {
        Random rnd = new Random(3);
        SessionAggregate agg = new SessionAggregate();
        EventType[] types = EventType.values();
        for (int trial = 0; trial < 2_000; trial++) {
            List<ClickEvent> events = new ArrayList<>();
            int n = 1 + rnd.nextInt(12);
            for (int i = 0; i < n; i++) {
                events.add(new ClickEvent("e" + i, 1, types[rnd.nextInt(types.length)].wireName(), "u", "/p/" + rnd.nextInt(3),
                    T0 + rnd.nextInt(5) * 1_000L));
            }
            List<ClickEvent> ordered = new ArrayList<>(events);
            ordered.sort(Comparator.comparingLong((ClickEvent e) -> e.eventTime).thenComparing(e -> e.eventId));
            int expected = 0;
            for (ClickEvent e : ordered) {
                expected = EventType.advanceFunnel(expected, e.type());
            }
            // Arrival order is shuffled and split in two merged halves, as session windows merge.
            java.util.Collections.shuffle(events, rnd);
            int cut = rnd.nextInt(n + 1);
            SessionAccumulator left = agg.createAccumulator();
            SessionAccumulator right = agg.createAccumulator();
            for (int i = 0; i < n; i++) {
                DedupedEvent d = new DedupedEvent();
                d.event = events.get(i);
                agg.add(d, i < cut ? left : right);
            }
            SessionRow row = agg.getResult(agg.merge(right, left));
            assertThat(row.funnelStep).as("trial %d: %s", trial, ordered).isEqualTo(expected);
            assertThat(row.events).isEqualTo(n);
            assertThat(row.sessionStart).isEqualTo(ordered.get(0).eventTime);
            assertThat(row.sessionEnd).isEqualTo(ordered.get(n - 1).eventTime);
        }
    }

    @Test
    void sessionWindowsExactlyOneGapApartAreOneSession() {
        // The rule GroundTruth and the batch correction (corrected_sessions.sql: split when the gap is exceeded) mirror.
        long gap = io.clickstream.tables.Sessions.DEFAULT_GAP.toMillis();
        org.apache.flink.streaming.api.windowing.windows.TimeWindow first =
            new org.apache.flink.streaming.api.windowing.windows.TimeWindow(0, gap);
        org.assertj.core.api.Assertions.assertThat(first.intersects(
            new org.apache.flink.streaming.api.windowing.windows.TimeWindow(gap, 2 * gap))).isTrue();
        org.assertj.core.api.Assertions.assertThat(first.intersects(
            new org.apache.flink.streaming.api.windowing.windows.TimeWindow(gap + 1, 2 * gap + 1))).isFalse();
    }
}
