package io.clickstream.batch;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Rebuilds whole days of the aggregate tables from {@code events_dedup}, the lake's record of every
 * distinct event: the minute rows, the sessions and the funnel of each {@code --days} day, then its
 * hour and day rollups. What an operator runs when a day's tables were damaged (a bad manual write, a
 * lost commit, a replay that started mid-day): rows that differ are rewritten, rows no event supports
 * are deleted, missing rows come back. It is the late correction applied to every event of the days
 * (the same SQL, so the same cut of sessions and the same finality rules: rows are marked
 * {@code corrected} with the run id where they changed), and it is idempotent: a second run changes
 * nothing.
 *
 * <p>It trusts {@code events_dedup}; if that table is damaged too, replay {@code clicks.raw} for the
 * day first (docs/ARCHITECTURE.md, Replays and backfills).
 */
public final class BackfillJob {
    /** What a run did. */
    public record Result(List<LocalDate> days, long events, long minuteKeys, long changedMinutes, LateCorrectionJob.Sessions sessions,
            RollupJob.Result rollups) {}

    private BackfillJob() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--help")) {
            System.out.println(BatchOptions.describe());
            return;
        }
        BatchOptions o = BatchOptions.parse(args);
        SparkSession spark = BatchSession.create(o, "clickstream-backfill");
        Result r = run(spark, o);
        System.out.printf("backfill of %s: %,d events, %,d minute keys, %,d minute rows changed, sessions %s, rollups %s%n",
            r.days(), r.events(), r.minuteKeys(), r.changedMinutes(), r.sessions(), r.rollups());
        spark.stop();
    }

    public static Result run(SparkSession spark, BatchOptions o) throws Exception {
        if (o.days.isEmpty()) {
            throw new IllegalArgumentException("--days is required: the UTC days to rebuild, e.g. --days 2026-01-05");
        }
        List<String> days = o.days.stream().map(LocalDate::toString).toList();
        String runId = LateCorrectionJob.runIdLiteral(o);
        spark.sql(BatchSession.sql(o, "backfill_events", Map.of("days", BatchSession.literals(days))))
            .cache().createOrReplaceTempView("late_records");
        long events = spark.table("late_records").count();

        spark.sql(BatchSession.sql(o, "affected_minutes", Map.of())).cache().createOrReplaceTempView("affected_minutes");
        TreeSet<String> dts = new TreeSet<>(days);
        for (Row k : spark.sql("SELECT DISTINCT dt FROM affected_minutes").collectAsList()) {
            dts.add(k.getString(0));
        }
        long keys = spark.table("affected_minutes").count();
        Map<String, String> values = Map.of("dts", BatchSession.literals(new ArrayList<>(dts)), "run_id", runId,
            "days", BatchSession.literals(days));
        long changed = LateCorrectionJob.correctMinutes(spark, o, values)[0];
        BatchSession.withCommitRetries(o, "MERGE INTO page_minute_agg (vanished)",
            () -> spark.sql(BatchSession.sql(o, "delete_vanished_minutes", values)));

        LateCorrectionJob.Sessions sessions = LateCorrectionJob.correctSessionsAndFunnel(spark, o, runId, days);
        RollupJob.Result rollups = RollupJob.run(spark, o, BatchOptions.hoursOf(o.days), o.days);
        for (String view : List.of("corrected_minutes", "affected_minutes", "late_records")) {
            spark.catalog().uncacheTable(view);
        }
        return new Result(o.days, events, keys, changed, sessions, rollups);
    }
}
