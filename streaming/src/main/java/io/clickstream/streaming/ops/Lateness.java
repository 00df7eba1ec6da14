package io.clickstream.streaming.ops;

import java.io.Serializable;
import java.time.Duration;

/**
 * The product's one rule for "too late": an event is beyond the allowed lateness when its minute
 * window's last millisecond plus the allowed lateness is not after its partition's watermark (the
 * largest event time seen earlier in the same partition minus the out-of-orderness bound).
 *
 * <p>It is the same comparison Flink's window operator makes for a late element, but fed with the
 * partition's own watermark instead of the job-wide one, so the verdict depends only on the order of
 * records within one partition: the same live, after idle gaps and broker outages, on replay and
 * after a restore. {@code GroundTruth} in the load generator states it independently.
 */
public final class Lateness implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long windowSizeMs;
    private final long allowedLatenessMs;

    public Lateness(Duration windowSize, Duration allowedLateness) {
        this.windowSizeMs = windowSize.toMillis();
        this.allowedLatenessMs = allowedLateness.toMillis();
    }

    /** Whether an event at {@code eventTime} is beyond the allowed lateness under {@code partitionWatermark}. */
    public boolean isBeyond(long eventTime, long partitionWatermark) {
        long windowStart = Math.floorDiv(eventTime, windowSizeMs) * windowSizeMs;
        long windowMaxTimestamp = windowStart + windowSizeMs - 1;
        return windowMaxTimestamp + allowedLatenessMs <= partitionWatermark;
    }
}
