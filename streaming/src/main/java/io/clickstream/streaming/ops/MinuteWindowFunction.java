package io.clickstream.streaming.ops;

import io.clickstream.streaming.model.MinuteAccumulator;
import io.clickstream.streaming.model.PageMinuteRow;
import io.clickstream.tables.EventType;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns a fired minute window into a full {@link PageMinuteRow}. Fires again for every event within
 * the allowed lateness, always with the complete window contents, so the row is an absolute value
 * (an upsert), never a delta.
 */
public class MinuteWindowFunction extends ProcessWindowFunction<MinuteAccumulator, PageMinuteRow, String, TimeWindow> {
    private static final long serialVersionUID = 1L;
    /** HLL precision of the stored sketches: ~1.6% relative error, 2 KiB per row at most. */
    public static final int HLL_LG_K = 12;

    @Override
    public void process(String page, Context ctx, Iterable<MinuteAccumulator> accs, Collector<PageMinuteRow> out) {
        MinuteAccumulator acc = accs.iterator().next();
        PageMinuteRow row = new PageMinuteRow();
        row.windowStart = ctx.window().getStart();
        row.page = page;
        row.pageViews = acc.countsByType[EventType.PAGE_VIEW.ordinal()];
        row.clicks = acc.countsByType[EventType.CLICK.ordinal()];
        row.addToCarts = acc.countsByType[EventType.ADD_TO_CART.ordinal()];
        row.checkouts = acc.countsByType[EventType.CHECKOUT.ordinal()];
        row.purchases = acc.countsByType[EventType.PURCHASE.ordinal()];
        row.events = row.pageViews + row.clicks + row.addToCarts + row.checkouts + row.purchases;
        row.uniqueUsers = acc.users.size();
        row.uniqueViewers = acc.viewers.size();
        // In sorted order: a sketch of few users keeps them as a list in insertion order, and the bytes
        // must not depend on the order events arrived in (replays and restarts compare tables byte for byte).
        HllSketch sketch = new HllSketch(HLL_LG_K, TgtHllType.HLL_8);
        acc.users.stream().sorted().forEach(sketch::update);
        row.usersHll = sketch.toCompactByteArray();
        row.revision = row.events;
        out.collect(row);
    }
}
