package io.clickstream.batch;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.spark.sql.SparkSession;

/**
 * Hour and day rollups per page ({@code page_hour_agg}, {@code page_day_agg}) for explicit hours
 * ({@code --hours}, Airflow's data interval) or days ({@code --days}: the day rollup and all its hours).
 * Built from {@code events_dedup}, where every event appears once and late events are included, so
 * unique users are exact (never a sum of minute counts) and a sketch is stored for further merging.
 * Each run replaces exactly its hours/days with MERGE (absolute values; keys that vanished are
 * deleted; equal rows untouched), so it is idempotent and safe to backfill.
 */
public final class RollupJob {
    private static final DateTimeFormatter SQL_HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:00:00");

    /** What a run rebuilt. */
    public record Result(List<LocalDateTime> hours, List<LocalDate> days, long hourRows, long dayRows) {}

    private RollupJob() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--help")) {
            System.out.println(BatchOptions.describe());
            return;
        }
        BatchOptions o = BatchOptions.parse(args);
        if (o.hours.isEmpty() && o.days.isEmpty()) {
            throw new IllegalArgumentException("give --hours or --days: rollups never pick 'now' themselves");
        }
        SparkSession spark = BatchSession.create(o, "clickstream-rollup");
        Result r = run(spark, o);
        System.out.printf("rollup: %d hours (%,d rows), days %s (%,d rows)%n", r.hours().size(), r.hourRows(), r.days(), r.dayRows());
        spark.stop();
    }

    /** The rollups of the options' {@code --hours} and {@code --days} (all hours of each day, and the day). */
    public static Result run(SparkSession spark, BatchOptions o) throws Exception {
        return run(spark, o, o.allHours(), o.days);
    }

    /** The rollups of exactly these hours and days; {@code o} gives the tables and the commit retries. */
    public static Result run(SparkSession spark, BatchOptions o, List<LocalDateTime> hours, List<LocalDate> days) throws Exception {
        TreeSet<String> dts = new TreeSet<>();
        hours.forEach(h -> dts.add(h.toLocalDate().toString()));
        long hourRows = 0;
        if (!hours.isEmpty()) {
            Map<String, String> v = Map.of("dts", BatchSession.literals(new ArrayList<>(dts)),
                "hours", BatchSession.literals(hours.stream().map(SQL_HOUR::format).toList()));
            spark.sql(BatchSession.sql(o, "hour_rollup", v)).cache().createOrReplaceTempView("hour_rollup");
            hourRows = spark.table("hour_rollup").count();
            BatchSession.withCommitRetries(o, "MERGE INTO page_hour_agg", () -> spark.sql(BatchSession.sql(o, "merge_page_hour_agg", v)));
            spark.catalog().uncacheTable("hour_rollup");
        }
        long dayRows = 0;
        if (!days.isEmpty()) {
            Map<String, String> v = Map.of("dts", BatchSession.literals(days.stream().map(LocalDate::toString).toList()));
            spark.sql(BatchSession.sql(o, "day_rollup", v)).cache().createOrReplaceTempView("day_rollup");
            dayRows = spark.table("day_rollup").count();
            BatchSession.withCommitRetries(o, "MERGE INTO page_day_agg", () -> spark.sql(BatchSession.sql(o, "merge_page_day_agg", v)));
            spark.catalog().uncacheTable("day_rollup");
        }
        return new Result(hours, days, hourRows, dayRows);
    }
}
