package io.clickstream.streaming.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.clickstream.streaming.model.DedupedEvent;
import io.clickstream.streaming.model.SessionAccumulator;
import io.clickstream.streaming.model.SessionRow;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Event-time sessions per user (keyed by user id) with one state value and one event-time timer per user, in place
 * of Flink's merging session windows ({@code EventTimeSessionWindows.withGap(gap)} + {@link SessionAggregate}),
 * which keep a merging-window set, a state namespace and a timer per window and merge them as events bridge gaps.
 *
 * <p>Same semantics as those windows with no allowed lateness, which is what the job used: an event at {@code t}
 * opens the window {@code [t, t + gap)}; windows that intersect (touching ends included, as
 * {@code TimeWindow.intersects}) merge into their cover; a session is emitted once, when the watermark reaches its
 * last event + gap − 1 ms, and its state is dropped then. An event whose own window, merged with the open sessions,
 * would already be closed by the watermark goes to {@code lateTag} (as the window operator's
 * {@code sideOutputLateData}); an older event that still touches an open session joins it, as in the window
 * operator. The emitted row is {@link SessionAggregate#getResult} with the user id.
 *
 * <p>State per user: the open sessions (almost always one; several only while the watermark lags behind a user's
 * events by more than a gap) and the time of the one registered timer. The timer is lazy: when a session grows,
 * its timer is not moved; when it fires early, the function re-registers it at the session's new end. A user's
 * state and timer are gone once the last open session is emitted.
 */
public class SessionProcessFunction extends KeyedProcessFunction<String, DedupedEvent, SessionRow> {
    private static final long serialVersionUID = 1L;
    private static final long NO_TIMER = Long.MIN_VALUE;

    /** The open sessions of one user and the registered timer (state of the function). */
    public static class UserSessions {
        /** Open sessions, disjoint (not even touching) and ordered by start. */
        public List<SessionAccumulator> open = new ArrayList<>(1);
        /** Time of the registered event-time timer, or {@link #NO_TIMER}. */
        public long timer = NO_TIMER;

        public UserSessions() {}
    }

    private final long gap;
    private final OutputTag<DedupedEvent> lateTag;
    private final SessionAggregate aggregate = new SessionAggregate();
    private transient ValueState<UserSessions> state;

    public SessionProcessFunction(Duration gap, OutputTag<DedupedEvent> lateTag) {
        this.gap = gap.toMillis();
        this.lateTag = lateTag;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("user-sessions", TypeInformation.of(UserSessions.class)));
    }

    /** Window end (exclusive) of an open session: last event + gap. */
    private long end(SessionAccumulator s) {
        return s.end + gap;
    }

    /** The time its window fires: the window's max timestamp. */
    private long fireTime(SessionAccumulator s) {
        return s.end + gap - 1;
    }

    @Override
    public void processElement(DedupedEvent d, Context ctx, Collector<SessionRow> out) throws Exception {
        long t = d.event.eventTime;
        long watermark = ctx.timerService().currentWatermark();
        UserSessions u = state.value();
        List<SessionAccumulator> open = u == null ? List.of() : u.open;
        // The event's window [t, t + gap) and every open session it intersects (TimeWindow.intersects: inclusive).
        long lo = t;
        long hi = t + gap;
        int first = -1;
        int last = -1;
        for (int i = 0; i < open.size(); i++) {
            SessionAccumulator s = open.get(i);
            if (s.start <= hi && end(s) >= lo) {
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        if (first < 0 && hi - 1 <= watermark) {
            // Its own window is already closed and it touches no open session: late, as the window operator says.
            ctx.output(lateTag, d);
            return;
        }
        if (u == null) {
            u = new UserSessions();
        }
        SessionAccumulator acc;
        if (first < 0) {
            acc = aggregate.createAccumulator();
            int at = 0;
            while (at < u.open.size() && u.open.get(at).start < t) {
                at++;
            }
            u.open.add(at, acc);
        } else {
            acc = u.open.get(first);
            // The event may bridge several open sessions: they merge into the first.
            for (int i = last; i > first; i--) {
                aggregate.merge(acc, u.open.remove(i));
            }
        }
        aggregate.add(d, acc);
        // One timer per user, at the earliest firing time of its open sessions. Sessions only grow, so a registered
        // timer is never later than the earliest firing time unless a new, earlier session opened: then move it.
        long earliest = earliestFireTime(u.open);
        if (u.timer == NO_TIMER || earliest < u.timer) {
            if (u.timer != NO_TIMER) {
                ctx.timerService().deleteEventTimeTimer(u.timer);
            }
            ctx.timerService().registerEventTimeTimer(earliest);
            u.timer = earliest;
        }
        state.update(u);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SessionRow> out) throws Exception {
        UserSessions u = state.value();
        if (u == null) {
            return;
        }
        u.timer = NO_TIMER;
        // Emit every session whose window the watermark (>= timestamp) has closed, oldest first.
        while (!u.open.isEmpty() && fireTime(u.open.get(0)) <= timestamp) {
            SessionRow row = aggregate.getResult(u.open.remove(0));
            row.userId = ctx.getCurrentKey();
            out.collect(row);
        }
        if (u.open.isEmpty()) {
            state.clear();
            return;
        }
        long next = earliestFireTime(u.open);
        ctx.timerService().registerEventTimeTimer(next);
        u.timer = next;
        state.update(u);
    }

    private long earliestFireTime(List<SessionAccumulator> open) {
        long min = Long.MAX_VALUE;
        for (SessionAccumulator s : open) {
            min = Math.min(min, fireTime(s));
        }
        return min;
    }
}
