package io.clickstream.streaming.model;

/** A row of the {@code page_minute_agg} table: one page in one 1-minute event-time window. */
public class PageMinuteRow {
    public long windowStart;
    public String page;
    public long events;
    public long pageViews;
    public long clicks;
    public long addToCarts;
    public long checkouts;
    public long purchases;
    /** Distinct users with any event in the window. */
    public long uniqueUsers;
    /** Distinct users with a page view in the window (the audience of {@link #pageViews}). */
    public long uniqueViewers;
    /** DataSketches HLL_8 sketch (compact bytes) of the window's user ids. */
    public byte[] usersHll;
    /** Write order for the table's sequence field: the number of distinct events folded in. */
    public long revision;
    /** {@code provisional} or {@code final} ({@link io.clickstream.tables.Finality}); the batch correction writes {@code corrected}. */
    public String finality;

    public PageMinuteRow() {}

    @Override
    public String toString() {
        return "PageMinuteRow{" + windowStart + " " + page + " events=" + events + " views=" + pageViews + " users="
            + uniqueUsers + "}";
    }
}
