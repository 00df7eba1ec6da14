package io.clickstream.loadgen;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.clickstream.tables.ClickEvent;
import io.clickstream.tables.DlqReason;
import io.clickstream.tables.EventType;

/**
 * What every table must contain, computed from the generated records with plain collections and
 * no code of the pipeline: the independent truth that tests and the demo compare with.
 *
 * <p>The rules are the product's definitions: duplicates (same event_id) count once; events that
 * arrive beyond the allowed lateness (judged by their partition's watermark, see {@link #add}) are in
 * the raw and deduplicated tables and on clicks.late, but not in the minute aggregates or sessions; sessions split where a user's events
 * are at least the session gap apart; the funnel is ordered (see {@link EventType#advanceFunnel}).
 */
public final class GroundTruth {

    /** Expected row of the minute aggregates. */
    public record MinuteRow(long windowStart, String page, long events, long pageViews, long clicks, long addToCarts,
            long checkouts, long purchases, long uniqueUsers, long uniqueViewers) {}

    /** Expected row of the sessions table. */
    public record SessionRow(String userId, long start, long end, long events, long pageViews, long distinctPages,
            int funnelStep) {}

    /**
     * Expected row of the hour or day rollup: {@code period} is the hour start ({@code 2026-01-05T08:00})
     * or the day ({@code 2026-01-05}); every distinct event counts once, late ones included.
     */
    public record RollupRow(String period, String page, long events, long pageViews, long clicks, long addToCarts,
            long checkouts, long purchases, long lateEvents, long uniqueUsers, long uniqueViewers) {
        /** The row as {@code period|page|events|page_views|clicks|add_to_carts|checkouts|purchases|late_events|unique_users|unique_viewers}. */
        public String joined() {
            return String.join("|", period, page, "" + events, "" + pageViews, "" + clicks, "" + addToCarts, "" + checkouts,
                "" + purchases, "" + lateEvents, "" + uniqueUsers, "" + uniqueViewers);
        }
    }

    /** Expected row of the daily funnel. */
    public record FunnelRow(String dt, int step, long sessions, long entrants) {}

    public final Map<Integer, Long> validPerPartition = new TreeMap<>();
    public final Map<Integer, Long> dlqPerPartition = new TreeMap<>();
    public final Map<DlqReason, Long> dlqPerReason = new TreeMap<>();
    public final Map<String, ClickEvent> distinctEvents = new LinkedHashMap<>();
    public final Set<String> lateEventIds = new HashSet<>();
    public long records;
    public long duplicates;

    private final Duration window;
    private final Duration sessionGap;

    private final Duration outOfOrderness;
    private final Duration allowedLateness;
    private final Map<Integer, Long> maxEventTimePerPartition = new TreeMap<>();
    private final Map<String, Boolean> lateVerdicts = new HashMap<>();

    /**
     * @param window          size of the minute windows
     * @param sessionGap      inactivity gap of sessions
     * @param outOfOrderness  bound of the partition watermarks
     * @param allowedLateness how late an event may be and still update its window
     */
    public GroundTruth(Duration window, Duration sessionGap, Duration outOfOrderness, Duration allowedLateness) {
        this.window = window;
        this.sessionGap = sessionGap;
        this.outOfOrderness = outOfOrderness;
        this.allowedLateness = allowedLateness;
    }

    /** Truth for records given in produce order (which is offset order within each partition). */
    public static GroundTruth of(Iterable<GeneratedRecord> records, Duration window, Duration sessionGap,
            Duration outOfOrderness, Duration allowedLateness) {
        GroundTruth t = new GroundTruth(window, sessionGap, outOfOrderness, allowedLateness);
        records.forEach(t::add);
        return t;
    }

