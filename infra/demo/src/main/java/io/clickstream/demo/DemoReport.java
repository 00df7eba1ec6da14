package io.clickstream.demo;

import java.time.Duration;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.clickstream.loadgen.GroundTruth;
import io.clickstream.streaming.LakeReader;
import io.clickstream.streaming.LakeRows;
import io.clickstream.streaming.SideTopicReader;
import io.clickstream.streaming.StreamingOptions;
import io.clickstream.tables.LakeTable;
import io.clickstream.tables.Topics;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the demo prints after the job: rows per table, top pages of the busiest minutes, DLQ reasons
 * and late events, the offset accounting of every raw partition, and whether each table equals the
 * ground truth of the generated traffic.
 */
final class DemoReport {
    private final Map<String, Long> rowsPerTable = new LinkedHashMap<>();
    private final Map<Integer, long[]> accounting = new TreeMap<>();
    private final Map<String, Long> dlqReasons = new TreeMap<>();
    private final Map<String, Boolean> truthChecks = new LinkedHashMap<>();
    private final List<String> topPages = new ArrayList<>();
    private long lateRecords;

    static DemoReport collect(Configuration conf, GroundTruth truth) throws Exception {
        DemoReport r = new DemoReport();
        Map<Integer, Long> rawPerPartition = new TreeMap<>();
        Set<String> dedupIds = new HashSet<>();
        try (LakeReader lake = new LakeReader(conf.get(StreamingOptions.WAREHOUSE), conf.get(StreamingOptions.DATABASE))) {
            long[] raw = {0};
            lake.scan(LakeTable.RAW_EVENTS.tableName(), row -> {
                raw[0]++;
                rawPerPartition.merge((Integer) row.get("kafka_partition"), 1L, Long::sum);
            });
            r.rowsPerTable.put(LakeTable.RAW_EVENTS.tableName(), raw[0]);
            lake.scan(LakeTable.EVENTS_DEDUP.tableName(), row -> dedupIds.add((String) row.get("event_id")));
            r.rowsPerTable.put(LakeTable.EVENTS_DEDUP.tableName(), (long) dedupIds.size());

            List<Map<String, Object>> minuteRows = lake.readAll(LakeTable.PAGE_MINUTE_AGG.tableName());
            List<Map<String, Object>> sessionRows = lake.readAll(LakeTable.SESSIONS.tableName());
            List<Map<String, Object>> funnelRows = lake.readAll(LakeTable.FUNNEL_DAILY.tableName());
            r.rowsPerTable.put(LakeTable.PAGE_MINUTE_AGG.tableName(), (long) minuteRows.size());
            r.rowsPerTable.put(LakeTable.SESSIONS.tableName(), (long) sessionRows.size());
            r.rowsPerTable.put(LakeTable.FUNNEL_DAILY.tableName(), (long) funnelRows.size());

            r.truthChecks.put("events_dedup: one row per distinct event_id",
                dedupIds.equals(truth.distinctEvents.keySet()));
            r.truthChecks.put("page_minute_agg: every row exact", sameRows(
                minuteRows.stream().map(LakeRows::minute).collect(Collectors.toList()), truth.minuteRows()));
            r.truthChecks.put("sessions: every session exact", sameRows(
                sessionRows.stream().map(LakeRows::session).collect(Collectors.toList()), truth.sessionRows()));
            r.truthChecks.put("funnel_daily: every step exact", sameRows(
                funnelRows.stream().map(LakeRows::funnel).collect(Collectors.toList()), truth.funnelRows()));
            r.topPages(minuteRows);
        }

        try (SideTopicReader kafka = new SideTopicReader(conf.get(StreamingOptions.KAFKA_BOOTSTRAP))) {
            Map<Integer, Long> dlqPerPartition = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> rec : kafka.readAll(conf.get(StreamingOptions.DLQ_TOPIC), Duration.ofMinutes(2))) {
                dlqPerPartition.merge(Integer.parseInt(SideTopicReader.header(rec, Topics.HEADER_SOURCE_PARTITION)), 1L, Long::sum);
                r.dlqReasons.merge(SideTopicReader.header(rec, Topics.HEADER_REASON), 1L, Long::sum);
            }
            Set<String> lateIds = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> rec : kafka.readAll(conf.get(StreamingOptions.LATE_TOPIC), Duration.ofMinutes(2))) {
                r.lateRecords++;
                lateIds.add(SideTopicReader.event(rec).eventId);
            }
            r.truthChecks.put("clicks.late: exactly the events beyond the allowed lateness, once each",
                r.lateRecords == lateIds.size() && lateIds.equals(truth.lateEventIds));
            String raw = conf.get(StreamingOptions.RAW_TOPIC);
            Map<Integer, Long> begin = kafka.beginningOffsets(raw);
            kafka.endOffsets(raw).forEach((p, end) -> r.accounting.put(p, new long[] {begin.get(p), end,
                rawPerPartition.getOrDefault(p, 0L), dlqPerPartition.getOrDefault(p, 0L)}));
        }
        return r;
    }

    private static <T> boolean sameRows(List<T> actual, List<T> expected) {
        return actual.size() == expected.size() && new HashSet<>(actual).equals(new HashSet<>(expected));
    }

    private void topPages(List<Map<String, Object>> minuteRows) {
        Map<Object, List<Map<String, Object>>> byMinute = minuteRows.stream()
            .collect(Collectors.groupingBy(m -> m.get("window_start")));
        byMinute.entrySet().stream()
            .sorted(Comparator.comparingLong((Map.Entry<Object, List<Map<String, Object>>> e) ->
                -e.getValue().stream().mapToLong(m -> (Long) m.get("events")).sum()))
            .limit(3)
            .forEach(e -> {
                long total = e.getValue().stream().mapToLong(m -> (Long) m.get("events")).sum();
                topPages.add(String.format("  minute %s UTC (%,d events):", e.getKey(), total));
                e.getValue().stream().sorted(Comparator.comparingLong(m -> -(Long) m.get("page_views"))).limit(5)
                    .forEach(m -> topPages.add(String.format("    %-22s views %5d  unique viewers %5d  purchases %3d",
                        m.get("page"), m.get("page_views"), m.get("unique_viewers"), m.get("purchases"))));
            });
    }

    /** Adds checks made after {@link #render()} (BI queries, batch layer, Airflow) to the verdict of {@link #ok()}. */
    void addChecks(Map<String, Boolean> checks) {
        truthChecks.putAll(checks);
    }

    long rows(String table) {
        return rowsPerTable.getOrDefault(table, 0L);
    }

    long lateRecords() {
        return lateRecords;
    }

    long dlqRecords() {
        return dlqReasons.values().stream().mapToLong(Long::longValue).sum();
    }

    boolean balancedAll() {
        return accounting.values().stream().allMatch(DemoReport::balanced);
    }

    /** The checks against the truth, by name. */
    Map<String, Boolean> checks() {
        return java.util.Collections.unmodifiableMap(truthChecks);
    }

    boolean ok() {
        return accounting.values().stream().allMatch(DemoReport::balanced) && truthChecks.values().stream().allMatch(b -> b);
    }

    private static boolean balanced(long[] a) {
        return a[1] - a[0] == a[2] + a[3];
    }

    String render() {
        StringBuilder b = new StringBuilder();
        b.append("[4/10] Lakehouse tables (Paimon):\n");
        rowsPerTable.forEach((t, n) -> b.append(String.format("      %-16s %,10d rows%n", t, n)));
        b.append("      Top pages of the three busiest minutes (page_minute_agg):\n");
        topPages.forEach(l -> b.append("    ").append(l).append('\n'));
        b.append(String.format("      clicks.dlq: %,d records by reason %s%n", dlqReasons.values().stream().mapToLong(Long::longValue).sum(),
            dlqReasons));
        b.append(String.format("      clicks.late: %,d events beyond the allowed lateness%n", lateRecords));
        b.append("[5/10] Offset accounting of clicks.raw (end - start = raw_events rows + clicks.dlq records):\n");
        b.append(String.format("      %9s %10s %10s %10s %10s  %s%n", "partition", "start", "end", "raw rows", "DLQ", "balanced"));
        accounting.forEach((p, a) -> b.append(String.format("      %9d %,10d %,10d %,10d %,10d  %s%n", p, a[0], a[1], a[2], a[3],
            balanced(a) ? "yes" : "MISMATCH")));
        b.append("      Ground truth computed from the generated traffic:\n");
        truthChecks.forEach((c, ok) -> b.append(String.format("        %-72s %s%n", c, ok ? "yes" : "MISMATCH")));
        return b.toString();
    }
}
