package io.clickstream.streaming.model;

import java.util.HashSet;
import java.util.Set;

/** Incremental state of one page's minute window: counts per event type and the exact set of users. */
public class MinuteAccumulator {
    /** Indexed by {@link io.clickstream.tables.EventType#ordinal()}. */
    public long[] countsByType = new long[5];
    public Set<String> users = new HashSet<>();
    /** Users with a page view. */
    public Set<String> viewers = new HashSet<>();

    public MinuteAccumulator() {}
}
