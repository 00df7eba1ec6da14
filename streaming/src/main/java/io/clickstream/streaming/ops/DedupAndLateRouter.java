package io.clickstream.streaming.ops;

import java.time.Duration;

import io.clickstream.streaming.metrics.PipelineMetric;
import io.clickstream.streaming.model.DedupedEvent;
import io.clickstream.streaming.model.SourceRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by event_id: lets the first copy of every event through, drops re-sends, and marks events
 * that are already beyond the allowed lateness of their minute window.
 *
 * <p>Dedup state is one flag per event_id with a state TTL of {@code retention} (processing time,
 * cleaned incrementally on the heap backend and by compaction on RocksDB), as Flink SQL's own
 * deduplication does. A per-event event-time cleanup timer was measured to cost about a tenth of the
 * job's CPU (one heap-queue entry per event) and was replaced.
 *
 * <p>Lateness is judged by {@link Lateness} against the event's own partition watermark, stamped by
 * {@link PartitionProgress} and checkpointed with the source offsets, and by nothing else: not the
 * live job-wide watermark, which runs ahead of a partition that was silent (idle, or cut off by a
 * broker outage) and would turn its on-time backlog late. The restore hazard (watermarks are not
 * checkpointed, so replayed events that were too late before a failure could reopen windows that
 * already fired) is covered by the same rule: the partition watermark a replayed record gets after a
 * restore is exactly the one it got before. Every event this operator lets through is on time for
 * the window operators too, because their job-wide watermark never passes a partition's own
 * watermark until that partition has been idle for {@code clickstream.watermark.idle-timeout}.
 *
 * <p>A record the DLQ replay re-produced ({@link SourceRecord#replay()}) always takes the late path
 * (events_dedup and clicks.late, then the batch correction), whatever its event time: its original
 * arrived when it was rejected, so its windows have normally fired long ago, and a job started without
 * state (a bounded catch-up, a fresh start from offsets) must not fold it into a partial window row that
 * the complete one outranks. The correction recomputes the affected rows from events_dedup, so the
 * replayed event is counted once either way.
 */
public class DedupAndLateRouter extends KeyedProcessFunction<String, SourceRecord, DedupedEvent> {
    private static final long serialVersionUID = 1L;

    private final Lateness lateness;
    private final long retentionMs;

    private transient ValueState<Boolean> seen;
    private transient Counter duplicates;
    private transient Counter lateEvents;

    public DedupAndLateRouter(Duration windowSize, Duration allowedLateness, Duration retention) {
        this.lateness = new Lateness(windowSize, allowedLateness);
        this.retentionMs = retention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<Boolean> seenDescriptor = new ValueStateDescriptor<>("seen", Boolean.class);
        seenDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(retentionMs))
            .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
            .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
            .cleanupIncrementally(2, false)
            .cleanupInRocksdbCompactFilter(1_000)
            .build());
        seen = getRuntimeContext().getState(seenDescriptor);
        duplicates = PipelineMetric.DUPLICATES_DROPPED.counter(getRuntimeContext().getMetricGroup());
        lateEvents = PipelineMetric.LATE_EVENTS.counter(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(SourceRecord r, Context ctx, Collector<DedupedEvent> out) throws Exception {
        if (seen.value() != null) {
            duplicates.inc();
            return;
        }
        seen.update(Boolean.TRUE);
        boolean late = r.replay() || lateness.isBeyond(r.event.eventTime, r.partitionWatermark);
        if (late) {
            lateEvents.inc();
        }
        DedupedEvent d = new DedupedEvent(r, late, r.partitionWatermark);
        if (r.replay()) {
            d.lateStage = DedupedEvent.STAGE_REPLAY;
        }
        out.collect(d);
    }
}
