package io.clickstream.service;

import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The hot path's state: the rows of {@code page_minute_agg} of the last {@code retention} of event
 * time (back from the newest window seen), by window start and page, kept current by
 * {@link PaimonChangelogFeed}. Reads are lock-free (concurrent maps); a row is replaced as a whole.
 *
 * <p>{@link #horizon()} is the first window start the store is authoritative for: every window at or
 * after it is here (the feed started from a full snapshot, then followed the changelog), every window
 * before it must come from history. Eviction keeps a margin below the horizon so that a query that
 * read the horizon a moment ago still finds its windows.
 */
public final class MinuteStore {
    static final long MINUTE = 60_000L;
    private static final long EVICTION_MARGIN = 10 * MINUTE;

    /** One minute row of one page: the metric columns and the users sketch. */
    public record Row(long events, long pageViews, long clicks, long addToCarts, long checkouts, long purchases,
            long uniqueUsers, long uniqueViewers, byte[] usersHll) {}

    private final long retentionMs;
    private final ConcurrentSkipListMap<Long, Map<String, Row>> byMinute = new ConcurrentSkipListMap<>();
    private volatile long newestWindowStart = Long.MIN_VALUE;
    private volatile boolean ready;

    public MinuteStore(long retentionMs) {
        this.retentionMs = retentionMs;
    }

    /** Inserts or replaces a row (changelog +I, +U). */
    public void upsert(long windowStart, String page, Row row) {
        byMinute.computeIfAbsent(windowStart, k -> new ConcurrentHashMap<>()).put(page, row);
        if (windowStart > newestWindowStart) {
            newestWindowStart = windowStart;
        }
    }

    /** Removes a row (changelog -U, -D). */
    public void remove(long windowStart, String page) {
        Map<String, Row> m = byMinute.get(windowStart);
        if (m != null) {
            m.remove(page);
        }
    }

    /** Drops windows well below the horizon. */
    public void evict() {
        long h = horizon();
        if (h != Long.MAX_VALUE) {
            byMinute.headMap(h - EVICTION_MARGIN).clear();
        }
    }

    /** Called by the feed once the first (full) snapshot is in: from then on the store answers. */
    void markReady() {
        ready = true;
    }

    /** Called by the feed when it stopped: everything is answered from history again. */
    void markUnavailable() {
        ready = false;
    }

    public boolean ready() {
        return ready;
    }

    /** First window start served from here ({@code Long.MAX_VALUE} while there is nothing). */
    public long horizon() {
        long n = newestWindowStart;
        return !ready || n == Long.MIN_VALUE ? Long.MAX_VALUE : n + MINUTE - retentionMs;
    }

    /** End of the newest window seen (the hot path's event-time watermark), or {@code Long.MIN_VALUE}. */
    public long watermark() {
        long n = newestWindowStart;
        return n == Long.MIN_VALUE ? Long.MIN_VALUE : n + MINUTE;
    }

    /** Windows with start in [from, to). */
    public NavigableMap<Long, Map<String, Row>> range(long from, long to) {
        return byMinute.subMap(from, true, to, false);
    }
}
