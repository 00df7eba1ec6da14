package io.clickstream.batch;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.clickstream.tables.BatchTable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Proves invariant 1 per partition of {@code clicks.raw} and Kafka-timestamp hour, for explicit hours
 * or days: Kafka's offsets at the hour boundaries (admin API, {@code offsetsForTimes}) give the
 * expected record count of each (hour, partition); {@code raw_events} + {@code dlq_events} rows whose
 * offsets fall in that range must add up to it. Duplicates and late events are counted on top. The
 * result is MERGEd into {@code reconciliation}; the hour's totals become {@code quality_metrics} with
 * a z-score against the previous hours, flagged when |z| exceeds the threshold or any offset is
 * unexplained.
 */
public final class ReconciliationJob {
    /** Quality metrics, in report order. */
    public static final List<String> METRICS = List.of("records", "dlq_rate", "duplicate_rate", "late_rate", "unexplained");

    /** Hours of history a z-score needs. */
    static final int MIN_HISTORY = 6;

    /** What a run found. */
    public record Result(long ranges, long expected, long raw, long dlq, long unexplained, long flaggedMetrics) {}

    private ReconciliationJob() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--help")) {
            System.out.println(BatchOptions.describe());
            return;
        }
        BatchOptions o = BatchOptions.parse(args);
        if (o.hours.isEmpty() && o.days.isEmpty()) {
            throw new IllegalArgumentException("give --hours or --days");
        }
        SparkSession spark = BatchSession.create(o, "clickstream-reconciliation");
        Result r = run(spark, o);
        System.out.printf("reconciliation: %,d (hour, partition) ranges, %,d expected records = %,d raw + %,d DLQ + %,d unexplained; "
            + "%d flagged metrics%n", r.ranges(), r.expected(), r.raw(), r.dlq(), r.unexplained(), r.flaggedMetrics());
        spark.stop();
        if (r.unexplained() != 0) {
            System.exit(2);
        }
    }

    public static Result run(SparkSession spark, BatchOptions o) throws Exception {
        List<LocalDateTime> hours = o.allHours();
        List<Row> ranges = new ArrayList<>();
        try (KafkaOffsets k = new KafkaOffsets(o.bootstrapServers)) {
            Map<Integer, Long> latest = k.latest(o.rawTopic);
            for (LocalDateTime h : hours) {
                Map<Integer, Long> start = k.atTime(o.rawTopic, LateCorrectionJob.epochMillis(h), latest);
                Map<Integer, Long> end = k.atTime(o.rawTopic, LateCorrectionJob.epochMillis(h.plusHours(1)), latest);
                for (int p : latest.keySet()) {
                    ranges.add(RowFactory.create(h.toLocalDate().toString(), h, p, start.get(p), end.get(p)));
                }
            }
        }
        spark.createDataFrame(ranges, new org.apache.spark.sql.types.StructType()
                .add("dt", "string").add("hour_start", "timestamp_ntz").add("kafka_partition", "int")
                .add("start_offset", "long").add("end_offset", "long"))
            .createOrReplaceTempView("offset_ranges");
        TreeSet<String> dts = new TreeSet<>();
        TreeSet<String> eventDts = new TreeSet<>();
        for (LocalDateTime h : hours) {
            LocalDate d = h.toLocalDate();
            // Records near midnight may carry the neighbouring day's timestamp; late events are up to days old.
            dts.add(d.minusDays(1).toString());
            dts.add(d.toString());
            dts.add(d.plusDays(1).toString());
        }
        for (Row r : spark.sql(BatchSession.sql(o, "reconciliation_event_days",
                Map.of("dts", BatchSession.literals(new ArrayList<>(dts))))).collectAsList()) {
            eventDts.add(r.getString(0));
        }
        if (eventDts.isEmpty()) {
            eventDts.add(dts.first());
        }
        Map<String, String> v = Map.of("dts", BatchSession.literals(new ArrayList<>(dts)),
            "event_dts", BatchSession.literals(new ArrayList<>(eventDts)));
        spark.sql(BatchSession.sql(o, "reconciliation", v)).cache().createOrReplaceTempView("reconciliation_rows");
        List<Row> rows = spark.table("reconciliation_rows").collectAsList();
        BatchSession.withCommitRetries(o, "MERGE INTO reconciliation",
            () -> spark.sql(BatchSession.sql(o, "merge_reconciliation", Map.of())));

        long expected = 0;
        long raw = 0;
        long dlq = 0;
        long unexplained = 0;
        Map<LocalDateTime, long[]> perHour = new TreeMap<>();
        for (Row r : rows) {
            long[] t = perHour.computeIfAbsent((LocalDateTime) r.getAs("hour_start"), k -> new long[6]);
            t[0] += r.<Long>getAs("expected_records");
            t[1] += r.<Long>getAs("raw_rows");
            t[2] += r.<Long>getAs("dlq_rows");
            t[3] += r.<Long>getAs("unexplained");
            t[4] += r.<Long>getAs("duplicate_rows");
            t[5] += r.<Long>getAs("late_events");
        }
        for (long[] t : perHour.values()) {
            expected += t[0];
            raw += t[1];
            dlq += t[2];
            unexplained += t[3];
        }
        long flagged = writeQualityMetrics(spark, o, perHour);
        spark.catalog().uncacheTable("reconciliation_rows");
        return new Result(rows.size(), expected, raw, dlq, unexplained, flagged);
    }

    /** The hour's metric values from its reconciliation totals. */
    static Map<String, Double> metrics(long[] t) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("records", (double) t[0]);
        m.put("dlq_rate", t[0] == 0 ? 0 : (double) t[2] / t[0]);
        m.put("duplicate_rate", t[1] == 0 ? 0 : (double) t[4] / t[1]);
        m.put("late_rate", t[1] == 0 ? 0 : (double) t[5] / t[1]);
        m.put("unexplained", (double) t[3]);
        return m;
    }

    /**
     * z = (value - mean) / std of the same metric over the previous {@code history} hours (stored ones
     * and earlier hours of this run); null with fewer than {@value #MIN_HISTORY} hours of history (a
     * deviation from two or three points flags ordinary noise) or no deviation.
     */
    static Double zScore(double value, List<Double> history) {
        return Baseline.of(history).zScore(value);
    }

    /** Mean and sample standard deviation of a metric's history (null where there are too few points). */
    record Baseline(Double mean, Double std, int points) {
        static Baseline of(List<Double> history) {
            if (history.isEmpty()) {
                return new Baseline(null, null, 0);
            }
            double mean = history.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            Double std = history.size() < 2 ? null
                : Math.sqrt(history.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / (history.size() - 1));
            return new Baseline(mean, std, history.size());
        }

        Double zScore(double value) {
            return points < MIN_HISTORY || std == null || std == 0 ? null : (value - mean) / std;
        }
    }

    private static long writeQualityMetrics(SparkSession spark, BatchOptions o, Map<LocalDateTime, long[]> perHour) throws Exception {
        if (perHour.isEmpty()) {
            return 0;
        }
        LocalDateTime first = perHour.keySet().iterator().next();
        Map<String, TreeMap<LocalDateTime, Double>> history = new HashMap<>();
        String q = o.table(BatchTable.QUALITY_METRICS.tableName());
        for (Row r : spark.sql("SELECT metric, hour_start, value FROM " + q + " WHERE hour_start >= TIMESTAMP_NTZ '"
                + first.minusHours(o.zScoreHistoryHours).toString().replace('T', ' ') + "'").collectAsList()) {
            history.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put((LocalDateTime) r.get(1), r.getDouble(2));
        }
        List<Row> out = new ArrayList<>();
        long flagged = 0;
        for (Map.Entry<LocalDateTime, long[]> h : perHour.entrySet()) {
            for (Map.Entry<String, Double> m : metrics(h.getValue()).entrySet()) {
                TreeMap<LocalDateTime, Double> past = history.computeIfAbsent(m.getKey(), k -> new TreeMap<>());
                List<Double> window = new ArrayList<>(past.subMap(h.getKey().minusHours(o.zScoreHistoryHours), h.getKey()).values());
                Baseline b = Baseline.of(window);
                Double z = b.zScore(m.getValue());
                boolean flag = (z != null && Math.abs(z) > o.zScoreThreshold) || (m.getKey().equals("unexplained") && m.getValue() != 0);
                flagged += flag ? 1 : 0;
                out.add(RowFactory.create(h.getKey().toLocalDate().toString(), h.getKey(), m.getKey(), m.getValue(), b.mean(), b.std(),
                    z, flag));
                past.put(h.getKey(), m.getValue());
            }
        }
        spark.createDataFrame(out, spark.table(q).schema()).createOrReplaceTempView("quality_rows");
        BatchSession.withCommitRetries(o, "MERGE INTO quality_metrics", () -> spark.sql(BatchSession.sql(o, "merge_quality_metrics", Map.of())));
        return flagged;
    }
}
