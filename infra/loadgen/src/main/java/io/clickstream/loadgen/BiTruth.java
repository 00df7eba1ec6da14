package io.clickstream.loadgen;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.clickstream.tables.ClickEvent;
import io.clickstream.tables.DlqReason;
import io.clickstream.tables.EventType;

/**
 * The expected result of every named BI query (the {@code bi/*.sql} files of infra/lakehouse),
 * computed in plain Java from the {@link GroundTruth} of the generated input: what Trino must return
 * if the pipeline lost nothing and counted nothing twice. Rows and values are rendered the way the
 * queries format them (strings as trino-jdbc's getString returns them).
 */
public final class BiTruth {
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:00").withZone(ZoneOffset.UTC);

    private BiTruth() {}

    /** Expected rows per query name. */
    public static Map<String, List<List<String>>> expected(GroundTruth t) {
        Map<String, List<List<String>>> out = new LinkedHashMap<>();
        List<GroundTruth.MinuteRow> minutes = t.minuteRows();

        List<GroundTruth.MinuteRow> busiest = new ArrayList<>(minutes);
        busiest.sort(Comparator.comparingLong(GroundTruth.MinuteRow::pageViews).reversed()
            .thenComparingLong(GroundTruth.MinuteRow::windowStart).thenComparing(GroundTruth.MinuteRow::page));
        out.put("top_pages_by_minute", busiest.stream().limit(10)
            .map(m -> row(MINUTE.format(Instant.ofEpochMilli(m.windowStart())), m.page(), m.pageViews(), m.uniqueViewers())).toList());

        Map<String, Map<String, Long>> viewsPerHour = new TreeMap<>();
        for (GroundTruth.MinuteRow m : minutes) {
            viewsPerHour.computeIfAbsent(HOUR.format(Instant.ofEpochMilli(m.windowStart())), k -> new HashMap<>())
                .merge(m.page(), m.pageViews(), Long::sum);
        }
        List<List<String>> topHour = new ArrayList<>();
        viewsPerHour.forEach((hour, pages) -> {
            List<Map.Entry<String, Long>> ranked = new ArrayList<>(pages.entrySet());
            ranked.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            for (int i = 0; i < Math.min(3, ranked.size()); i++) {
                topHour.add(row(hour, i + 1, ranked.get(i).getKey(), ranked.get(i).getValue()));
            }
        });
        out.put("top_pages_by_hour", topHour);

        Map<String, Set<String>> usersPerHour = new TreeMap<>();
        Map<String, Long> eventsPerHour = new TreeMap<>();
        for (ClickEvent e : t.distinctEvents.values()) {
            String hour = HOUR.format(Instant.ofEpochMilli(e.eventTime));
            usersPerHour.computeIfAbsent(hour, k -> new HashSet<>()).add(e.userId);
            eventsPerHour.merge(hour, 1L, Long::sum);
        }
        out.put("unique_users_by_hour", usersPerHour.entrySet().stream()
            .map(e -> row(e.getKey(), e.getValue().size(), eventsPerHour.get(e.getKey()))).toList());

        out.put("funnel_conversion", t.funnelRows().stream()
            .map(f -> row(f.dt(), f.step(), EventType.funnelStepName(f.step()), f.sessions(), f.entrants(),
                f.entrants() == 0 ? null : pct("%.2f", f.sessions(), f.entrants()))).toList());

        Map<String, long[]> buckets = new TreeMap<>();
        for (GroundTruth.SessionRow s : t.sessionRows()) {
            long[] b = buckets.computeIfAbsent(sessionBucket(s.end() - s.start()), k -> new long[2]);
            b[0]++;
            b[1] += s.events();
        }
        out.put("session_length_distribution", buckets.entrySet().stream()
            .map(e -> row(e.getKey(), e.getValue()[0], e.getValue()[1])).toList());

        Map<String, long[]> campaigns = new TreeMap<>();
        Map<String, Set<String>> campaignUsers = new HashMap<>();
        for (ClickEvent e : t.distinctEvents.values()) {
            String c = e.campaign == null ? "(none)" : e.campaign;
            long[] v = campaigns.computeIfAbsent(c, k -> new long[3]);
            v[0]++;
            v[1] += e.eventType.equals(EventType.PAGE_VIEW.wireName()) ? 1 : 0;
            v[2] += e.eventType.equals(EventType.PURCHASE.wireName()) ? 1 : 0;
            campaignUsers.computeIfAbsent(c, k -> new HashSet<>()).add(e.userId);
        }
        out.put("campaign_performance", campaigns.entrySet().stream()
            .map(e -> row(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2], campaignUsers.get(e.getKey()).size()))
            .toList());

        long records = t.validRecords() + t.dlqRecords();
        long distinct = t.distinctEvents.size();
        long late = t.lateEventIds.size();
        out.put("dlq_and_late_rates", List.of(row(records, t.dlqRecords(), records == 0 ? null : pct("%.3f", t.dlqRecords(), records),
            t.validRecords() - distinct, late, distinct == 0 ? null : pct("%.3f", late, distinct))));

        List<Map.Entry<DlqReason, Long>> reasons = new ArrayList<>(t.dlqPerReason.entrySet());
        reasons.removeIf(e -> e.getValue() == 0);
        reasons.sort(Map.Entry.<DlqReason, Long>comparingByValue().reversed().thenComparing(e -> e.getKey().name()));
        out.put("dlq_reasons", reasons.stream().map(e -> row(e.getKey().name(), e.getValue())).toList());

        Set<Integer> partitions = new java.util.TreeSet<>(t.validPerPartition.keySet());
        partitions.addAll(t.dlqPerPartition.keySet());
        out.put("offset_accounting", partitions.stream().map(p -> {
            long n = t.validPerPartition.getOrDefault(p, 0L) + t.dlqPerPartition.getOrDefault(p, 0L);
            return row(p, 0, n, n, 0);
        }).toList());
        return out;
    }

    /** The bucket label of session_length_distribution.sql. */
    static String sessionBucket(long durationMs) {
        if (durationMs < 60_000) {
            return "1: < 1 min";
        } else if (durationMs < 300_000) {
            return "2: 1-5 min";
        } else if (durationMs < 900_000) {
            return "3: 5-15 min";
        } else if (durationMs < 1_800_000) {
            return "4: 15-30 min";
        }
        return "5: >= 30 min";
    }

    /** Trino's format('%.Nf', 100e0 * part / whole): the same double arithmetic and rounding. */
    private static String pct(String format, long part, long whole) {
        return String.format(Locale.ROOT, format, 100e0 * part / whole);
    }

    private static List<String> row(Object... cells) {
        List<String> r = new ArrayList<>(cells.length);
        for (Object c : cells) {
            r.add(c == null ? null : c.toString());
        }
        return r;
    }
}
