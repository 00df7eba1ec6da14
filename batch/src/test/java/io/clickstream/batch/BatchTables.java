package io.clickstream.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import io.clickstream.loadgen.GroundTruth;
import org.apache.datasketches.hll.HllSketch;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads the batch layer's tables as comparable strings and checks them against the ground truth (shared by the batch ITCases). */
final class BatchTables {
    private final SparkSession spark;
    private final BatchOptions options;
    private final GroundTruth truth;

    BatchTables(SparkSession spark, BatchOptions options, GroundTruth truth) {
        this.spark = spark;
        this.options = options;
        this.truth = truth;
    }

    void assertRollupsEqualTruth() {
        assertThat(rows("SELECT hour_start, page, events, page_views, clicks, add_to_carts, checkouts, purchases, late_events, "
            + "unique_users, unique_viewers FROM " + options.table("page_hour_agg")))
            .containsExactlyInAnyOrderElementsOf(rollupStrings(truth.hourRollup()));
        assertThat(rows("SELECT dt, page, events, page_views, clicks, add_to_carts, checkouts, purchases, late_events, "
            + "unique_users, unique_viewers FROM " + options.table("page_day_agg")))
            .containsExactlyInAnyOrderElementsOf(rollupStrings(truth.dayRollup()));
        assertSketchesAgreeWithExactCounts("page_hour_agg");
        assertSketchesAgreeWithExactCounts("page_day_agg");
    }

    static List<String> rollupStrings(List<GroundTruth.RollupRow> rows) {
        return rows.stream().map(GroundTruth.RollupRow::joined).toList();
    }

    void assertSketchesAgreeWithExactCounts(String table) {
        for (Row r : spark.sql("SELECT unique_users, users_hll FROM " + options.table(table)).collectAsList()) {
            long exact = r.getLong(0);
            double estimate = HllSketch.heapify((byte[]) r.get(1)).getEstimate();
            assertThat(Math.abs(estimate - exact)).as("%s sketch estimate %.1f vs exact %d", table, estimate, exact)
                .isLessThanOrEqualTo(Math.max(1.0, exact * 0.05));
        }
    }

    /** The minute table as MinuteRow strings, read fresh (another process may have committed since this session cached it). */
    List<String> minuteRows() {
        spark.catalog().refreshTable(options.table("page_minute_agg"));
        List<String> out = new ArrayList<>();
        for (Row r : spark.sql("SELECT window_start, page, events, page_views, clicks, add_to_carts, checkouts, purchases, "
                + "unique_users, unique_viewers, revision FROM " + options.table("page_minute_agg")).collectAsList()) {
            assertThat(r.getLong(10)).as("revision = distinct events").isEqualTo(r.getLong(2));
            long start = ((LocalDateTime) r.get(0)).toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
            out.add(new GroundTruth.MinuteRow(start, r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5),
                r.getLong(6), r.getLong(7), r.getLong(8), r.getLong(9)).toString());
        }
        return out;
    }

    /** The sessions table as GroundTruth.SessionRow strings; duration and dt checked against the bounds. */
    List<String> sessionRows() {
        spark.catalog().refreshTable(options.table("sessions"));
        List<String> out = new ArrayList<>();
        for (Row r : spark.sql("SELECT user_id, session_start, session_end, events, page_views, distinct_pages, funnel_step, "
                + "duration_ms, dt FROM " + options.table("sessions")).collectAsList()) {
            long start = ((LocalDateTime) r.get(1)).toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
            long end = ((LocalDateTime) r.get(2)).toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
            assertThat(r.getLong(7)).isEqualTo(end - start);
            assertThat(r.getString(8)).isEqualTo(GroundTruth.day(start));
            out.add(new GroundTruth.SessionRow(r.getString(0), start, end, r.getLong(3), r.getLong(4), r.getLong(5), r.getInt(6)).toString());
        }
        return out;
    }

    /** The funnel table as GroundTruth.FunnelRow strings. */
    List<String> funnelRows() {
        spark.catalog().refreshTable(options.table("funnel_daily"));
        List<String> out = new ArrayList<>();
        for (Row r : spark.sql("SELECT dt, step, sessions, entrants FROM " + options.table("funnel_daily")).collectAsList()) {
            out.add(new GroundTruth.FunnelRow(r.getString(0), r.getInt(1), r.getLong(2), r.getLong(3)).toString());
        }
        return out;
    }

    static List<String> sessionStrings(List<GroundTruth.SessionRow> rows) {
        return rows.stream().map(Object::toString).toList();
    }

    static List<String> funnelStrings(List<GroundTruth.FunnelRow> rows) {
        return rows.stream().map(Object::toString).toList();
    }

    static List<String> strings(List<GroundTruth.MinuteRow> rows) {
        return rows.stream().map(Object::toString).toList();
    }

    List<String> rows(String sql) {
        List<String> out = new ArrayList<>();
        for (Row r : spark.sql(sql).collectAsList()) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length(); i++) {
                b.append(i > 0 ? "|" : "").append(r.get(i));
            }
            out.add(b.toString());
        }
        return out;
    }

}
