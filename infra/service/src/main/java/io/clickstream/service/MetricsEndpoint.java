package io.clickstream.service;

import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;

/**
 * {@code GET /v1/metrics/{metric}?from=&to=&granularity=minute|hour|day&page=}: one series of windows
 * stitched from the hot path ({@link MinuteStore}, fed by Paimon's changelog) for windows at or after
 * its horizon, and from the Iceberg serving table through Trino ({@link TrinoHistory}) before it. A
 * bucket that straddles the horizon (an hour or day) adds the minute rows of both sides: the two sides
 * cover disjoint minutes, so counts add and sketches union without counting a minute twice.
 *
 * <p>Each window says where it came from ({@code hot}, {@code history}, {@code hot+history}) and its
 * finality: {@code provisional} while its end plus the job's allowed lateness is after the hot path's
 * watermark (the end of the newest minute it has seen; the service's clock when there is no hot
 * path), since a late event can still change it, {@code final} after. Distinct users over more than
 * one minute or page are the union of the {@code users_hll} sketches ({@code "estimate": true}), never
 * a sum of distinct counts. {@code from} is rounded down and {@code to} up to the granularity.
 */
public final class MetricsEndpoint implements Handler {
    /** Most windows one answer may hold. */
    static final int MAX_WINDOWS = 10_000;
    private static final int LG_K = 12;

    /** Window sizes. */
    enum Granularity {
        MINUTE(60_000L), HOUR(3_600_000L), DAY(86_400_000L);

        final long millis;

        Granularity(long millis) {
            this.millis = millis;
        }

        String unit() {
            return name().toLowerCase();
        }

        long floor(long t) {
            return Math.floorDiv(t, millis) * millis;
        }
    }

    private static final class Acc {
        long sum;
        Union union;
        boolean hot;
        boolean history;
    }

    private final ServiceApiOptions options;
    private final ApiKeys keys;
    private final MinuteStore store;
    private final TrinoHistory history;
    private final LongSupplier clock;

