package io.clickstream.streaming.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.clickstream.streaming.metrics.PipelineMetric;
import io.clickstream.streaming.model.SourceRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *
 * <p>Since every record of a partition passes here, this is also where records and late verdicts are
 * counted: metrics {@link PipelineMetric#RECORDS_ACCEPTED}, {@link PipelineMetric#RECORDS_REJECTED} (per
 * reason), {@link PipelineMetric#RECORDS_BEYOND_LATENESS} and the gauges {@link PipelineMetric#PARTITION_WATERMARK}
 * and {@link PipelineMetric#PARTITION_WATERMARK_LAG}, and a warning in the log when, within one checkpoint interval,
 * more than {@code warnShare} of a partition's records (at least {@code warnMinRecords}) are beyond
 * the allowed lateness, so that a burst of late verdicts never stays silent.
 */
public class PartitionProgress extends ProcessFunction<SourceRecord, SourceRecord> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PartitionProgress.class);

    private final OutputTag<SourceRecord> rejected;
    private final long boundMs;
    private final Lateness lateness;
    private final double warnShare;
    private final long warnMinRecords;
    private transient Map<Integer, Long> maxEventTime;
    private transient ListState<Tuple2<Integer, Long>> state;
    private transient Map<Integer, PartitionStats> stats;
    private transient Map<String, Counter> rejectedByReason;

    /** Per-partition counters of one subtask; the interval counts restart at every checkpoint. */
    private static final class PartitionStats {
        Counter records;
        Counter lateRecords;
        long intervalRecords;
        long intervalLate;
    }

    public PartitionProgress(OutputTag<SourceRecord> rejected, Duration outOfOrderness, Lateness lateness,
            double warnShare, long warnMinRecords) {
        this.rejected = rejected;
        this.boundMs = outOfOrderness.toMillis();
        this.lateness = lateness;
        this.warnShare = warnShare;
        this.warnMinRecords = warnMinRecords;
    }

    @Override
    public void open(OpenContext openContext) {
        stats = new HashMap<>();
        rejectedByReason = new HashMap<>();
    }

    @Override
    public void processElement(SourceRecord r, Context ctx, Collector<SourceRecord> out) {
        if (!r.accepted()) {
            rejectedByReason.computeIfAbsent(r.reason, reason ->
                PipelineMetric.RECORDS_REJECTED.counter(getRuntimeContext().getMetricGroup(), reason)).inc();
            ctx.output(rejected, r);
            return;
        }
        Long max = maxEventTime.get(r.partition);
        r.partitionWatermark = max == null ? Long.MIN_VALUE : max - boundMs - 1;
        if (max == null || r.event.eventTime > max) {
            maxEventTime.put(r.partition, r.event.eventTime);
        }
        PartitionStats s = stats.get(r.partition);
        if (s == null) {
            s = register(r.partition);
        }
        s.records.inc();
        s.intervalRecords++;
        if (lateness.isBeyond(r.event.eventTime, r.partitionWatermark)) {
            s.lateRecords.inc();
            s.intervalLate++;
        }
        out.collect(r);
    }

    private PartitionStats register(int partition) {
        PartitionStats s = new PartitionStats();
        MetricGroup g = getRuntimeContext().getMetricGroup();
        String p = Integer.toString(partition);
        s.records = PipelineMetric.RECORDS_ACCEPTED.counter(g, p);
        s.lateRecords = PipelineMetric.RECORDS_BEYOND_LATENESS.counter(g, p);
        PipelineMetric.PARTITION_WATERMARK.gauge(g, (Gauge<Double>) () -> {
            Long max = maxEventTime.get(partition);
            return max == null ? Double.NaN : (max - boundMs - 1) / 1000.0;
        }, p);
        PipelineMetric.PARTITION_WATERMARK_LAG.gauge(g, (Gauge<Double>) () -> {
            Long max = maxEventTime.get(partition);
            return max == null ? Double.NaN : (System.currentTimeMillis() - (max - boundMs - 1)) / 1000.0;
        }, p);
        stats.put(partition, s);
        return s;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        List<Tuple2<Integer, Long>> entries = new ArrayList<>();
        maxEventTime.forEach((p, t) -> entries.add(Tuple2.of(p, t)));
        state.update(entries);
        if (stats != null) {
            stats.forEach((p, s) -> {
                if (isLateBurst(s.intervalLate, s.intervalRecords)) {
                    LOG.warn("Partition {}: {} of {} records ({}%) read before checkpoint {} are beyond the allowed lateness "
                            + "of their partition's watermark (warning threshold {}%). Producers send old events, or a "
                            + "partition was replayed out of order: they go to the late topic and wait for the batch correction.",
                        p, s.intervalLate, s.intervalRecords, Math.round(100.0 * s.intervalLate / s.intervalRecords),
                        context.getCheckpointId(), Math.round(100 * warnShare));
                }
                s.intervalRecords = 0;
                s.intervalLate = 0;
            });
        }
    }

    /** Whether {@code late} of {@code records} read in one checkpoint interval is a burst worth a warning. */
    public boolean isLateBurst(long late, long records) {
        return records >= warnMinRecords && late > warnShare * records;
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
