package io.clickstream.streaming.ops;

import java.util.List;

import io.clickstream.streaming.model.DedupedEvent;
import io.clickstream.streaming.model.SessionAccumulator;
import io.clickstream.streaming.model.SessionRow;
import io.clickstream.tables.EventType;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Mergeable session aggregate (session windows merge as events bridge gaps) that yields the
 * {@link SessionRow} directly, including the ordered funnel step.
 */
public class SessionAggregate implements AggregateFunction<DedupedEvent, SessionAccumulator, SessionRow> {
    private static final long serialVersionUID = 1L;

    @Override
    public SessionAccumulator createAccumulator() {
        return new SessionAccumulator();
    }

    @Override
    public SessionAccumulator add(DedupedEvent d, SessionAccumulator acc) {
        long t = d.event.eventTime;
        acc.start = Math.min(acc.start, t);
        acc.end = Math.max(acc.end, t);
        acc.events++;
        acc.pages.add(d.event.page);
        String key = orderKey(t, d.event.eventId);
        switch (d.event.type()) {
            case PAGE_VIEW:
                acc.pageViews++;
                if (acc.firstPageView == null || key.compareTo(acc.firstPageView) < 0) {
                    acc.firstPageView = key;
                }
                break;
            case ADD_TO_CART:
                acc.addToCarts.add(key);
                break;
            case CHECKOUT:
                acc.checkouts.add(key);
                break;
            case PURCHASE:
                acc.purchases.add(key);
                break;
            default:
                break;
        }
        return acc;
    }

    @Override
    public SessionAccumulator merge(SessionAccumulator a, SessionAccumulator b) {
        a.start = Math.min(a.start, b.start);
        a.end = Math.max(a.end, b.end);
        a.events += b.events;
        a.pageViews += b.pageViews;
        a.pages.addAll(b.pages);
        if (a.firstPageView == null || (b.firstPageView != null && b.firstPageView.compareTo(a.firstPageView) < 0)) {
            a.firstPageView = b.firstPageView;
        }
        a.addToCarts.addAll(b.addToCarts);
        a.checkouts.addAll(b.checkouts);
        a.purchases.addAll(b.purchases);
        return a;
    }

    @Override
    public SessionRow getResult(SessionAccumulator acc) {
        SessionRow row = new SessionRow();
        row.sessionStart = acc.start;
        row.sessionEnd = acc.end;
        row.events = acc.events;
        row.pageViews = acc.pageViews;
        row.distinctPages = acc.pages.size();
        row.funnelStep = funnelStep(acc);
        return row;
    }

    /**
     * The ordered funnel ({@link EventType#advanceFunnel}) evaluated greedily: step 1 at the first
     * page view, then the first add_to_cart after it, the first checkout after that, and so on.
     */
    static int funnelStep(SessionAccumulator acc) {
        if (acc.firstPageView == null) {
            return 0;
        }
        int step = 1;
        String at = acc.firstPageView;
        for (List<String> next : List.of(acc.addToCarts, acc.checkouts, acc.purchases)) {
            String earliestAfter = null;
            for (String k : next) {
                if (k.compareTo(at) > 0 && (earliestAfter == null || k.compareTo(earliestAfter) < 0)) {
                    earliestAfter = k;
                }
            }
            if (earliestAfter == null) {
                break;
            }
            step++;
            at = earliestAfter;
        }
        return step;
    }

    /** Sort key in (event time, event_id) order; event times have 13 digits until the year 2286. */
    static String orderKey(long eventTime, String eventId) {
        if (eventTime < 0) {
            return String.format("%013d|%s", eventTime, eventId);
        }
        // Same string as String.format("%013d|%s"), without the formatter (it was a visible share of the sessions task).
        String digits = Long.toString(eventTime);
        StringBuilder b = new StringBuilder(14 + digits.length() + eventId.length());
        for (int i = digits.length(); i < 13; i++) {
            b.append('0');
        }
        return b.append(digits).append('|').append(eventId).toString();
    }
}
