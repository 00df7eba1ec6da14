package io.clickstream.streaming.ops;

import java.util.HashMap;
import java.util.Map;

import io.clickstream.streaming.metrics.PipelineMetric;
import io.clickstream.streaming.model.DedupedEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks events that a window operator found late (its side output) with that stage, counts them per
 * source partition ({@link PipelineMetric#LATE_AT_WINDOW}) and logs a warning.
 *
 * <p>The dedup operator only lets through events that are on time by their partition's watermark,
 * and the job-wide watermark does not pass a partition that is still delivering. So an event here
 * means the job-wide watermark moved on without its partition: the partition had been idle longer
 * than {@code clickstream.watermark.idle-timeout}. The event is not lost (it goes to the late topic and the batch
 * correction fixes its minute rows), but it is a verdict the per-partition rule did not make, so it
 * is never silent.
 */
public class LateAtWindow extends RichMapFunction<DedupedEvent, DedupedEvent> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LateAtWindow.class);

    private final String stage;
    private transient Map<Integer, Counter> counters;

    public LateAtWindow(String stage) {
        this.stage = stage;
    }

    @Override
    public void open(OpenContext openContext) {
        counters = new HashMap<>();
    }

    @Override
    public DedupedEvent map(DedupedEvent d) {
        Counter c = counters.computeIfAbsent(d.partition, p ->
            PipelineMetric.LATE_AT_WINDOW.counter(getRuntimeContext().getMetricGroup(), Integer.toString(p)));
        c.inc();
        long n = c.getCount();
        if (n == 1 || Long.bitCount(n) == 1) {
            LOG.warn("{} events of partition {} were on time by their partition's watermark but late for the {} stage "
                    + "(latest: event {} at {}, offset {}): the job-wide watermark passed the partition while it was idle "
                    + "beyond clickstream.watermark.idle-timeout. They go to the late topic for the batch correction.",
                n, d.partition, stage, d.event.eventId, java.time.Instant.ofEpochMilli(d.event.eventTime), d.offset);
        }
        return d.asLate(stage);
    }
}
