package io.clickstream.streaming.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.clickstream.streaming.model.SourceRecord;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Runs right after the Kafka source, in partition order: sends rejected records to a side output
 * and stamps every accepted record with its partition's watermark, i.e. the largest event time seen
 * before it in the same partition, minus the out-of-orderness bound.
 *
 * <p>That watermark is what the dedup operator judges lateness by. Unlike the job-wide watermark
 * (the minimum over partitions, emitted from time to time), it depends only on the order of records
 * within one partition, so the verdict "too late" is the same however fast partitions are read,
 * whether the job runs with one source subtask or many, and before and after a restore: the
 * per-partition maxima are checkpointed with the source offsets.
 */
public class PartitionProgress extends ProcessFunction<SourceRecord, SourceRecord> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    private final OutputTag<SourceRecord> rejected;
    private final long boundMs;
    private transient Map<Integer, Long> maxEventTime;
    private transient ListState<Tuple2<Integer, Long>> state;

    public PartitionProgress(OutputTag<SourceRecord> rejected, Duration outOfOrderness) {
        this.rejected = rejected;
        this.boundMs = outOfOrderness.toMillis();
    }

    @Override
    public void processElement(SourceRecord r, Context ctx, Collector<SourceRecord> out) {
        if (!r.accepted()) {
            ctx.output(rejected, r);
            return;
        }
        Long max = maxEventTime.get(r.partition);
        r.partitionWatermark = max == null ? Long.MIN_VALUE : max - boundMs - 1;
        if (max == null || r.event.eventTime > max) {
            maxEventTime.put(r.partition, r.event.eventTime);
        }
        out.collect(r);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        List<Tuple2<Integer, Long>> entries = new ArrayList<>();
        maxEventTime.forEach((p, t) -> entries.add(Tuple2.of(p, t)));
        state.update(entries);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        // Union state: after rescaling, a subtask may read any partition, so every subtask gets all maxima.
        state = context.getOperatorStateStore().getUnionListState(
            new ListStateDescriptor<>("partition-max-event-time", Types.TUPLE(Types.INT, Types.LONG)));
        maxEventTime = new HashMap<>();
        for (Tuple2<Integer, Long> e : state.get()) {
            maxEventTime.merge(e.f0, e.f1, Math::max);
        }
    }
}
