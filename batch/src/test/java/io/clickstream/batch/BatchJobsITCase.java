package io.clickstream.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.clickstream.loadgen.GroundTruth;
import io.clickstream.tables.BatchTable;
import io.clickstream.tables.LakeTable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch jobs on a local SparkSession against a real Kafka broker, a real PostgreSQL (Iceberg JDBC
 * catalog) and a real warehouse, on the output the streaming layer leaves for generated traffic with
 * events up to 2 hours late. Every expected value is computed independently from the generated input.
 * The tests build on each other (one warehouse), in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BatchJobsITCase {
    @TempDir
    static Path tmp;
    static BatchTestStack stack;
    static SparkSession spark;
    static BatchOptions options;
    static StreamingLayerFixture fixture;
    static BatchTables tables;

    @BeforeAll
    static void start() throws Exception {
        stack = BatchTestStack.start(tmp, "batch-it");
        spark = stack.spark;
        options = stack.options;
        fixture = new StreamingLayerFixture(options, "batch");
        fixture.writeStreamingOutput(spark);
        tables = new BatchTables(spark, options, fixture.truth);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void lateCorrectionMakesMinuteRowsEqualThePerfectRunAndARerunChangesNothing() throws Exception {
        GroundTruth truth = fixture.truth;
        assertThat(truth.lateEventIds).as("traffic has events beyond the allowed lateness").hasSizeGreaterThan(20);
        long maxLateness = truth.lateEventIds.stream().mapToLong(id -> arrival(id) - truth.distinctEvents.get(id).eventTime).max().orElse(0);
        assertThat(maxLateness).as("some events arrive more than an hour late").isGreaterThan(Duration.ofMinutes(60).toMillis());
        assertThat(tables.minuteRows()).as("before: the streaming values (late events missing)")
            .containsExactlyInAnyOrderElementsOf(BatchTables.strings(truth.minuteRows()));
        assertThat(truth.correctedSessionRows()).as("late events change sessions").isNotEqualTo(truth.sessionRows());
        assertThat(truth.correctedFunnelRows()).as("and the funnel").isNotEqualTo(truth.funnelRows());
        assertThat(tables.sessionRows()).containsExactlyInAnyOrderElementsOf(BatchTables.sessionStrings(truth.sessionRows()));

        LateCorrectionJob.Result first = LateCorrectionJob.run(spark, options);
        assertThat(first.lateRecords()).isEqualTo(truth.lateEventIds.size());
        assertThat(first.changedMinutes()).isPositive();
        assertThat(tables.minuteRows()).as("after: every minute row as if nothing had been late")
            .containsExactlyInAnyOrderElementsOf(BatchTables.strings(truth.correctedMinuteRows()));
        tables.assertSketchesAgreeWithExactCounts(LakeTable.PAGE_MINUTE_AGG.tableName());
        tables.assertRollupsEqualTruth();
        java.util.Set<GroundTruth.MinuteRow> streamed = new java.util.HashSet<>(truth.minuteRows());
        long changedKeys = truth.correctedMinuteRows().stream().filter(m -> !streamed.contains(m)).count();
        assertThat(spark.sql("SELECT finality, corrected_by, count(*) FROM " + options.table("page_minute_agg")
                + " GROUP BY finality, corrected_by").collectAsList()).extracting(Object::toString)
            .as("the rows the correction changed say so, and by which run; the others stay final")
            .containsExactlyInAnyOrder("[corrected," + options.runId + "," + changedKeys + "]",
                "[final,null," + (truth.correctedMinuteRows().size() - changedKeys) + "]");
        assertThat(first.changedMinutes()).isEqualTo(changedKeys);
        assertThat(tables.sessionRows()).as("sessions: as if nothing had been late")
            .containsExactlyInAnyOrderElementsOf(BatchTables.sessionStrings(truth.correctedSessionRows()));
        assertThat(tables.funnelRows()).as("the daily funnel: as if nothing had been late")
            .containsExactlyInAnyOrderElementsOf(BatchTables.funnelStrings(truth.correctedFunnelRows()));
        assertThat(first.sessions().deferredUserDays()).as("the job closed every day").isZero();
        assertThat(tables.rows("SELECT DISTINCT finality, corrected_by FROM " + options.table("funnel_daily") + " WHERE sessions > 0"))
            .contains("corrected|" + options.runId);

        Map<String, List<String>> before = snapshot();
        LateCorrectionJob.Result again = LateCorrectionJob.run(spark, options);
        assertThat(again.lateRecords()).as("the ledger says everything was applied").isZero();

        BatchOptions rerun = BatchOptions.parse();
        copyConnection(rerun);
        rerun.fromOffsets = new TreeMap<>();
        rerun.untilOffsets = new TreeMap<>();
        first.ranges().forEach((p, r) -> {
            rerun.fromOffsets.put(p, r[0]);
            rerun.untilOffsets.put(p, r[1]);
        });
        rerun.runId = "rerun";
        LateCorrectionJob.Result same = LateCorrectionJob.run(spark, rerun);
        assertThat(same.lateRecords()).isEqualTo(first.lateRecords());
        assertThat(same.changedMinutes()).as("re-running the same range").isZero();
        assertThat(same.sessions().sessionChanges()).as("re-running the same range: sessions").isZero();
        assertThat(same.sessions().funnelChanges()).as("re-running the same range: funnel").isZero();
        assertThat(snapshot()).as("tables after re-running the same range").isEqualTo(before);
    }

    @Test
    @Order(2)
    void rollupsAreIdempotentPerHourAndDay() throws Exception {
        Map<String, List<String>> before = snapshot();
        BatchOptions o = BatchOptions.parse();
        copyConnection(o);
        o.days = days();
        RollupJob.Result r = RollupJob.run(spark, o);
        assertThat(r.hourRows()).isPositive();
        assertThat(snapshot()).isEqualTo(before);
        tables.assertRollupsEqualTruth();
    }

    @Test
    @Order(3)
    void reconciliationAccountsForEveryOffsetAndFlagsADroppedRange() throws Exception {
        BatchOptions o = BatchOptions.parse();
        copyConnection(o);
        o.days = kafkaDays();
        ReconciliationJob.Result ok = ReconciliationJob.run(spark, o);
        assertThat(ok.unexplained()).isZero();
        assertThat(ok.expected()).isEqualTo(fixture.records.size());
        assertThat(ok.raw()).isEqualTo(fixture.truth.validRecords());
        assertThat(ok.dlq()).isEqualTo(fixture.truth.dlqRecords());
        assertThat(spark.sql("SELECT DISTINCT status FROM " + options.table("reconciliation")).collectAsList().toString())
            .isEqualTo("[[OK]]");
        assertThat(tables.rows("SELECT kafka_partition, hour_start, expected_records, raw_rows, dlq_rows, duplicate_rows, late_events FROM "
            + options.table("reconciliation"))).as("every (partition, hour): counts, duplicates and late events")
            .containsExactlyInAnyOrderElementsOf(expectedReconciliation());

        // Lose 40 raw rows of partition 1 (a "dropped range"), then reconcile the same days again.
        spark.sql("DELETE FROM " + options.table("raw_events") + " WHERE kafka_partition = 1 AND kafka_offset >= 200 AND kafka_offset < 240");
        ReconciliationJob.Result broken = ReconciliationJob.run(spark, o);
        assertThat(broken.unexplained()).isEqualTo(40 - dlqIn(1, 200, 240));
        List<Row> missing = spark.sql("SELECT kafka_partition, unexplained FROM " + options.table("reconciliation")
            + " WHERE status = 'MISSING'").collectAsList();
        assertThat(missing).isNotEmpty().allSatisfy(row -> assertThat(row.getInt(0)).isEqualTo(1));
        assertThat(count("SELECT count(*) FROM " + options.table("quality_metrics") + " WHERE metric = 'unexplained' AND flagged"))
            .isPositive();
    }

    @Test
    @Order(4)
    void streamingCommitsDuringTheMergeAreNotLostAndDoNotUndoTheCorrection() throws Exception {
        // Back to the streaming values, then correct again while a streaming writer upserts rows of the same day.
        String minutes = options.table("page_minute_agg");
        spark.sql("DELETE FROM " + minutes + " WHERE true");
        fixture.appendStreamingMinuteRows(spark);
        String dt = fixture.truth.minuteRows().get(0).windowStart() >= 0
            ? GroundTruth.day(fixture.truth.minuteRows().get(0).windowStart()) : null;
        LocalDateTime minute = LocalDateTime.of(2026, 1, 5, 23, 59);
        StreamingUpserter writer = new StreamingUpserter(options, "page_minute_agg");
        int commits = 12;
        Thread streaming = new Thread(() -> {
            try {
                for (int i = 0; i < commits; i++) {
                    writer.upsert(dt, minute, "/concurrent/" + (i % 4), i + 1);
                    Thread.sleep(150);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        BatchOptions rerun = BatchOptions.parse();
        copyConnection(rerun);
        rerun.fromOffsets = new TreeMap<>();
        try (KafkaOffsets k = new KafkaOffsets(options.bootstrapServers)) {
            k.earliest(options.lateTopic).forEach(rerun.fromOffsets::put);
        }
        rerun.runId = "concurrent";
        long retriesBefore = BatchSession.COMMIT_RETRIES.get();
        streaming.start();
        LateCorrectionJob.Result r = LateCorrectionJob.run(spark, rerun);
        streaming.join();
        System.out.printf("concurrent run: %d MERGE retries after commit races%n", BatchSession.COMMIT_RETRIES.get() - retriesBefore);

        assertThat(r.changedMinutes()).isPositive();
        List<String> all = tables.minuteRows();
        List<String> concurrent = all.stream().filter(s -> s.contains("/concurrent/")).toList();
        assertThat(concurrent).as("the streaming writer's rows, one per key, with its last value").hasSize(4)
            .allSatisfy(s -> assertThat(s).containsAnyOf("events=9,", "events=10,", "events=11,", "events=12,"));
        List<String> corrected = all.stream().filter(s -> !s.contains("/concurrent/")).toList();
        assertThat(corrected).containsExactlyInAnyOrderElementsOf(BatchTables.strings(fixture.truth.correctedMinuteRows()));
    }

    @Test
    @Order(5)
    void aWindowStillOpenInTheStreamIsCorrectedOnlyOnceItIsFinal() throws Exception {
        String minutes = options.table("page_minute_agg");
        spark.sql("DELETE FROM " + minutes + " WHERE true");
        fixture.appendStreamingMinuteRows(spark);
        java.util.Set<GroundTruth.MinuteRow> streamed = new java.util.HashSet<>(fixture.truth.minuteRows());
        GroundTruth.MinuteRow open = fixture.truth.correctedMinuteRows().stream()
            .filter(m -> !streamed.contains(m) && streamed.stream().anyMatch(s -> s.windowStart() == m.windowStart() && s.page().equals(m.page())))
            .findFirst().orElseThrow();
        String key = "dt = '" + GroundTruth.day(open.windowStart()) + "' AND window_start = TIMESTAMP_NTZ '"
            + StreamingLayerFixture.utc(open.windowStart()).format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")) + "' AND page = '" + open.page().replace("'", "''") + "'";
        // The job still holds this window open (a silent partition holds the watermark back): its row is provisional.
        spark.sql("UPDATE " + minutes + " SET finality = 'provisional' WHERE " + key);
        String before = spark.sql("SELECT events, finality FROM " + minutes + " WHERE " + key).collectAsList().toString();

        BatchOptions held = BatchOptions.parse();
        copyConnection(held);
        held.fromOffsets = new TreeMap<>();
        try (KafkaOffsets k = new KafkaOffsets(options.bootstrapServers)) {
            k.earliest(options.lateTopic).forEach(held.fromOffsets::put);
        }
        held.runId = "held-open";
        LateCorrectionJob.Result r = LateCorrectionJob.run(spark, held);
        assertThat(r.deferredMinutes()).as("the open window's key is deferred").isEqualTo(1);
        assertThat(spark.sql("SELECT events, finality FROM " + minutes + " WHERE " + key).collectAsList().toString())
            .as("a row the stream may still rewrite is left alone").isEqualTo(before);
        assertThat(spark.sql("SELECT run_id FROM " + options.table("correction_pending") + " WHERE " + key).collectAsList())
            .extracting(Object::toString).containsExactly("[held-open]");
        assertThat(count("SELECT count(*) FROM " + options.table("correction_pending"))).isEqualTo(1);

        // The watermark closes the window: the job writes the final row (same streaming values).
        spark.sql("UPDATE " + minutes + " SET finality = 'final' WHERE " + key);
        BatchOptions next = BatchOptions.parse();
        copyConnection(next);
        next.runId = "after-close";
        LateCorrectionJob.Result applied = LateCorrectionJob.run(spark, next);
        assertThat(applied.lateRecords()).as("no new late records: the pending key alone").isZero();
        assertThat(applied.changedMinutes()).isEqualTo(1);
        assertThat(applied.deferredMinutes()).isZero();
        assertThat(count("SELECT count(*) FROM " + options.table("correction_pending"))).isZero();
        assertThat(spark.sql("SELECT finality, corrected_by FROM " + minutes + " WHERE " + key).collectAsList())
            .extracting(Object::toString).containsExactly("[corrected,after-close]");
        assertThat(tables.minuteRows()).containsExactlyInAnyOrderElementsOf(BatchTables.strings(fixture.truth.correctedMinuteRows()));
    }

    @Test
    @Order(6)
    void aDamagedDayIsRebuiltExactlyFromTheDeduplicatedEvents() throws Exception {
        String day = "2026-01-05";
        String minutes = options.table("page_minute_agg");
        String sessions = options.table("sessions");
        String funnel = options.table("funnel_daily");
        assertThat(tables.minuteRows()).containsExactlyInAnyOrderElementsOf(BatchTables.strings(fixture.truth.correctedMinuteRows()));
        // Damage: rows lost, rows wrong, rows that should not exist, in every aggregate of the day.
        spark.sql("DELETE FROM " + minutes + " WHERE dt = '" + day + "' AND page IN ('/p/1', '/p/2')");
        spark.sql("UPDATE " + minutes + " SET events = events + 7, revision = revision + 7, page_views = 0 WHERE dt = '" + day + "' AND page = '/p/3'");
        spark.sql("INSERT INTO " + minutes + " VALUES ('" + day + "', TIMESTAMP_NTZ '2026-01-05 09:00:00', '/bogus', 1, 1, 0, 0, 0, 0, 1, 1, "
            + "X'00', 1, 'final', NULL)");
        spark.sql("DELETE FROM " + sessions + " WHERE dt = '" + day + "' AND user_id < 'u-2'");
        spark.sql("UPDATE " + sessions + " SET events = events + 1 WHERE dt = '" + day + "' AND user_id >= 'u-9'");
        spark.sql("INSERT INTO " + sessions + " VALUES ('" + day + "', 'nobody', TIMESTAMP_NTZ '2026-01-05 10:00:00', "
            + "TIMESTAMP_NTZ '2026-01-05 10:00:00', 0, 1, 1, 1, 1)");
        spark.sql("UPDATE " + funnel + " SET sessions = 0 WHERE dt = '" + day + "'");
        assertThat(tables.minuteRows()).isNotEqualTo(BatchTables.strings(fixture.truth.correctedMinuteRows()));

        BatchOptions o = BatchOptions.parse();
        copyConnection(o);
        o.days = List.of(java.time.LocalDate.parse(day));
        o.runId = "backfill";
        BackfillJob.Result r = BackfillJob.run(spark, o);
        assertThat(r.events()).isEqualTo(fixture.truth.distinctEvents.size());
        assertThat(tables.minuteRows()).as("minute rows rebuilt")
            .containsExactlyInAnyOrderElementsOf(BatchTables.strings(fixture.truth.correctedMinuteRows()));
        assertThat(tables.sessionRows()).as("sessions rebuilt")
            .containsExactlyInAnyOrderElementsOf(BatchTables.sessionStrings(fixture.truth.correctedSessionRows()));
        assertThat(tables.funnelRows()).as("funnel rebuilt")
            .containsExactlyInAnyOrderElementsOf(BatchTables.funnelStrings(fixture.truth.correctedFunnelRows()));
        tables.assertRollupsEqualTruth();

        Map<String, List<String>> before = snapshot();
        BackfillJob.Result again = BackfillJob.run(spark, o);
        assertThat(again.changedMinutes()).as("a second backfill changes nothing").isZero();
        assertThat(again.sessions().sessionChanges()).isZero();
        assertThat(again.sessions().funnelChanges()).isZero();
        assertThat(snapshot()).isEqualTo(before);
    }

    /**
     * A late event just before midnight whose user's next events start a session just after it: the corrected
     * session starts the day before, and the stream's row keyed on the next day must go (the next day's (user,
     * day) pair is affected too). Runs last: it adds a user of its own to the tables.
     */
    @Test
    @Order(7)
    void aLateEventBeforeMidnightBecomesTheStartOfASessionThatStartedAfterIt() throws Exception {
        long afterMidnight = java.time.Instant.parse("2026-01-06T00:10:00Z").toEpochMilli();
        long beforeMidnight = afterMidnight - Duration.ofMinutes(20).toMillis();
        long next = afterMidnight + Duration.ofMinutes(5).toMillis();
        String user = "u-midnight";
        fixture.appendRows(spark, LakeTable.EVENTS_DEDUP, List.of(
            dedupRow("mid-a", "page_view", user, "/p/1", afterMidnight, false),
            dedupRow("mid-b", "add_to_cart", user, "/p/1", next, false),
            dedupRow("mid-late", "page_view", user, "/p/2", beforeMidnight, true)));
        fixture.appendRows(spark, LakeTable.SESSIONS, List.of(org.apache.spark.sql.RowFactory.create("2026-01-06", user,
            StreamingLayerFixture.utc(afterMidnight), StreamingLayerFixture.utc(next), next - afterMidnight, 2L, 1L, 1L, 2)));
        io.clickstream.tables.ClickEvent late = new io.clickstream.tables.ClickEvent("mid-late", 1, "page_view", user, "/p/2",
            beforeMidnight);
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", options.bootstrapServers);
        try (org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> producer = new org.apache.kafka.clients.producer.KafkaProducer<>(
                p, new org.apache.kafka.common.serialization.ByteArraySerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(options.lateTopic,
                user.getBytes(java.nio.charset.StandardCharsets.UTF_8), io.clickstream.tables.EventJson.encode(late))).get();
        }

        LateCorrectionJob.Result r = LateCorrectionJob.run(spark, options);
        assertThat(r.lateRecords()).isEqualTo(1);
        assertThat(r.sessions().deferredUserDays()).isZero();
        assertThat(tables.rows("SELECT dt, CAST(session_start AS STRING), CAST(session_end AS STRING), events, page_views, "
                + "distinct_pages, funnel_step FROM " + options.table("sessions") + " WHERE user_id = '" + user + "'"))
            .as("one session from 23:50 to 00:15, keyed on the day it starts; the stream's 00:10 row is gone")
            .containsExactly("2026-01-05|2026-01-05 23:50:00|2026-01-06 00:15:00|3|2|2|2");
    }

    private static Row dedupRow(String id, String type, String user, String page, long time, boolean late) {
        return org.apache.spark.sql.RowFactory.create(GroundTruth.day(time), id, 1, type, user, page, StreamingLayerFixture.utc(time),
            null, null, null, late);
    }

    // ---- expected values, computed from the generated input ----

    private long arrival(String eventId) {
        return fixture.records.stream().filter(r -> r.event != null && r.event.eventId.equals(eventId))
            .mapToLong(r -> r.timestamp).min().orElseThrow();
    }

    /**
     * partition|hour|expected|raw|dlq|duplicates|late per (partition, Kafka-timestamp hour), from the
     * generated records (their timestamps never decrease within a partition, so the hour's offset
     * range holds exactly the records stamped in that hour).
     */
    private List<String> expectedReconciliation() {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, java.util.Set<String>> ids = new java.util.HashMap<>();
        for (io.clickstream.loadgen.GeneratedRecord r : fixture.records) {
            LocalDateTime hour = StreamingLayerFixture.utc(r.timestamp).withMinute(0).withSecond(0).withNano(0);
            String key = r.partition + "|" + hour;
            long[] c = counts.computeIfAbsent(key, k -> new long[4]);
            c[0]++;
            if (r.event == null) {
                c[2]++;
            } else {
                c[1]++;
                ids.computeIfAbsent(key, k -> new java.util.HashSet<>()).add(r.event.eventId);
                c[3] += fixture.truth.lateEventIds.contains(r.event.eventId) ? 1 : 0;
            }
        }
        List<String> out = new ArrayList<>();
        counts.forEach((key, c) -> out.add(key + "|" + c[0] + "|" + c[1] + "|" + c[2] + "|"
            + (c[1] - ids.getOrDefault(key, java.util.Set.of()).size()) + "|" + c[3]));
        return out;
    }

    private long dlqIn(int partition, long from, long to) {
        return fixture.records.stream().filter(r -> r.kind == io.clickstream.loadgen.GeneratedRecord.Kind.MALFORMED && r.partition == partition)
            .filter(r -> fixture.offsets.get(r) >= from && fixture.offsets.get(r) < to).count();
    }

    private long count(String sql) {
        return spark.sql(sql).first().getLong(0);
    }

    /** Contents of the tables the jobs write, sorted, sketch bytes included. */
    private Map<String, List<String>> snapshot() {
        Map<String, List<String>> out = new TreeMap<>();
        for (String t : List.of("page_minute_agg", "page_hour_agg", "page_day_agg", BatchTable.CORRECTION_LEDGER.tableName())) {
            List<String> rows = new ArrayList<>();
            for (Row r : spark.table(options.table(t)).collectAsList()) {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < r.length(); i++) {
                    Object v = r.get(i);
                    b.append(v instanceof byte[] ? java.util.Arrays.toString((byte[]) v) : String.valueOf(v)).append('|');
                }
                rows.add(b.toString());
            }
            rows.sort(null);
            out.put(t, rows);
        }
        return out;
    }

    private List<LocalDate> days() {
        TreeSet<LocalDate> d = new TreeSet<>();
        fixture.truth.distinctEvents.values().forEach(e -> d.add(StreamingLayerFixture.utc(e.eventTime).toLocalDate()));
        return new ArrayList<>(d);
    }

    private List<LocalDate> kafkaDays() {
        TreeSet<LocalDate> d = new TreeSet<>();
        fixture.records.forEach(r -> d.add(StreamingLayerFixture.utc(r.timestamp).toLocalDate()));
        return new ArrayList<>(d);
    }

    private void copyConnection(BatchOptions o) {
        o.jdbcUrl = options.jdbcUrl;
        o.jdbcUser = options.jdbcUser;
        o.warehouse = options.warehouse;
        o.bootstrapServers = options.bootstrapServers;
        o.rawTopic = options.rawTopic;
        o.lateTopic = options.lateTopic;
        o.commitBackoffMillis = options.commitBackoffMillis;
    }
}
