package io.clickstream.streaming.metrics;

import java.util.Map;
import java.util.TreeMap;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/**
 * The map that turns a table's records into sink rows, counting on the way what the table's sinks
 * commit: rows passed on before a checkpoint barrier are committed when that checkpoint completes
 * (Paimon and Iceberg commit on it), so they move to {@link PipelineMetric#TABLE_ROWS_COMMITTED} then,
 * and {@link PipelineMetric#TABLE_LAST_COMMIT} takes the wall-clock time. Holds no state: after a
 * restore the counts start again from zero (as every Flink metric does), and the records the restore
 * replays are counted again when re-committed.
 */
public final class CommittedRows<T, R> extends RichMapFunction<T, R> implements CheckpointedFunction, CheckpointListener {
    private static final long serialVersionUID = 1L;

    private final String table;
    private final MapFunction<T, R> mapper;

    private transient long sinceBarrier;
    /** Rows per checkpoint not yet known to be complete. */
    private transient Map<Long, Long> pending;
    private transient Counter committed;
    private transient volatile double lastCommitSeconds;

    public CommittedRows(String table, MapFunction<T, R> mapper) {
        this.table = table;
        this.mapper = mapper;
    }

    @Override
    public void open(OpenContext openContext) {
        pending = new TreeMap<>();
        lastCommitSeconds = Double.NaN;
        committed = PipelineMetric.TABLE_ROWS_COMMITTED.counter(getRuntimeContext().getMetricGroup(), table);
        PipelineMetric.TABLE_LAST_COMMIT.gauge(getRuntimeContext().getMetricGroup(), (Gauge<Double>) () -> lastCommitSeconds, table);
    }

    @Override
    public R map(T value) throws Exception {
        sinceBarrier++;
        return mapper.map(value);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        if (sinceBarrier > 0) {
            pending.merge(context.getCheckpointId(), sinceBarrier, Long::sum);
            sinceBarrier = 0;
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        long rows = 0;
        var it = pending.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getKey() > checkpointId) {
                break;
            }
            rows += e.getValue();
            it.remove();
        }
        if (rows > 0) {
            committed.inc(rows);
            lastCommitSeconds = System.currentTimeMillis() / 1000.0;
        }
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        // No state: the counts are metrics, not data.
    }
}
