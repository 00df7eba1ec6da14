package io.clickstream.service;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-API-key token buckets counted in events: each key gets {@code burst} tokens, refilled at
 * {@code ratePerSecond}; a batch of n events takes n tokens or, if there are not enough, nothing
 * (all or none, so a refused batch costs the client nothing) and the caller answers 429 with the
 * wait after which the same batch would be admitted ({@link Decision#retryAfterSeconds()}).
 *
 * <p>Counting events rather than requests is the point: one request of 1,000 events costs the broker
 * and the stream job 1,000 times what one event does. The clock is injectable so that tests are exact.
 */
public final class RateLimiter {
    private final double ratePerSecond;
    private final long burst;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** The verdict for one batch: admitted, or the whole seconds to wait before retrying it. */
    public record Decision(boolean admitted, long retryAfterSeconds) {
        static final Decision ADMITTED = new Decision(true, 0);
    }

    private static final class Bucket {
        double tokens;
        long lastNanos;

        Bucket(double tokens, long lastNanos) {
            this.tokens = tokens;
            this.lastNanos = lastNanos;
        }
    }

    public RateLimiter(double ratePerSecond, long burst, LongSupplier nanoClock) {
        if (ratePerSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.nanoClock = nanoClock;
    }

    public RateLimiter(double ratePerSecond, long burst) {
        this(ratePerSecond, burst, System::nanoTime);
    }

    /** Takes {@code events} tokens from {@code keyId}'s bucket if it holds that many. */
    public Decision tryAcquire(String keyId, long events) {
        if (events > burst) {
            throw new IllegalArgumentException(events + " events can never fit a bucket of " + burst);
        }
        long now = nanoClock.getAsLong();
        Bucket b = buckets.computeIfAbsent(keyId, k -> new Bucket(burst, now));
        synchronized (b) {
            long elapsed = now - b.lastNanos;
            if (elapsed > 0) {
                b.tokens = Math.min(burst, b.tokens + elapsed * ratePerSecond / 1e9);
                b.lastNanos = now;
            }
            if (b.tokens >= events) {
                b.tokens -= events;
                return Decision.ADMITTED;
            }
            double missing = events - b.tokens;
            long seconds = (long) Math.ceil(missing / ratePerSecond);
            return new Decision(false, Math.max(1, seconds));
        }
    }
}