    /**
     * Adds the next record in produce order. An event is late when its window's last millisecond plus
     * the allowed lateness is not after its partition's watermark: the largest event time seen earlier
     * in the same partition minus the out-of-orderness bound. Every copy of an event must get the same
     * verdict, since any copy may be the one the pipeline sees first; traffic where they differ is
     * ambiguous and rejected.
     */
    public void add(GeneratedRecord r) {
        records++;
        if (r.kind == GeneratedRecord.Kind.MALFORMED) {
            dlqPerPartition.merge(r.partition, 1L, Long::sum);
            dlqPerReason.merge(r.expectedReason, 1L, Long::sum);
            return;
        }
        validPerPartition.merge(r.partition, 1L, Long::sum);
        if (distinctEvents.putIfAbsent(r.event.eventId, r.event) != null) {
            duplicates++;
        }
        Long max = maxEventTimePerPartition.get(r.partition);
        long size = window.toMillis();
        long windowMax = Math.floorDiv(r.event.eventTime, size) * size + size - 1;
        boolean late = max != null && windowMax + allowedLateness.toMillis() <= max - outOfOrderness.toMillis() - 1;
        Boolean earlier = lateVerdicts.putIfAbsent(r.event.eventId, late);
        if (earlier != null && earlier != late) {
            throw new IllegalStateException("ambiguous traffic: copies of " + r.event.eventId
                + " are late in one partition and on time in another");
        }
        if (late) {
            lateEventIds.add(r.event.eventId);
        }
        if (max == null || r.event.eventTime > max) {
            maxEventTimePerPartition.put(r.partition, r.event.eventTime);
        }
    }

    /**
     * What the DLQ replay adds once it re-produced a repairable record ({@link GeneratedRecord#repairsTo})
     * to raw partition {@code partition}: one more valid raw record, and its event, unless already known,
     * as a late one (the job sends every replay down the correction path). The original stays a DLQ record.
     */
    public void replayed(GeneratedRecord r, int partition) {
        if (r.repairsTo == null) {
            throw new IllegalArgumentException("not a repairable record: " + r.kind + " " + r.expectedReason);
        }
        records++;
        validPerPartition.merge(partition, 1L, Long::sum);
        if (distinctEvents.putIfAbsent(r.repairsTo.eventId, r.repairsTo) != null) {
            duplicates++;
        } else {
            lateEventIds.add(r.repairsTo.eventId);
        }
    }

    public long validRecords() {
        return validPerPartition.values().stream().mapToLong(Long::longValue).sum();
    }

