package io.clickstream.streaming.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Mergeable state of one session window. Constant-size in the number of page views: the ordered
 * funnel only needs the earliest page view and the (few) later funnel events, each kept as an
 * order key {@code zero-padded event time | event_id}.
 */
public class SessionAccumulator {
    public long start = Long.MAX_VALUE;
    public long end = Long.MIN_VALUE;
    public long events;
    public long pageViews;
    public Set<String> pages = new HashSet<>();
    /** Order key of the earliest page view, or null. */
    public String firstPageView;
    public List<String> addToCarts = new ArrayList<>();
    public List<String> checkouts = new ArrayList<>();
    public List<String> purchases = new ArrayList<>();

    public SessionAccumulator() {}
}
