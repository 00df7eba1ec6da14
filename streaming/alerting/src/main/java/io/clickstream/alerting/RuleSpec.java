package io.clickstream.alerting;

import java.util.Objects;

import io.clickstream.tables.AlertRule;
import io.clickstream.tables.ClickEvent;

/**
 * A rule as the job evaluates it: a {@link AlertRule} row with durations in milliseconds, as a Flink
 * POJO (public fields, no-arg constructor) so that it travels in broadcast and keyed state without Kryo.
 */
public class RuleSpec {
    public String ruleId;
    public String name;
    public long version;
    public String metric;
    public String filterPage;
    public String filterCountry;
    public String filterDevice;
    public String filterEventType;
    /** above, below or zscore_above. */
    public String condition;
    public double threshold;
    /** zscore_above: how many previous windows form the baseline; 0 otherwise. */
    public int baselineWindows;
    public long windowMs;
    public long slideMs;
    public long minDurationMs;
    /** kafka, iceberg or webhook. */
    public String channel;
    public String webhookUrl;
    public boolean enabled;

    public RuleSpec() {}

    public static RuleSpec of(AlertRule r) {
        RuleSpec s = new RuleSpec();
        s.ruleId = r.ruleId();
        s.name = r.name();
        s.version = r.version();
        s.metric = r.metric();
        s.filterPage = r.filterPage();
        s.filterCountry = r.filterCountry();
        s.filterDevice = r.filterDevice();
        s.filterEventType = r.filterEventType();
        s.condition = r.condition();
        s.threshold = r.threshold();
        s.baselineWindows = r.baselineWindows() == null ? 0 : r.baselineWindows();
        s.windowMs = r.windowSeconds() * 1000L;
        s.slideMs = r.slideSeconds() * 1000L;
        s.minDurationMs = r.minDurationSeconds() * 1000L;
        s.channel = r.channel();
        s.webhookUrl = r.webhookUrl();
        s.enabled = r.enabled();
        return s;
    }

    /** The metric, or empty if this job does not evaluate it. */
    public java.util.Optional<Metric> metricKind() {
        return Metric.fromWire(metric);
    }

    /** Whether the job can evaluate this rule: a known metric and condition, and a window the slide divides. */
    public boolean supported() {
        return metricKind().isPresent() && ("above".equals(condition) || "below".equals(condition)
            || ("zscore_above".equals(condition) && baselineWindows >= 2))
            && slideMs > 0 && windowMs >= slideMs && windowMs % slideMs == 0;
    }

    /** Whether a valid event counts in this rule's metric: the metric's event type and every dimension filter. */
    public boolean counts(ClickEvent e) {
        Metric m = metricKind().orElseThrow();
        if (m == Metric.DLQ_RATE) {
            return true; // a rate of all records: filters do not apply
        }
        return m.counts(e) && matches(filterPage, e.page) && matches(filterCountry, e.country) && matches(filterDevice, e.device)
            && matches(filterEventType, e.eventType);
    }

    private static boolean matches(String filter, String value) {
        return filter == null || filter.equals(value);
    }

    /** Whether the per-slide buckets of {@code other} mean the same for this rule (only threshold, condition, names, channel differ). */
    public boolean sameBuckets(RuleSpec other) {
        return other != null && Objects.equals(metric, other.metric) && Objects.equals(filterPage, other.filterPage)
            && Objects.equals(filterCountry, other.filterCountry) && Objects.equals(filterDevice, other.filterDevice)
            && Objects.equals(filterEventType, other.filterEventType) && windowMs == other.windowMs && slideMs == other.slideMs;
    }

    @Override
    public String toString() {
        return "RuleSpec{" + ruleId + " v" + version + ", " + metric + " " + condition + " " + threshold + ", window " + windowMs
            + "/" + slideMs + " ms, min " + minDurationMs + " ms, " + channel + (enabled ? "" : ", disabled") + "}";
    }
}
