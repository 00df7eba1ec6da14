package io.clickstream.streaming.metrics;

import java.util.List;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The streaming job's own metrics, each defined once: its Flink group path (the labels), its name, its
 * type and what it means. Operators register them through {@link #counter} and {@link #gauge}; the
 * Prometheus rules, the tests and {@code docs/OPERATIONS.md} refer to {@link #prometheusName()}, which is
 * the name Flink's Prometheus reporter gives it (checked against a running reporter by
 * {@code PrometheusITCase}, and against the docs by {@code OperationsDocTest}).
 *
 * <p>Flink's reporter names an operator metric {@code flink_taskmanager_job_task_operator_} followed by
 * the metric's group names and its own name, joined by {@code _}; a key/value group
 * ({@code addGroup("partition", "3")}) adds its key to the name and a label {@code partition="3"}. Every
 * metric here lives in the group {@value #GROUP}, so they all start with {@link #PREFIX}, and every
 * series also carries Flink's own labels ({@code job_name}, {@code operator_name}, {@code subtask_index}, ...).
 * Flink exports counters as Prometheus gauges (a Flink counter may go down); they only grow here, so
 * {@code rate()} and {@code increase()} apply, and the names end in {@code _total} as for counters.
 */
public enum PipelineMetric {
    RECORDS_ACCEPTED(Type.COUNTER, "records_accepted_total", List.of("partition"),
        "Records of clicks.raw that parsed (every copy of a duplicate included): the rows of raw_events, per source partition."),
    RECORDS_REJECTED(Type.COUNTER, "records_rejected_total", List.of("reason"),
        "Records of clicks.raw rejected by the parser and sent to clicks.dlq (and dlq_events), per DlqReason."),
    RECORDS_BEYOND_LATENESS(Type.COUNTER, "records_beyond_lateness_total", List.of("partition"),
        "Accepted records (duplicates included) already beyond the allowed lateness of their partition's watermark when read, per partition."),
    PARTITION_WATERMARK(Type.GAUGE, "watermark_timestamp_seconds", List.of("partition"),
        "The partition's watermark: the largest event time read from it minus the out-of-orderness bound, in epoch seconds (NaN before its first record)."),
    PARTITION_WATERMARK_LAG(Type.GAUGE, "watermark_lag_seconds", List.of("partition"),
        "Wall clock minus the partition's watermark, in seconds: how far event time behind now the partition is (NaN before its first record)."),
    DUPLICATES_DROPPED(Type.COUNTER, "duplicates_dropped_total", List.of(),
        "Re-sent copies of an event_id already seen (within the dedup retention), dropped before the windows."),
    LATE_EVENTS(Type.COUNTER, "late_events_total", List.of(),
        "Distinct events beyond the allowed lateness of their minute window, sent to clicks.late for the batch correction."),
    LATE_AT_WINDOW(Type.COUNTER, "late_at_window_total", List.of("partition"),
        "Events on time by their partition's watermark but late for a window operator (operator_name minute-window-late or "
            + "session-late), per source partition: the job-wide watermark passed a partition that was idle beyond "
            + "clickstream.watermark.idle-timeout. They go to clicks.late."),
    FUNNEL_SESSIONS_AFTER_CLOSE(Type.COUNTER, "funnel_sessions_after_close_total", List.of(),
        "Sessions that closed after their day's funnel row was final; the batch correction counts them."),
    TABLE_ROWS_COMMITTED(Type.COUNTER, "rows_committed_total", List.of("table"),
        "Rows handed to a table's sinks (Paimon and, with serving on, Iceberg) that a completed checkpoint covers, i.e. "
            + "committed; upserts count once per write, per table."),
    TABLE_LAST_COMMIT(Type.GAUGE, "last_commit_timestamp_seconds", List.of("table"),
        "Wall-clock time (epoch seconds) of the last completed checkpoint that committed rows of the table (NaN before "
            + "the first); time() minus it is the table's freshness.");

    /** Prometheus metric types as exported. */
    public enum Type { COUNTER, GAUGE }

    /** The metric group every metric of the job lives in. */
    public static final String GROUP = "clickstream";
    /** What Flink's Prometheus reporter puts before the group path of an operator metric. */
    public static final String OPERATOR_SCOPE = "flink_taskmanager_job_task_operator_";
    /** The common start of every name here. */
    public static final String PREFIX = OPERATOR_SCOPE + GROUP + "_";

    private final Type type;
    private final String name;
    private final List<String> labels;
    private final String help;

    PipelineMetric(Type type, String name, List<String> labels, String help) {
        this.type = type;
        this.name = name;
        this.labels = labels;
        this.help = help;
    }

    public Type type() {
        return type;
    }

    /** Our labels (Flink adds its own: job_name, operator_name, subtask_index, ...). */
    public List<String> labels() {
        return labels;
    }

    public String help() {
        return help;
    }

    /** The name in Prometheus, as Flink's reporter exports it. */
    public String prometheusName() {
        return PREFIX + (labels.isEmpty() ? "" : String.join("_", labels) + "_") + name;
    }

    /** The group of this metric under an operator's group, for the given label values (one per label). */
    public MetricGroup group(MetricGroup operator, String... labelValues) {
        if (labelValues.length != labels.size()) {
            throw new IllegalArgumentException(this + " takes labels " + labels + ", got " + labelValues.length + " values");
        }
        MetricGroup g = operator.addGroup(GROUP);
        for (int i = 0; i < labelValues.length; i++) {
            g = g.addGroup(labels.get(i), labelValues[i]);
        }
        return g;
    }

    /** Registers this counter in an operator's metric group. */
    public Counter counter(MetricGroup operator, String... labelValues) {
        if (type != Type.COUNTER) {
            throw new IllegalStateException(this + " is a " + type);
        }
        return group(operator, labelValues).counter(name);
    }

    /** Registers this gauge in an operator's metric group. */
    public <T, G extends Gauge<T>> G gauge(MetricGroup operator, G gauge, String... labelValues) {
        if (type != Type.GAUGE) {
            throw new IllegalStateException(this + " is a " + type);
        }
        return group(operator, labelValues).gauge(name, gauge);
    }
}
