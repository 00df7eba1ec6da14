package io.clickstream.streaming.ops;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;

import io.clickstream.streaming.model.FunnelRow;
import io.clickstream.streaming.model.SessionRow;
import io.clickstream.tables.EventType;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by day (of session start): counts the day's sessions that reached each funnel step and
 * emits the absolute counts, never increments, so a replayed write cannot double count.
 *
 * <p>To keep the write volume independent of the session rate, the counts of a day are emitted at
 * most once per {@code emitInterval} of event time (on the next watermark past the interval
 * boundary) and once more when the input ends. The day's state is cleared {@code retention} after
 * the day ended, in event time.
 */
public class FunnelAggregator extends KeyedProcessFunction<String, SessionRow, FunnelRow> {
    private static final long serialVersionUID = 1L;

    private final long emitIntervalMs;
    private final long retentionMs;

    /** Index 0: sessions of the day; index k: sessions that reached step k. */
    private transient ValueState<long[]> counts;
    private transient ValueState<Boolean> dirty;

    public FunnelAggregator(Duration emitInterval, Duration retention) {
        this.emitIntervalMs = emitInterval.toMillis();
        this.retentionMs = retention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        counts = getRuntimeContext().getState(
            new ValueStateDescriptor<>("funnel-counts", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        dirty = getRuntimeContext().getState(new ValueStateDescriptor<>("funnel-dirty", Boolean.class));
    }

    @Override
    public void processElement(SessionRow s, Context ctx, Collector<FunnelRow> out) throws Exception {
        long[] c = counts.value();
        if (c == null) {
            c = new long[EventType.FUNNEL_STEPS + 1];
            ctx.timerService().registerEventTimeTimer(cleanupTime(ctx.getCurrentKey()));
        }
        c[0]++;
        for (int step = 1; step <= s.funnelStep; step++) {
            c[step]++;
        }
        counts.update(c);
        long wm = ctx.timerService().currentWatermark();
        if (wm == Long.MAX_VALUE) {
            emit(ctx.getCurrentKey(), c, out);
            return;
        }
        if (dirty.value() == null) {
            dirty.update(true);
            long next = (Math.floorDiv(Math.max(wm, 0), emitIntervalMs) + 1) * emitIntervalMs;
            ctx.timerService().registerEventTimeTimer(next);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FunnelRow> out) throws Exception {
        if (timestamp == cleanupTime(ctx.getCurrentKey())) {
            counts.clear();
            dirty.clear();
            return;
        }
        if (dirty.value() != null) {
            dirty.clear();
            emit(ctx.getCurrentKey(), counts.value(), out);
        }
    }

    private void emit(String dt, long[] c, Collector<FunnelRow> out) {
        for (int step = 1; step <= EventType.FUNNEL_STEPS; step++) {
            FunnelRow r = new FunnelRow();
            r.dt = dt;
            r.step = step;
            r.stepName = EventType.funnelStepName(step);
            r.sessions = c[step];
            r.entrants = c[1];
            r.revision = c[0];
            out.collect(r);
        }
    }

    private long cleanupTime(String dt) {
        long dayEnd = LocalDate.parse(dt).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        // Keep clear of the emit timers, which sit on multiples of the emit interval.
        return dayEnd + retentionMs + 1;
    }
}
