package io.clickstream.batch;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.clickstream.tables.BatchTable;
import io.clickstream.tables.EventType;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Applies the events of {@code clicks.late} to the minute aggregates. Reads the late topic in batch
 * for an explicit offset range per partition (from where the {@code correction_ledger} says the last
 * run ended, to {@code --until-offsets} or the topic's end), finds the (minute, page) keys those events
 * fall into, recomputes those rows from {@code events_dedup} (each event once, late ones included) and
 * MERGEs the absolute values into {@code page_minute_agg}; then rebuilds the hour and day rollups of
 * the affected hours and records the range in the ledger.
 *
 * <p>Idempotent by construction: the values are recomputed, never incremented, and rows whose counts
 * already match are not touched, so re-running a range (or crashing between the MERGE and the ledger)
 * changes nothing. A MERGE that loses a commit race with the streaming writer is retried.
 */
public final class LateCorrectionJob {
    /** What a run did. */
    public record Result(Map<Integer, long[]> ranges, long lateRecords, long affectedMinutes, long changedMinutes,
            long deferredMinutes, Sessions sessions, List<LocalDateTime> affectedHours, RollupJob.Result rollups) {}

    /**
     * What the run did to sessions and the funnel: (user, day) pairs looked at, session rows inserted,
     * updated or deleted, funnel rows changed, and pairs left pending because the job still counts their day.
     */
    public record Sessions(long userDays, long sessionChanges, long funnelChanges, long deferredUserDays) {
        static final Sessions NONE = new Sessions(0, 0, 0, 0);
    }

    private static final StructType LATE_EVENT = new StructType()
        .add("event_id", DataTypes.StringType)
        .add("event_type", DataTypes.StringType)
        .add("user_id", DataTypes.StringType)
        .add("page", DataTypes.StringType)
        .add("event_time", DataTypes.LongType);

    private LateCorrectionJob() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--help")) {
            System.out.println(BatchOptions.describe());
            return;
        }
        BatchOptions o = BatchOptions.parse(args);
        SparkSession spark = BatchSession.create(o, "clickstream-late-correction");
        Result r = run(spark, o);
        System.out.printf("late correction: ranges %s, %,d late records, %,d minute keys affected, %,d changed, %,d deferred "
                + "(window still open in the stream), sessions %s, hours %s%n",
            describe(r.ranges()), r.lateRecords(), r.affectedMinutes(), r.changedMinutes(), r.deferredMinutes(), r.sessions(),
            r.affectedHours());
        spark.stop();
    }

    public static Result run(SparkSession spark, BatchOptions o) throws Exception {
        Map<Integer, long[]> ranges = nextRanges(spark, o);
        boolean anything = ranges.values().stream().anyMatch(r -> r[1] > r[0]);
        long pending = spark.table(o.table(BatchTable.CORRECTION_PENDING.tableName())).count()
            + spark.table(o.table(BatchTable.CORRECTION_PENDING_SESSIONS.tableName())).count();
        if (!anything && pending == 0) {
            return new Result(ranges, 0, 0, 0, 0, Sessions.NONE, List.of(), null);
        }
        spark.read().format("kafka")
            .option("kafka.bootstrap.servers", o.bootstrapServers)
            .option("kafka.isolation.level", "read_committed")
            .option("subscribe", o.lateTopic)
            .option("startingOffsets", offsetsJson(o.lateTopic, ranges, 0))
            .option("endingOffsets", offsetsJson(o.lateTopic, ranges, 1))
            // The topic is written transactionally: commit markers occupy offsets that hold no record.
            .option("failOnDataLoss", "false")
            .load()
            .selectExpr("from_json(CAST(value AS STRING), '" + LATE_EVENT.toDDL() + "') AS e")
            .selectExpr("e.*")
            .cache()
            .createOrReplaceTempView("late_records");
        long lateRecords = spark.table("late_records").count();
        long notCommitted = spark.sql(BatchSession.sql(o, "late_events_not_in_dedup", Map.of())).first().getLong(0);
        if (notCommitted > 0) {
            throw new IllegalStateException(notCommitted + " late events are not (yet) in events_dedup: the streaming "
                + "job commits both on the same checkpoint; retry after its next checkpoint. Nothing was changed.");
        }
        spark.sql(BatchSession.sql(o, "affected_minutes", Map.of())).cache().createOrReplaceTempView("affected_minutes");
        List<Row> keys = spark.table("affected_minutes").collectAsList();
        TreeSet<String> dts = new TreeSet<>();
        TreeSet<LocalDateTime> hours = new TreeSet<>();
        for (Row k : keys) {
            dts.add(k.getString(0));
            hours.add(((LocalDateTime) k.get(1)).withMinute(0));
        }
        Map<String, String> values = Map.of("dts", BatchSession.literals(new ArrayList<>(dts)), "run_id", runIdLiteral(o));
        long[] minutes = correctMinutes(spark, o, values);
        long changed = minutes[0];
        long deferred = minutes[1];
        Sessions sessions = correctSessionsAndFunnel(spark, o, values.get("run_id"));

        // Every hour of each touched day, and the day: simpler than tracking single hours, and idempotent.
        List<LocalDate> days = hours.stream().map(LocalDateTime::toLocalDate).distinct().toList();
        RollupJob.Result rollups = RollupJob.run(spark, o, BatchOptions.hoursOf(days), days);

        List<Row> ledger = new ArrayList<>();
        ranges.forEach((p, r) -> {
            if (r[1] > r[0]) {
                ledger.add(RowFactory.create(o.lateTopic, p, r[0], r[1], lateRecords, (long) keys.size(), changed, o.runId));
            }
        });
        spark.createDataFrame(ledger, spark.table(o.table(BatchTable.CORRECTION_LEDGER.tableName())).schema())
            .createOrReplaceTempView("ledger_rows");
        BatchSession.withCommitRetries(o, "MERGE INTO correction_ledger",
            () -> spark.sql(BatchSession.sql(o, "merge_correction_ledger", Map.of())));
        spark.catalog().uncacheTable("late_records");
        return new Result(ranges, lateRecords, keys.size(), changed, deferred, sessions, new ArrayList<>(hours), rollups);
    }

    /** The run id as a SQL string literal's content (an Airflow run id holds characters that literals() refuses: quote it). */
    static String runIdLiteral(BatchOptions o) {
        return o.runId.replace("'", "''").replace("${", "$ {");
    }

    /**
     * Recomputes the minute rows of the {@code affected_minutes} view from {@code events_dedup} (view
     * {@code corrected_minutes}), MERGEs those that differ into rows that are not provisional, and keeps
     * the keys of provisional rows in {@code correction_pending}. {@code values} holds {@code dts} and
     * {@code run_id}. Returns {changed rows, deferred keys}.
     */
    static long[] correctMinutes(SparkSession spark, BatchOptions o, Map<String, String> values) throws Exception {
        spark.sql(BatchSession.sql(o, "corrected_minutes", values)).cache().createOrReplaceTempView("corrected_minutes");
        long changed = spark.sql(BatchSession.sql(o, "changed_minutes", Map.of())).first().getLong(0);
        if (changed > 0) {
            BatchSession.withCommitRetries(o, "MERGE INTO page_minute_agg",
                () -> spark.sql(BatchSession.sql(o, "merge_page_minute_agg", values)));
        }
        // After the MERGE: a row that became final meanwhile was corrected by it, and is not deferred.
        spark.sql(BatchSession.sql(o, "deferred_minutes", Map.of())).cache().createOrReplaceTempView("deferred_minutes");
        long deferred = spark.table("deferred_minutes").count();
        BatchSession.withCommitRetries(o, "MERGE INTO correction_pending",
            () -> spark.sql(BatchSession.sql(o, "merge_correction_pending", values)));
        spark.catalog().uncacheTable("deferred_minutes");
        return new long[] {changed, deferred};
    }

    /**
     * Recomputes the sessions of the users with late events (and the pending pairs) on the days the
     * streaming job no longer counts, from {@code events_dedup}, MERGEs the differences into
     * {@code sessions} (a late event can extend a session, bridge two into one, or make a new one), then
     * recomputes the funnel of those days from the sessions table; pairs of days the job still counts
     * wait in {@code correction_pending_sessions}. Absolute and idempotent like the minute correction.
     */
    static Sessions correctSessionsAndFunnel(SparkSession spark, BatchOptions o, String runIdLiteral) throws Exception {
        return correctSessionsAndFunnel(spark, o, runIdLiteral, List.of());
    }

    /** As above; a backfill of {@code rebuildDays} also deletes the stored sessions of those days that the events do not support. */
    static Sessions correctSessionsAndFunnel(SparkSession spark, BatchOptions o, String runIdLiteral, List<String> rebuildDays)
            throws Exception {
        spark.sql(BatchSession.sql(o, "affected_user_days", Map.of())).cache().createOrReplaceTempView("affected_user_days");
        TreeSet<String> pairDays = new TreeSet<>();
        for (Row r : spark.sql("SELECT DISTINCT dt FROM affected_user_days").collectAsList()) {
            pairDays.add(r.getString(0));
        }
        long userDays = spark.table("affected_user_days").count();
        if (userDays == 0) {
            spark.catalog().uncacheTable("affected_user_days");
            return Sessions.NONE;
        }
        TreeSet<String> eventDays = new TreeSet<>();
        for (String d : pairDays) {
            LocalDate day = LocalDate.parse(d);
            eventDays.add(day.minusDays(1).toString());
            eventDays.add(d);
            eventDays.add(day.plusDays(1).toString());
        }
        Map<String, String> values = Map.of("session_dts", BatchSession.literals(new ArrayList<>(pairDays)),
            "event_dts", BatchSession.literals(new ArrayList<>(eventDays)), "gap_ms", Long.toString(o.sessionGap.toMillis()),
            "run_id", runIdLiteral, "days", BatchSession.literals(rebuildDays));
        spark.sql(BatchSession.sql(o, "correctable_days", values)).cache().createOrReplaceTempView("correctable_days");
        spark.sql("SELECT a.user_id, a.dt FROM affected_user_days a JOIN correctable_days c ON c.dt = a.dt")
            .cache().createOrReplaceTempView("correctable_user_days");
        long correctablePairs = spark.table("correctable_user_days").count();

        spark.sql(BatchSession.sql(o, "corrected_sessions", values)).cache().createOrReplaceTempView("corrected_sessions");
        spark.sql(BatchSession.sql(o, "session_changes", values)).cache().createOrReplaceTempView("session_changes");
        long sessionChanges = spark.table("session_changes").count();
        if (sessionChanges > 0) {
            BatchSession.withCommitRetries(o, "MERGE INTO sessions", () -> spark.sql(BatchSession.sql(o, "merge_sessions", values)));
        }
        if (!rebuildDays.isEmpty()) {
            BatchSession.withCommitRetries(o, "MERGE INTO sessions (vanished)",
                () -> spark.sql(BatchSession.sql(o, "delete_vanished_sessions", values)));
        }

        List<Row> steps = new ArrayList<>();
        for (int step = 1; step <= EventType.FUNNEL_STEPS; step++) {
            steps.add(RowFactory.create(step, EventType.funnelStepName(step)));
        }
        spark.createDataFrame(steps, new StructType().add("step", DataTypes.IntegerType).add("step_name", DataTypes.StringType))
            .createOrReplaceTempView("funnel_steps");
        spark.sql(BatchSession.sql(o, "corrected_funnel", values)).cache().createOrReplaceTempView("corrected_funnel");
        long funnelChanges = spark.sql("SELECT count(*) FROM corrected_funnel s LEFT JOIN " + o.table("funnel_daily")
            + " t ON t.dt = s.dt AND t.step = s.step WHERE t.dt IS NULL OR t.sessions <> s.sessions OR t.entrants <> s.entrants")
            .first().getLong(0);
        if (funnelChanges > 0) {
            BatchSession.withCommitRetries(o, "MERGE INTO funnel_daily", () -> spark.sql(BatchSession.sql(o, "merge_funnel_daily", values)));
        }
        BatchSession.withCommitRetries(o, "MERGE INTO correction_pending_sessions",
            () -> spark.sql(BatchSession.sql(o, "merge_correction_pending_sessions", values)));
        for (String view : List.of("corrected_funnel", "session_changes", "corrected_sessions", "correctable_user_days",
                "correctable_days", "affected_user_days")) {
            spark.catalog().uncacheTable(view);
        }
        return new Sessions(userDays, sessionChanges, funnelChanges, userDays - correctablePairs);
    }

    /** Per partition of the late topic: [start, end) with start from the ledger (else earliest) and end explicit or latest. */
    static Map<Integer, long[]> nextRanges(SparkSession spark, BatchOptions o) throws Exception {
        Map<Integer, Long> fromLedger = new TreeMap<>();
        for (Row r : spark.sql(BatchSession.sql(o, "ledger_positions", Map.of("topic", o.lateTopic))).collectAsList()) {
            fromLedger.put(r.getInt(0), r.getLong(1));
        }
        Map<Integer, long[]> out = new TreeMap<>();
        try (KafkaOffsets k = new KafkaOffsets(o.bootstrapServers)) {
            Map<Integer, Long> earliest = k.earliest(o.lateTopic);
            Map<Integer, Long> latest = k.latest(o.lateTopic);
            for (int p : latest.keySet()) {
                long start = o.fromOffsets.containsKey(p) ? o.fromOffsets.get(p)
                    : Math.max(fromLedger.getOrDefault(p, earliest.get(p)), earliest.get(p));
                long end = o.untilOffsets.isEmpty() ? latest.get(p) : o.untilOffsets.getOrDefault(p, start);
                if (end < start) {
                    throw new IllegalArgumentException("until-offset " + end + " of partition " + p
                        + " is before the ledger's position " + start);
                }
                out.put(p, new long[] {start, Math.min(end, latest.get(p))});
            }
        }
        return out;
    }

    static String offsetsJson(String topic, Map<Integer, long[]> ranges, int which) {
        StringBuilder b = new StringBuilder("{\"" + topic + "\":{");
        boolean first = true;
        for (Map.Entry<Integer, long[]> e : ranges.entrySet()) {
            b.append(first ? "" : ",").append('"').append(e.getKey()).append("\":").append(e.getValue()[which]);
            first = false;
        }
        return b.append("}}").toString();
    }

    static String describe(Map<Integer, long[]> ranges) {
        StringBuilder b = new StringBuilder();
        ranges.forEach((p, r) -> b.append(b.length() > 0 ? ", " : "").append(p).append(':').append(r[0]).append('-').append(r[1]));
        return b.toString();
    }

    static long epochMillis(LocalDateTime utc) {
        return utc.toInstant(ZoneOffset.UTC).toEpochMilli();
    }
}