    /** {@code store} and {@code history} may be null (not configured). */
    public MetricsEndpoint(ServiceApiOptions options, ApiKeys keys, MinuteStore store, TrinoHistory history, LongSupplier clock) {
        this.options = options;
        this.keys = keys;
        this.store = store;
        this.history = history;
        this.clock = clock;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        if (EventsEndpoint.authenticate(ctx, keys).isEmpty()) {
            return;
        }
        Optional<Metric> metric = Metric.fromPath(ctx.pathParam("metric"));
        if (metric.isEmpty()) {
            EventsEndpoint.error(ctx, 404, "unknown_metric", "metric must be one of "
                + java.util.Arrays.stream(Metric.values()).map(Metric::column).toList());
            return;
        }
        Granularity g;
        long from;
        long to;
        try {
            g = Granularity.valueOf(Optional.ofNullable(ctx.queryParam("granularity")).orElse("minute").toUpperCase());
        } catch (IllegalArgumentException e) {
            EventsEndpoint.error(ctx, 400, "bad_request", "granularity must be minute, hour or day");
            return;
        }
        try {
            from = Instant.parse(require(ctx, "from")).toEpochMilli();
            to = Instant.parse(require(ctx, "to")).toEpochMilli();
        } catch (IllegalArgumentException | DateTimeParseException e) {
            EventsEndpoint.error(ctx, 400, "bad_request", "from and to are required ISO-8601 instants (e.g. 2026-01-05T08:00:00Z): "
                + e.getMessage());
            return;
        }
        String page = ctx.queryParam("page");
        if (!(from < to)) {
            EventsEndpoint.error(ctx, 400, "bad_request", "from must be before to");
            return;
        }
        long start = g.floor(from);
        long end = -Math.floorDiv(-to, g.millis) * g.millis;
        if ((end - start) / g.millis > MAX_WINDOWS) {
            EventsEndpoint.error(ctx, 400, "bad_request", "at most " + MAX_WINDOWS + " windows per request; use a coarser granularity");
            return;
        }
        Metric m = metric.get();
        boolean exact = !m.distinct() || (g == Granularity.MINUTE && page != null);
        if (!exact && m == Metric.UNIQUE_VIEWERS) {
            EventsEndpoint.error(ctx, 400, "bad_request", "unique_viewers is only available per minute and page "
                + "(granularity=minute&page=...): there is no sketch of viewers to merge, and distinct counts never add up");
            return;
        }
        long horizon = store == null ? Long.MAX_VALUE : store.horizon();
        long histEnd = Math.min(end, horizon);
        long hotStart = Math.max(start, horizon);
        if (histEnd > start && history == null) {
            EventsEndpoint.error(ctx, 503, "history_unavailable", "windows before " + (horizon == Long.MAX_VALUE ? "now"
                : Instant.ofEpochMilli(horizon)) + " come from Trino, and no --trino-url is configured");
            return;
        }
        TreeMap<Long, Acc> buckets = new TreeMap<>();
        try {
            if (histEnd > start) {
                if (exact) {
                    history.sums(m, g.unit(), start, histEnd, page, (b, v) -> {
                        Acc a = acc(buckets, b);
                        a.sum += v;
                        a.history = true;
                    });
                } else {
                    history.sketches(start, histEnd, page, (ws, bytes) -> {
                        Acc a = acc(buckets, g.floor(ws));
                        union(a).update(HllSketch.heapify(bytes));
                        a.history = true;
                    });
                }
            }
        } catch (SQLException e) {
            EventsEndpoint.error(ctx, 503, "history_unavailable", "the Trino query failed: " + e.getMessage());
            return;
        }
        if (store != null && hotStart < end) {
            for (Map.Entry<Long, Map<String, MinuteStore.Row>> minute : store.range(hotStart, end).entrySet()) {
                Acc a = null;
                for (Map.Entry<String, MinuteStore.Row> r : minute.getValue().entrySet()) {
                    if (page != null && !page.equals(r.getKey())) {
                        continue;
                    }
                    if (a == null) {
                        a = acc(buckets, g.floor(minute.getKey()));
                        a.hot = true;
                    }
                    if (exact) {
                        a.sum += m.of(r.getValue());
                    } else {
                        union(a).update(HllSketch.heapify(r.getValue().usersHll()));
                    }
                }
            }
        }
        long watermark = store != null && store.watermark() != Long.MIN_VALUE ? store.watermark() : clock.getAsLong();
        long lateness = options.allowedLateness.toMillis();
        ObjectNode out = EventsEndpoint.JSON.createObjectNode();
        out.put("metric", m.column()).put("granularity", g.unit()).put("page", page)
            .put("from", Instant.ofEpochMilli(start).toString()).put("to", Instant.ofEpochMilli(end).toString())
            .put("estimate", !exact).put("watermark", Instant.ofEpochMilli(watermark).toString())
            .put("hot_from", horizon == Long.MAX_VALUE ? null : Instant.ofEpochMilli(horizon).toString());
        ArrayNode windows = out.putArray("windows");
        for (long b = start; b < end; b += g.millis) {
            Acc a = buckets.get(b);
            long value = a == null ? 0 : exact ? a.sum : a.union == null ? 0 : Math.round(a.union.getEstimate());
            boolean hot = b + g.millis > horizon;
            boolean hist = b < horizon;
            windows.addObject().put("window_start", Instant.ofEpochMilli(b).toString())
                .put("window_end", Instant.ofEpochMilli(b + g.millis).toString()).put("value", value)
                .put("finality", b + g.millis + lateness > watermark ? "provisional" : "final")
                .put("source", hot && hist ? "hot+history" : hot ? "hot" : "history");
        }
        ctx.status(200).contentType("application/json").result(EventsEndpoint.JSON.writeValueAsBytes(out));
    }

    private static String require(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing " + name);
        }
        return v;
    }

    private static Acc acc(TreeMap<Long, Acc> buckets, long b) {
        return buckets.computeIfAbsent(b, k -> new Acc());
    }

    private static Union union(Acc a) {
        if (a.union == null) {
            a.union = new Union(LG_K);
        }
        return a.union;
    }
}
