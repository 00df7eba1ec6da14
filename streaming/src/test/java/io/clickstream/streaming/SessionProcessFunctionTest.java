package io.clickstream.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.clickstream.streaming.model.DedupedEvent;
import io.clickstream.streaming.model.SessionAccumulator;
import io.clickstream.streaming.model.SessionRow;
import io.clickstream.streaming.ops.SessionAggregate;
import io.clickstream.streaming.ops.SessionProcessFunction;
import io.clickstream.tables.ClickEvent;
import io.clickstream.tables.EventType;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * The sessions operator ({@link SessionProcessFunction}): one state value and one timer per user, the same sessions and
 * the same late events as Flink's merging session windows with {@link SessionAggregate} (which it replaced), and
 * nothing left behind once a user's sessions are emitted.
 */
class SessionProcessFunctionTest {
    private static final long T0 = Instant.parse("2026-01-05T08:00:00Z").toEpochMilli();
    private static final Duration GAP = Duration.ofMinutes(30);
    private static final long G = GAP.toMillis();
    private static final OutputTag<DedupedEvent> LATE = new OutputTag<>("session-late", TypeInformation.of(DedupedEvent.class));

    private static KeyedOneInputStreamOperatorTestHarness<String, DedupedEvent, SessionRow> ours() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new SessionProcessFunction(GAP, LATE)),
            d -> d.event.userId, Types.STRING);
    }

    /** What the job ran before: session windows, no allowed lateness, late data to a side output. */
    private static KeyedOneInputStreamOperatorTestHarness<String, DedupedEvent, SessionRow> windows() throws Exception {
        WindowOperatorBuilder<DedupedEvent, String, TimeWindow> b = new WindowOperatorBuilder<>(
            EventTimeSessionWindows.withGap(GAP), EventTimeTrigger.create(), new ExecutionConfig(),
            TypeInformation.of(DedupedEvent.class), d -> d.event.userId, Types.STRING);
        b.sideOutputLateData(LATE);
        OneInputStreamOperator<DedupedEvent, SessionRow> op = b.aggregate(new SessionAggregate(), new AddUser(),
            TypeInformation.of(SessionAccumulator.class));
        return new KeyedOneInputStreamOperatorTestHarness<>(op, d -> d.event.userId, Types.STRING);
    }

    /** The window function the job used with the aggregate: adds the key. */
    static final class AddUser extends ProcessWindowFunction<SessionRow, SessionRow, String, TimeWindow> {
        @Override
        public void process(String user, Context ctx, Iterable<SessionRow> rows, Collector<SessionRow> out) {
            SessionRow r = rows.iterator().next();
            r.userId = user;
            out.collect(r);
        }
    }

    private static StreamRecord<DedupedEvent> event(String id, String type, String user, long time) {
        return event(id, type, user, "/p/1", time);
    }

    private static StreamRecord<DedupedEvent> event(String id, String type, String user, String page, long time) {
        DedupedEvent d = new DedupedEvent();
        d.event = new ClickEvent(id, 1, type, user, page, time);
        return new StreamRecord<>(d, time);
    }

    private static List<String> rows(KeyedOneInputStreamOperatorTestHarness<String, DedupedEvent, SessionRow> h) {
        List<String> out = new ArrayList<>();
        for (SessionRow r : h.extractOutputValues()) {
            out.add(r.userId + " " + (r.sessionStart - T0) + ".." + (r.sessionEnd - T0) + " events=" + r.events + " views=" + r.pageViews
                + " pages=" + r.distinctPages + " step=" + r.funnelStep);
        }
        out.sort(null);
        return out;
    }

    private static List<String> late(KeyedOneInputStreamOperatorTestHarness<String, DedupedEvent, SessionRow> h) {
        ConcurrentLinkedQueue<StreamRecord<DedupedEvent>> q = h.getSideOutput(LATE);
        List<String> out = new ArrayList<>();
        if (q != null) {
            q.forEach(r -> out.add(r.getValue().event.eventId));
        }
        out.sort(null);
        return out;
    }

    @Test
    void emitsAtLastEventPlusGapAndLeavesNoStateOrTimer() throws Exception {
        try (var h = ours()) {
            h.open();
            h.processElement(event("a", "page_view", "u1", T0));
            h.processElement(event("b", "add_to_cart", "u1", "/p/2", T0 + 10 * 60_000));
            h.processElement(event("c", "page_view", "u2", T0 + 5 * 60_000));
            assertThat(h.numKeyedStateEntries()).as("one state value per user").isEqualTo(2);
            assertThat(h.numEventTimeTimers()).as("one timer per user").isEqualTo(2);
            // Exactly a gap after u1's last event (window end exclusive): u1's session closes at its last event + gap - 1 ms.
            h.processWatermark(T0 + 10 * 60_000 + G - 2);
            assertThat(rows(h)).containsExactly("u2 300000..300000 events=1 views=1 pages=1 step=1");
            h.processWatermark(T0 + 10 * 60_000 + G - 1);
            assertThat(rows(h)).containsExactly("u1 0..600000 events=2 views=1 pages=2 step=2",
                "u2 300000..300000 events=1 views=1 pages=1 step=1");
            assertThat(h.numKeyedStateEntries()).as("state dropped with the last session").isZero();
            assertThat(h.numEventTimeTimers()).as("no timer left").isZero();
            // An event whose window the watermark closed, touching no open session: late, as the window operator says.
            h.processElement(event("d", "page_view", "u1", T0 + 5 * 60_000));
            assertThat(late(h)).containsExactly("d");
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aGrowingSessionKeepsOneLazyTimerAndAnEarlierSessionMovesIt() throws Exception {
        try (var h = ours()) {
            h.open();
            for (int i = 0; i < 20; i++) {
                h.processElement(event("e" + i, "click", "u1", T0 + i * 60_000L));
            }
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            // The timer of the first event fires early: nothing is emitted, one timer at the new end.
            h.processWatermark(T0 + G - 1);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            // Another user whose later session opened first, then an earlier one (the watermark lags by more than a gap):
            // the one timer moves to the earlier session's end; each session is emitted at its own end.
            h.processElement(event("later", "click", "u2", T0 + 5 * G));
            h.processElement(event("earlier", "click", "u2", T0 + 2 * G));
            assertThat(h.numEventTimeTimers()).as("one per user").isEqualTo(2);
            assertThat(late(h)).isEmpty();
            h.processWatermark(T0 + 3 * G - 1);
            assertThat(rows(h)).containsExactly("u1 0..1140000 events=20 views=0 pages=1 step=0",
                "u2 " + 2 * G + ".." + 2 * G + " events=1 views=0 pages=1 step=0");
            assertThat(h.numEventTimeTimers()).as("u2's later session").isEqualTo(1);
            h.processWatermark(T0 + 6 * G - 1);
            assertThat(rows(h)).hasSize(3);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void restoresOpenSessionsFromASnapshot() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = ours()) {
            h.open();
            h.processElement(event("a", "page_view", "u1", T0));
            h.processElement(event("b", "page_view", "u1", T0 + 2 * G));
            snapshot = h.snapshot(1, 1);
        }
        try (var h = ours()) {
            h.initializeState(snapshot);
            h.open();
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            h.processElement(event("c", "checkout", "u1", T0 + G));
            h.processWatermark(Long.MAX_VALUE - 1);
            assertThat(rows(h)).extracting(r -> r.substring(0, r.indexOf(" events"))).containsExactly("u1 0.." + 2 * G);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    /**
     * Random traffic of a few users (bursts, gaps around the session gap, out-of-order and late events, watermarks
     * that lag by more than a gap) through both operators: after every watermark, the same sessions and the same late
     * events; at the end, no state and no timer.
     */
    @Test
    void sameSessionsAndLateEventsAsSessionWindowsOnRandomTraffic() throws Exception {
        EventType[] types = EventType.values();
        for (int trial = 0; trial < 200; trial++) {
            Random rnd = new Random(trial);
            try (var a = ours(); var b = windows()) {
                a.open();
                b.open();
                long clock = T0;
                long watermark = Long.MIN_VALUE;
                int users = 1 + rnd.nextInt(4);
                for (int i = 0; i < 300; i++) {
                    int step = rnd.nextInt(100);
                    clock += step < 70 ? rnd.nextInt(120_000) : step < 90 ? G - 2 + rnd.nextInt(5) : rnd.nextInt((int) (3 * G));
                    long t = clock - (rnd.nextInt(10) == 0 ? rnd.nextInt((int) (2 * G)) : 0);
                    String id = "t" + trial + "e" + i;
                    String type = types[rnd.nextInt(types.length)].wireName();
                    String user = "u" + rnd.nextInt(users);
                    String page = "/p/" + rnd.nextInt(4);
                    a.processElement(event(id, type, user, page, t));
                    b.processElement(event(id, type, user, page, t));
                    if (rnd.nextInt(8) == 0) {
                        long lag = rnd.nextInt(4) == 0 ? rnd.nextInt((int) (3 * G)) : rnd.nextInt(60_000);
                        long w = Math.max(watermark, clock - lag);
                        if (w > watermark) {
                            watermark = w;
                            a.processWatermark(w);
                            b.processWatermark(w);
                            assertThat(rows(a)).as("trial %d, watermark %d", trial, w - T0).isEqualTo(rows(b));
                            assertThat(late(a)).as("trial %d", trial).isEqualTo(late(b));
                        }
                    }
                }
                a.processWatermark(Long.MAX_VALUE - 1);
                b.processWatermark(Long.MAX_VALUE - 1);
                assertThat(rows(a)).as("trial %d", trial).isEqualTo(rows(b));
                assertThat(late(a)).as("trial %d", trial).isEqualTo(late(b));
                assertThat(a.numKeyedStateEntries()).isZero();
                assertThat(a.numEventTimeTimers()).isZero();
            }
        }
    }

    /**
     * Operator-level cost, not a check: the same 400k events (20k users, sessions of ~12 events, watermark every 500
     * events, 5 s out of order) through both operators, alternating, best of 3. Prints {@code SESSION-MICRO}.
     */
    @Test
    void microBenchmarkAgainstSessionWindows() throws Exception {
        List<StreamRecord<DedupedEvent>> events = new ArrayList<>();
        Random rnd = new Random(11);
        EventType[] types = EventType.values();
        long clock = T0;
        for (int i = 0; i < 400_000; i++) {
            clock += rnd.nextInt(20);
            long t = clock - rnd.nextInt(5_000);
            events.add(event("e" + i, types[rnd.nextInt(types.length)].wireName(), "u" + rnd.nextInt(20_000), "/p/" + rnd.nextInt(40), t));
        }
        long best0 = Long.MAX_VALUE;
        long best1 = Long.MAX_VALUE;
        int rows0 = 0;
        int rows1 = 0;
        for (int round = 0; round < 3; round++) {
            for (int which = 0; which < 2; which++) {
                try (var h = which == 0 ? windows() : ours()) {
                    h.open();
                    long start = System.nanoTime();
                    long wm = Long.MIN_VALUE;
                    for (int i = 0; i < events.size(); i++) {
                        h.processElement(events.get(i));
                        if (i % 500 == 499) {
                            wm = Math.max(wm, events.get(i).getTimestamp() - 5_000);
                            h.processWatermark(wm);
                        }
                    }
                    h.processWatermark(Long.MAX_VALUE - 1);
                    long ns = System.nanoTime() - start;
                    int n = h.extractOutputValues().size();
                    if (which == 0) {
                        best0 = Math.min(best0, ns);
                        rows0 = n;
                    } else {
                        best1 = Math.min(best1, ns);
                        rows1 = n;
                    }
                }
            }
        }
        System.out.printf("SESSION-MICRO %,d events: session windows %.0f ns/event, process function %.0f ns/event (%.2fx); "
            + "sessions %d / %d%n", events.size(), best0 / (double) events.size(), best1 / (double) events.size(),
            best0 / (double) best1, rows0, rows1);
        assertThat(rows1).isEqualTo(rows0);
    }
}
