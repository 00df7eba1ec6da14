package io.clickstream.streaming.ops;

import java.time.Duration;

import io.clickstream.streaming.model.DedupedEvent;
import io.clickstream.streaming.model.SourceRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
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
 * <p>Lateness is judged against the largest of three watermarks: the event's own partition watermark
 * (stamped by {@link PartitionProgress}; deterministic per partition and checkpointed), the live
 * job-wide watermark (which can only be larger when a partition was idle), and the last job-wide
 * watermark saved in this operator's (union) state. The last two guard against a known restore
 * hazard: watermarks are not part of checkpoints, so after a restore the watermark starts from
 * scratch, and replayed events that were too late before the failure would open fresh, partial
 * windows whose result overwrites the complete row in the primary-key table. Every event this
 * operator lets through is on time for its window operator too, because the window operator's
 * watermark is never ahead of these.
 */
public class DedupAndLateRouter extends KeyedProcessFunction<String, SourceRecord, DedupedEvent>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    private final long windowSizeMs;
    private final long allowedLatenessMs;
    private final long retentionMs;

    private transient ValueState<Boolean> seen;
    private transient ListState<Long> watermarkState;
    private transient long restoredWatermark;
    private transient long lastWatermark;
    private transient Counter duplicates;
    private transient Counter lateEvents;

    public DedupAndLateRouter(Duration windowSize, Duration allowedLateness, Duration retention) {
        this.windowSizeMs = windowSize.toMillis();
        this.allowedLatenessMs = allowedLateness.toMillis();
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
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicatesDropped");
        lateEvents = getRuntimeContext().getMetricGroup().counter("eventsBeyondLateness");
    }

    @Override
    public void processElement(SourceRecord r, Context ctx, Collector<DedupedEvent> out) throws Exception {
        long live = ctx.timerService().currentWatermark();
        lastWatermark = Math.max(lastWatermark, live);
        long watermark = Math.max(Math.max(live, restoredWatermark), r.partitionWatermark);
        if (seen.value() != null) {
            duplicates.inc();
            return;
        }
        seen.update(Boolean.TRUE);
        boolean late = isBeyondLateness(r.event.eventTime, watermark);
        if (late) {
            lateEvents.inc();
        }
        out.collect(new DedupedEvent(r, late, watermark));
    }

    /** Flink's rule for a late window element: the window's max timestamp plus lateness is not after the watermark. */
    boolean isBeyondLateness(long eventTime, long watermark) {
        long windowStart = Math.floorDiv(eventTime, windowSizeMs) * windowSizeMs;
        long windowMaxTimestamp = windowStart + windowSizeMs - 1;
        return windowMaxTimestamp + allowedLatenessMs <= watermark;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        watermarkState.update(java.util.List.of(Math.max(lastWatermark, restoredWatermark)));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        watermarkState = context.getOperatorStateStore()
            .getUnionListState(new ListStateDescriptor<>("last-watermark", Long.class));
        restoredWatermark = Long.MIN_VALUE;
        lastWatermark = Long.MIN_VALUE;
        if (context.isRestored()) {
            // Every subtask saw the same watermarks up to the checkpoint barrier; the largest value
            // any of them recorded is the best lower bound of the watermark at the checkpoint.
            for (Long w : watermarkState.get()) {
                restoredWatermark = Math.max(restoredWatermark, w);
            }
        }
    }

}
