package io.clickstream.streaming;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.clickstream.streaming.model.SourceRecord;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Sits right after the source in restart tests: counts the records of the first attempt, notes how
 * many had been seen when a checkpoint completed, and throws once when told to. Static state is
 * shared with the test, which runs the MiniCluster in the same JVM.
 */
final class FailureInjector extends RichMapFunction<SourceRecord, SourceRecord> implements CheckpointListener {
    private static final long serialVersionUID = 1L;

    static final AtomicLong SEEN = new AtomicLong();
    static final AtomicLong SEEN_AT_LAST_CHECKPOINT = new AtomicLong();
    static final AtomicLong FAIL_AT = new AtomicLong(Long.MAX_VALUE);
    static final AtomicInteger FAILURES = new AtomicInteger();
    /** Highest task attempt number that read a record: above 0 once the job failed over. */
    static final AtomicInteger MAX_ATTEMPT = new AtomicInteger();

    static void reset() {
        SEEN.set(0);
        SEEN_AT_LAST_CHECKPOINT.set(0);
        FAIL_AT.set(Long.MAX_VALUE);
        FAILURES.set(0);
        MAX_ATTEMPT.set(0);
    }

    private boolean firstAttempt() {
        return getRuntimeContext().getTaskInfo().getAttemptNumber() == 0;
    }

    @Override
    public SourceRecord map(SourceRecord r) {
        MAX_ATTEMPT.accumulateAndGet(getRuntimeContext().getTaskInfo().getAttemptNumber(), Math::max);
        if (firstAttempt()) {
            long n = SEEN.incrementAndGet();
            if (n >= FAIL_AT.get() && FAILURES.compareAndSet(0, 1)) {
                throw new IllegalStateException("injected failure after " + n + " records");
            }
        }
        return r;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (firstAttempt()) {
            SEEN_AT_LAST_CHECKPOINT.accumulateAndGet(SEEN.get(), Math::max);
        }
    }
}
