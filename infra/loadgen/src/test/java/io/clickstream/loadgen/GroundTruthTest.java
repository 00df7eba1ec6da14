package io.clickstream.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.clickstream.tables.ClickEvent;
import io.clickstream.tables.DlqReason;
import io.clickstream.tables.EventJson;
import org.junit.jupiter.api.Test;

/** The truth's definitions on hand-made input with named instants. */
class GroundTruthTest {
    private static final long T0 = Instant.parse("2026-01-05T08:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;

    private static GroundTruth truth() {
        return new GroundTruth(Duration.ofMinutes(1), Duration.ofMinutes(30), Duration.ofSeconds(5), Duration.ofMinutes(2));
    }

    private static GeneratedRecord event(int partition, String id, String type, String user, String page, long time, long arrival,
            GeneratedRecord.Kind kind) {
        ClickEvent e = new ClickEvent(id, 1, type, user, page, time);
        return new GeneratedRecord(partition, user, EventJson.encode(e), arrival, kind, e, GeneratedRecord.Delay.ON_TIME, null);
    }

    @Test
    void duplicatesCountOnceAndLateEventsLeaveTheWindows() {
        GroundTruth t = truth();
        t.add(event(0, "a", "page_view", "u1", "/p/1", T0, T0, GeneratedRecord.Kind.EVENT));
        t.add(event(1, "a", "page_view", "u1", "/p/1", T0, T0 + 1, GeneratedRecord.Kind.DUPLICATE));
        t.add(event(0, "b", "add_to_cart", "u1", "/p/1", T0 + 10_000, T0 + 10_000, GeneratedRecord.Kind.EVENT));
        t.add(event(0, "c", "page_view", "u2", "/p/2", T0 + 10 * MINUTE, T0 + 10 * MINUTE, GeneratedRecord.Kind.EVENT));
        // 4 minutes late in partition 0, whose watermark is now 10 min - 5 s: beyond 1 min window + 2 min lateness.
        t.add(event(0, "d", "page_view", "u3", "/p/1", T0 + 6 * MINUTE, T0 + 10 * MINUTE + 1, GeneratedRecord.Kind.EVENT));
        // 90 s late: still inside the allowed lateness.
        t.add(event(0, "e", "click", "u2", "/p/2", T0 + 10 * MINUTE - 90_000, T0 + 10 * MINUTE + 2, GeneratedRecord.Kind.EVENT));
        t.add(new GeneratedRecord(2, null, null, T0, GeneratedRecord.Kind.MALFORMED, null, GeneratedRecord.Delay.ON_TIME,
            DlqReason.MALFORMED_JSON));

        assertThat(t.duplicates).isEqualTo(1);
        assertThat(t.lateEventIds).containsExactly("d");
        assertThat(t.validRecords()).isEqualTo(6);
        assertThat(t.dlqRecords()).isEqualTo(1);
        assertThat(t.minuteRows()).containsExactlyInAnyOrder(
            new GroundTruth.MinuteRow(T0, "/p/1", 2, 1, 0, 1, 0, 0, 1, 1),
            new GroundTruth.MinuteRow(T0 + 8 * MINUTE, "/p/2", 1, 0, 1, 0, 0, 0, 1, 0),
            new GroundTruth.MinuteRow(T0 + 10 * MINUTE, "/p/2", 1, 1, 0, 0, 0, 0, 1, 1));
        assertThat(t.sessionRows()).containsExactlyInAnyOrder(
            new GroundTruth.SessionRow("u1", T0, T0 + 10_000, 2, 1, 1, 2),
            new GroundTruth.SessionRow("u2", T0 + 10 * MINUTE - 90_000, T0 + 10 * MINUTE, 2, 1, 1, 1));
        assertThat(t.funnelRows()).containsExactly(
            new GroundTruth.FunnelRow("2026-01-05", 1, 2, 2),
            new GroundTruth.FunnelRow("2026-01-05", 2, 1, 2),
            new GroundTruth.FunnelRow("2026-01-05", 3, 0, 2),
            new GroundTruth.FunnelRow("2026-01-05", 4, 0, 2));
    }

    @Test
    void sessionsSplitBeyondTheGap() {
        // Flink's session windows [t, t + gap) merge when they touch: exactly one gap apart is one session.
        GroundTruth t = truth();
        t.add(event(0, "a", "page_view", "u1", "/p/1", T0, T0, GeneratedRecord.Kind.EVENT));
        t.add(event(0, "b", "page_view", "u1", "/p/2", T0 + 30 * MINUTE, T0 + 30 * MINUTE, GeneratedRecord.Kind.EVENT));
        t.add(event(0, "c", "page_view", "u1", "/p/2", T0 + 60 * MINUTE + 1, T0 + 60 * MINUTE + 1, GeneratedRecord.Kind.EVENT));
        assertThat(t.sessionRows()).extracting(GroundTruth.SessionRow::events).containsExactly(2L, 1L);
    }

    @Test
    void trafficWhereCopiesDisagreeIsRejected() {
        GroundTruth t = truth();
        t.add(event(0, "x", "page_view", "u1", "/p/1", T0 + 20 * MINUTE, T0 + 20 * MINUTE, GeneratedRecord.Kind.EVENT));
        t.add(event(0, "a", "page_view", "u1", "/p/1", T0, T0 + 20 * MINUTE, GeneratedRecord.Kind.EVENT));
        assertThatThrownBy(() -> t.add(event(1, "a", "page_view", "u1", "/p/1", T0, T0 + 20 * MINUTE,
            GeneratedRecord.Kind.DUPLICATE))).hasMessageContaining("ambiguous");
        assertThat(List.copyOf(t.lateEventIds)).containsExactly("a");
    }
}