    public long dlqRecords() {
        return dlqPerPartition.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Distinct events that the streaming windows and sessions see (not beyond the allowed lateness). */
    public List<ClickEvent> windowedEvents() {
        List<ClickEvent> out = new ArrayList<>();
        for (ClickEvent e : distinctEvents.values()) {
            if (!lateEventIds.contains(e.eventId)) {
                out.add(e);
            }
        }
        return out;
    }

    public List<MinuteRow> minuteRows() {
        return minuteRows(windowedEvents());
    }

    /** Minute rows over every distinct event, late ones included: what the batch correction must produce. */
    public List<MinuteRow> correctedMinuteRows() {
        return minuteRows(new ArrayList<>(distinctEvents.values()));
    }

    private List<MinuteRow> minuteRows(List<ClickEvent> events) {
        long size = window.toMillis();
        Map<String, List<ClickEvent>> groups = new TreeMap<>();
        for (ClickEvent e : events) {
            long start = Math.floorDiv(e.eventTime, size) * size;
            groups.computeIfAbsent(start + "|" + e.page, k -> new ArrayList<>()).add(e);
        }
        List<MinuteRow> rows = new ArrayList<>();
        for (List<ClickEvent> g : groups.values()) {
            ClickEvent first = g.get(0);
            long start = Math.floorDiv(first.eventTime, size) * size;
            Set<String> users = new HashSet<>();
            Set<String> viewers = new HashSet<>();
            long[] byType = new long[EventType.values().length];
            for (ClickEvent e : g) {
                users.add(e.userId);
                if (e.type() == EventType.PAGE_VIEW) {
                    viewers.add(e.userId);
                }
                byType[e.type().ordinal()]++;
            }
            rows.add(new MinuteRow(start, first.page, g.size(), byType[EventType.PAGE_VIEW.ordinal()],
                byType[EventType.CLICK.ordinal()], byType[EventType.ADD_TO_CART.ordinal()],
                byType[EventType.CHECKOUT.ordinal()], byType[EventType.PURCHASE.ordinal()], users.size(),
                viewers.size()));
        }
        return rows;
    }

    /** Sessions of the events the stream sees (late ones excluded): what the streaming job writes. */
    public List<SessionRow> sessionRows() {
        return sessionRows(windowedEvents());
    }

    /** Sessions over every distinct event, late ones included: what the batch correction must produce. */
    public List<SessionRow> correctedSessionRows() {
        return sessionRows(new ArrayList<>(distinctEvents.values()));
    }

    /**
     * A user's events, in (event time, event id) order, split where the gap to the previous event is
     * more than the session gap: Flink's session windows merge windows [t, t + gap) that touch.
     */
    private List<SessionRow> sessionRows(List<ClickEvent> input) {
        Map<String, List<ClickEvent>> byUser = new TreeMap<>();
        for (ClickEvent e : input) {
            byUser.computeIfAbsent(e.userId, k -> new ArrayList<>()).add(e);
        }
        List<SessionRow> rows = new ArrayList<>();
        Comparator<ClickEvent> order = Comparator.comparingLong((ClickEvent e) -> e.eventTime).thenComparing(e -> e.eventId);
        for (List<ClickEvent> events : byUser.values()) {
            events.sort(order);
            List<ClickEvent> current = new ArrayList<>();
            for (ClickEvent e : events) {
                if (!current.isEmpty() && e.eventTime - current.get(current.size() - 1).eventTime > sessionGap.toMillis()) {
                    rows.add(session(current));
                    current = new ArrayList<>();
                }
                current.add(e);
            }
            if (!current.isEmpty()) {
                rows.add(session(current));
            }
        }
        return rows;
    }

    private static SessionRow session(List<ClickEvent> events) {
        int funnel = 0;
        long views = 0;
        Set<String> pages = new HashSet<>();
        for (ClickEvent e : events) {
            funnel = EventType.advanceFunnel(funnel, e.type());
            views += e.type() == EventType.PAGE_VIEW ? 1 : 0;
            pages.add(e.page);
        }
        return new SessionRow(events.get(0).userId, events.get(0).eventTime, events.get(events.size() - 1).eventTime,
            events.size(), views, pages.size(), funnel);
    }

    public List<FunnelRow> funnelRows() {
        return funnelRows(sessionRows());
    }

    /** The funnel over the corrected sessions (late events included). */
    public List<FunnelRow> correctedFunnelRows() {
        return funnelRows(correctedSessionRows());
    }

    private static List<FunnelRow> funnelRows(List<SessionRow> sessions) {
        Map<String, long[]> perDay = new TreeMap<>();
        for (SessionRow s : sessions) {
            long[] reached = perDay.computeIfAbsent(day(s.start()), k -> new long[EventType.FUNNEL_STEPS + 1]);
            for (int step = 1; step <= s.funnelStep(); step++) {
                reached[step]++;
            }
        }
        List<FunnelRow> rows = new ArrayList<>();
        perDay.forEach((dt, reached) -> {
            for (int step = 1; step <= EventType.FUNNEL_STEPS; step++) {
                rows.add(new FunnelRow(dt, step, reached[step], reached[1]));
            }
        });
        return rows;
    }

    /** The hourly rollup per page over every distinct event (what the batch rollup must produce). */
    public List<RollupRow> hourRollup() {
        return rollup(e -> Instant.ofEpochMilli(e.eventTime).atOffset(ZoneOffset.UTC).toLocalDateTime()
            .withMinute(0).withSecond(0).withNano(0).toString());
    }

    /** The daily rollup per page over every distinct event. */
    public List<RollupRow> dayRollup() {
        return rollup(e -> day(e.eventTime));
    }

    private List<RollupRow> rollup(java.util.function.Function<ClickEvent, String> period) {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Set<String>> users = new HashMap<>();
        Map<String, Set<String>> viewers = new HashMap<>();
        for (ClickEvent e : distinctEvents.values()) {
            String key = period.apply(e) + "|" + e.page;
            long[] c = counts.computeIfAbsent(key, k -> new long[EventType.values().length + 2]);
            c[0]++;
            c[1 + e.type().ordinal()]++;
            c[c.length - 1] += lateEventIds.contains(e.eventId) ? 1 : 0;
            users.computeIfAbsent(key, k -> new HashSet<>()).add(e.userId);
            Set<String> v = viewers.computeIfAbsent(key, k -> new HashSet<>());
            if (e.type() == EventType.PAGE_VIEW) {
                v.add(e.userId);
            }
        }
        List<RollupRow> rows = new ArrayList<>();
        counts.forEach((key, c) -> {
            String[] k = key.split("\\|", 2);
            rows.add(new RollupRow(k[0], k[1], c[0], c[1 + EventType.PAGE_VIEW.ordinal()], c[1 + EventType.CLICK.ordinal()],
                c[1 + EventType.ADD_TO_CART.ordinal()], c[1 + EventType.CHECKOUT.ordinal()], c[1 + EventType.PURCHASE.ordinal()],
                c[c.length - 1], users.get(key).size(), viewers.get(key).size()));
        });
        return rows;
    }

    /** UTC day (yyyy-MM-dd) of an epoch-millisecond instant: the partition value of every table. */
    public static String day(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }
}
