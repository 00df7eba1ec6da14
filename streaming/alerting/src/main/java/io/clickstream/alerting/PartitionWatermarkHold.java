package io.clickstream.alerting;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs right after the Kafka source (same parallelism, forward): passes every record on at once, but holds the
 * watermark back until every partition this source subtask reads has delivered a record, or {@code timeout} (wall
 * time) has passed since the operator opened.
 *
 * <p>Why: Flink's Kafka source only lets a partition hold back the watermark once a record of it has been fetched
 * (a split's watermark output is created on its first record), and which partition the consumer fetches first is
 * not fixed. On a backlog (a start from earliest, a restore after downtime) the watermark of the partitions read
 * first would run minutes ahead; the evaluator would close those windows and the first records of the partitions
 * read later would be too late for them. The stream job does not need this: it judges lateness per partition and
 * its windows are corrected by upserts; here an alert once evaluated stays evaluated.
 *
 * <p>The timeout releases the hold when a partition stays empty (no traffic at all): alerts then wait at most that
 * long after a start. Partitions added later are held back by Flink as usual once they deliver.
 */
public class PartitionWatermarkHold extends AbstractStreamOperator<RawRecord> implements OneInputStreamOperator<RawRecord, RawRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PartitionWatermarkHold.class);

    private final String topic;
    private final List<Integer> partitions;
    private final long timeoutMs;
    private transient Set<Integer> waitingFor;
    private transient Watermark held;
    private transient boolean released;

    /**
     * @param topic      the topic the source reads (the owner of a partition depends on its name)
     * @param partitions all partitions of {@code topic} at job start
     * @param timeout    the longest the watermark is held back after the operator opened
     */
    public PartitionWatermarkHold(String topic, List<Integer> partitions, Duration timeout) {
        this.topic = topic;
        this.partitions = List.copyOf(partitions);
        this.timeoutMs = timeout.toMillis();
    }

    /**
     * The source subtask that reads a partition: Flink's Kafka source assigns partition {@code p} of topic {@code t}
     * to reader {@code ((t.hashCode() * 31 & 0x7FFFFFFF) + p) % readers} (KafkaSourceEnumerator#getSplitOwner, not
     * public; PartitionWatermarkHoldTest checks this against it).
     */
    static int owner(String topic, int partition, int readers) {
        int startIndex = ((topic.hashCode() * 31) & 0x7FFFFFFF) % readers;
        return (startIndex + partition) % readers;
    }

    @Override
    public void open() throws Exception {
        super.open();
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        int readers = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        waitingFor = new HashSet<>();
        for (int p : partitions) {
            if (owner(topic, p, readers) == subtask) {
                waitingFor.add(p);
            }
        }
        if (waitingFor.isEmpty() || timeoutMs <= 0) {
            released = true;
            return;
        }
        LOG.info("Holding the watermark back until partitions {} of {} have delivered (at most {} ms)", new TreeSet<>(waitingFor),
            topic, timeoutMs);
        long now = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService().registerTimer(now + timeoutMs, t -> {
            if (!released) {
                LOG.warn("Partitions {} of {} delivered nothing within {} ms: the watermark is no longer held back for them",
                    new TreeSet<>(waitingFor), topic, timeoutMs);
                release();
            }
        });
    }

    @Override
    public void processElement(StreamRecord<RawRecord> element) throws Exception {
        output.collect(element);
        if (!released && waitingFor.remove(element.getValue().partition) && waitingFor.isEmpty()) {
            LOG.info("Every partition of {} of this reader has delivered: the watermark moves on", topic);
            release();
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (released) {
            super.processWatermark(mark);
        } else {
            held = mark;
        }
    }

    private void release() throws Exception {
        released = true;
        if (held != null) {
            super.processWatermark(held);
            held = null;
        }
    }

    /** Whether the watermark is still held back (for tests). */
    boolean holding() {
        return !released;
    }
}
