package io.clickstream.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Token buckets on a manual clock: burst, refill, all-or-nothing batches, Retry-After, keys apart. */
class RateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RateLimiter limiter = new RateLimiter(100, 300, now::get);

    @Test
    void burstThenRefillAtTheRate() {
        assertThat(limiter.tryAcquire("k", 300)).isEqualTo(new RateLimiter.Decision(true, 0));
        assertThat(limiter.tryAcquire("k", 1)).isEqualTo(new RateLimiter.Decision(false, 1));
        now.addAndGet(500_000_000L); // 0.5 s: 50 tokens back
        assertThat(limiter.tryAcquire("k", 50)).isEqualTo(new RateLimiter.Decision(true, 0));
        assertThat(limiter.tryAcquire("k", 1).admitted()).isFalse();
    }

    @Test
    void refusedBatchTakesNothingAndSaysHowLongToWait() {
        assertThat(limiter.tryAcquire("k", 250).admitted()).isTrue();
        // 50 left; 300 needs 250 more = 2.5 s at 100/s: Retry-After rounds up to 3.
        assertThat(limiter.tryAcquire("k", 300)).isEqualTo(new RateLimiter.Decision(false, 3));
        assertThat(limiter.tryAcquire("k", 50)).isEqualTo(new RateLimiter.Decision(true, 0));
        now.addAndGet(3_000_000_000L);
        assertThat(limiter.tryAcquire("k", 300)).isEqualTo(new RateLimiter.Decision(true, 0));
    }

    @Test
    void bucketNeverExceedsBurstAndKeysAreIndependent() {
        now.addAndGet(3_600_000_000_000L);
        assertThat(limiter.tryAcquire("a", 300).admitted()).isTrue();
        assertThat(limiter.tryAcquire("a", 1).admitted()).isFalse();
        assertThat(limiter.tryAcquire("b", 300).admitted()).isTrue();
        assertThatThrownBy(() -> limiter.tryAcquire("c", 301)).isInstanceOf(IllegalArgumentException.class);
    }
}
