package io.clickstream.streaming.ops;

import java.time.Duration;

import io.clickstream.streaming.model.MinuteAccumulator;
import io.clickstream.streaming.model.PageMinuteRow;
import io.clickstream.tables.EventType;
import io.clickstream.tables.Finality;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns a fired minute window into a full {@link PageMinuteRow}. Fires again for every event within
 * the allowed lateness, always with the complete window contents, so the row is an absolute value
 * (an upsert), never a delta. A firing once the watermark has passed the window's end plus the allowed
 * lateness (the trigger's closing firing) is {@link Finality#FINAL}; every earlier one is provisional.
 */
public class MinuteWindowFunction extends ProcessWindowFunction<MinuteAccumulator, PageMinuteRow, String, TimeWindow> {
    private static final long serialVersionUID = 1L;
    /** HLL precision of the stored sketches: ~1.6% relative error, 2 KiB per row at most. */
    public static final int HLL_LG_K = 12;

    private final long allowedLatenessMs;

    /** {@code allowedLateness} must be the window operator's: a firing at or after end + lateness is final. */
    public MinuteWindowFunction(Duration allowedLateness) {
        this.allowedLatenessMs = allowedLateness.toMillis();
    }

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
        row.finality = (ctx.currentWatermark() >= ctx.window().maxTimestamp() + allowedLatenessMs
            ? Finality.FINAL : Finality.PROVISIONAL).sqlName();
        out.collect(row);
    }
}
