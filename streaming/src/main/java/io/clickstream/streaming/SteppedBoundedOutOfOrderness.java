package io.clickstream.streaming;

import java.time.Duration;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness watermarks that are also emitted as soon as the event time has advanced
 * by {@code step}, not only on the periodic timer.
 *
 * <p>With purely periodic watermarks, whether an event counts as late depends on how many records
 * were read between two timer ticks (a fast replay reads minutes of event time per tick). Emitting
 * on the data keeps the watermark within {@code step} of what the data says, so replays, restarts and
 * tests decide lateness the same way, at the cost of at most one watermark per step of event time.
 */
public final class SteppedBoundedOutOfOrderness<T> implements WatermarkGenerator<T> {
    private final long bound;
    private final long step;
    private long maxTimestamp;
    private long lastEmitted = Long.MIN_VALUE;

    public SteppedBoundedOutOfOrderness(Duration bound, Duration step) {
        this.bound = bound.toMillis();
        this.step = Math.max(1, step.toMillis());
        this.maxTimestamp = Long.MIN_VALUE + this.bound + 1;
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp > maxTimestamp) {
            maxTimestamp = eventTimestamp;
            long wm = current();
            if (lastEmitted == Long.MIN_VALUE || wm - lastEmitted >= step) {
                emit(wm, output);
            }
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        emit(current(), output);
    }

    private long current() {
        return maxTimestamp - bound - 1;
    }

    private void emit(long wm, WatermarkOutput output) {
        if (wm > lastEmitted) {
            lastEmitted = wm;
            output.emitWatermark(new Watermark(wm));
        }
    }
}
