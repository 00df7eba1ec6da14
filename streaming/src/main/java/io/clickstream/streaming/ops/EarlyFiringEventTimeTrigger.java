package io.clickstream.streaming.ops;

import java.time.Duration;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Flink's {@code EventTimeTrigger} (fire when the watermark passes the window's end, and again for
 * every element within the allowed lateness) plus early firings in processing time, like Flink SQL's
 * {@code table.exec.emit.early-fire.delay}: a window the watermark has not closed {@code delay} after
 * its first element (or after its last early firing, if elements came since) emits its current
 * contents.
 *
 * <p>Why: the job-wide watermark waits for every partition, so a silent partition (no traffic, a
 * broker outage, a slow catch-up) holds every window open. It must, so that the partition's on-time
 * records still find their windows when it resumes; early firings keep the minute rows fresh
 * meanwhile. Every firing carries the complete window, and the row is an upsert ordered by its
 * {@code revision} (the event count, which only grows), so a later firing always replaces an earlier
 * one. In steady state the watermark closes a window before its early-fire time and nothing extra is
 * written. Firing never purges: state lives until the watermark passes the end plus the lateness.
 *
 * <p>With a positive allowed lateness it fires once more when the watermark passes the end plus the
 * lateness, the moment the window operator drops the window: the row then says it is final (see
 * {@link MinuteWindowFunction}), which BI needs to tell closed windows from open ones. The allowed
 * lateness passed here must be the window operator's.
 */
public class EarlyFiringEventTimeTrigger extends Trigger<Object, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final long delayMs;
    private final long allowedLatenessMs;
    private final ValueStateDescriptor<Long> earlyFireAt = new ValueStateDescriptor<>("early-fire-at", Long.class);

    public EarlyFiringEventTimeTrigger(Duration delay, Duration allowedLateness) {
        if (delay.isNegative() || delay.isZero()) {
            throw new IllegalArgumentException("early-fire delay must be positive: " + delay);
        }
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException("allowed lateness must not be negative: " + allowedLateness);
        }
        this.delayMs = delay.toMillis();
        this.allowedLatenessMs = allowedLateness.toMillis();
    }

    /** When the watermark closes the window for good: the window operator's cleanup time. */
    private long closeTime(TimeWindow window) {
        return window.maxTimestamp() + allowedLatenessMs;
    }

    @Override
    public TriggerResult onElement(Object element, long timestamp, TimeWindow window, TriggerContext ctx) throws Exception {
        if (window.maxTimestamp() <= ctx.getCurrentWatermark()) {
            return TriggerResult.FIRE;
        }
        ctx.registerEventTimeTimer(window.maxTimestamp());
        // No timer at closeTime(window): the window operator registers its cleanup timer at that very time for
        // every element (registerCleanupTimer), and calls onEventTime for it before it drops the window.
        ValueState<Long> pending = ctx.getPartitionedState(earlyFireAt);
        if (pending.value() == null) {
            long at = ctx.getCurrentProcessingTime() + delayMs;
            ctx.registerProcessingTimeTimer(at);
            pending.update(at);
        }
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) throws Exception {
        if (time == window.maxTimestamp()) {
            cancelEarlyFiring(ctx);
            return TriggerResult.FIRE;
        }
        return time == closeTime(window) ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) throws Exception {
        ValueState<Long> pending = ctx.getPartitionedState(earlyFireAt);
        Long at = pending.value();
        if (at == null || at != time) {
            return TriggerResult.CONTINUE;
        }
        pending.clear();
        return window.maxTimestamp() > ctx.getCurrentWatermark() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public void clear(TimeWindow window, TriggerContext ctx) throws Exception {
        ctx.deleteEventTimeTimer(window.maxTimestamp());
        cancelEarlyFiring(ctx);
    }

    private void cancelEarlyFiring(TriggerContext ctx) throws Exception {
        ValueState<Long> pending = ctx.getPartitionedState(earlyFireAt);
        Long at = pending.value();
        if (at != null) {
            ctx.deleteProcessingTimeTimer(at);
            pending.clear();
        }
    }

    @Override
    public String toString() {
        return "EarlyFiringEventTimeTrigger(" + delayMs + " ms, lateness " + allowedLatenessMs + " ms)";
    }
}
