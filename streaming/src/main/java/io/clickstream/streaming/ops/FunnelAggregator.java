package io.clickstream.streaming.ops;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;

import io.clickstream.streaming.model.FunnelRow;
import io.clickstream.streaming.model.SessionRow;
import io.clickstream.tables.EventType;
import io.clickstream.tables.Finality;
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
 * the day ended, in event time, after one last row marked {@code final}: from then on the day belongs to
 * the batch correction (which recomputes it with the late events), so the job never writes it again. A
 * session of a closed day (possible only if it closes more than {@code retention} after its day ended)
 * is not counted here; it is logged and counted ({@link io.clickstream.streaming.metrics.PipelineMetric#FUNNEL_SESSIONS_AFTER_CLOSE}) and reaches the
 * funnel through the correction. The closed mark (one boolean per day) stays in state: without it a
 * later session would restart the day's counts from 1 and replace the complete row.
 */
public class FunnelAggregator extends KeyedProcessFunction<String, SessionRow, FunnelRow> {
    private static final long serialVersionUID = 1L;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FunnelAggregator.class);

    private final long emitIntervalMs;
    private final long retentionMs;

    /** Index 0: sessions of the day; index k: sessions that reached step k. */
    private transient ValueState<long[]> counts;
    private transient ValueState<Boolean> dirty;
    private transient ValueState<Boolean> closed;
    private transient org.apache.flink.metrics.Counter afterClose;

    public FunnelAggregator(Duration emitInterval, Duration retention) {
        this.emitIntervalMs = emitInterval.toMillis();
        this.retentionMs = retention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        counts = getRuntimeContext().getState(
            new ValueStateDescriptor<>("funnel-counts", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        dirty = getRuntimeContext().getState(new ValueStateDescriptor<>("funnel-dirty", Boolean.class));
        closed = getRuntimeContext().getState(new ValueStateDescriptor<>("funnel-closed", Boolean.class));
        afterClose = io.clickstream.streaming.metrics.PipelineMetric.FUNNEL_SESSIONS_AFTER_CLOSE.counter(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(SessionRow s, Context ctx, Collector<FunnelRow> out) throws Exception {
        if (closed.value() != null) {
            afterClose.inc();
            LOG.warn("Session of {} (user {}) closed after the day's funnel was final; the batch correction counts it",
                ctx.getCurrentKey(), s.userId);
            return;
        }
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
            emit(ctx.getCurrentKey(), c, Finality.PROVISIONAL, out);
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
            emit(ctx.getCurrentKey(), counts.value(), Finality.FINAL, out);
            counts.clear();
            dirty.clear();
            closed.update(true);
            return;
        }
        if (dirty.value() != null) {
            dirty.clear();
            emit(ctx.getCurrentKey(), counts.value(), Finality.PROVISIONAL, out);
        }
    }

    private void emit(String dt, long[] c, Finality finality, Collector<FunnelRow> out) {
        for (int step = 1; step <= EventType.FUNNEL_STEPS; step++) {
            FunnelRow r = new FunnelRow();
            r.dt = dt;
            r.step = step;
            r.stepName = EventType.funnelStepName(step);
            r.sessions = c[step];
            r.entrants = c[1];
            r.revision = c[0];
            r.finality = finality.sqlName();
            out.collect(r);
        }
    }

    private long cleanupTime(String dt) {
        long dayEnd = LocalDate.parse(dt).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        // Keep clear of the emit timers, which sit on multiples of the emit interval.
        return dayEnd + retentionMs + 1;
    }
}
