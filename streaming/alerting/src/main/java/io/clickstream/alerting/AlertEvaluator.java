package io.clickstream.alerting;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.memory.Memory;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Evaluates one rule per key (the rule id) on sliding event-time windows and emits its transitions.
 *
 * <p>State per rule: the rule itself, one {@link Bucket} per slide of event time (an event updates one
 * bucket; a window is the sum of window/slide buckets) and a {@link RuleStatus}. One event-time timer
 * per rule walks the window ends: when the watermark passes the end of a window, the window is evaluated
 * (value, condition, z-score baseline), the buckets no later window needs are dropped and the timer for
 * the next end is set. Hysteresis: a rule fires when its condition has held over window ends spanning
 * {@code min_duration} (at once for 0), and resolves when the condition has been false for as long.
 *
 * <p>Early firing: an {@code above} rule on a metric that only grows in an open window (counts, unique
 * users) fires as soon as the next window to be evaluated exceeds the threshold, with no wait for the
 * watermark; the watermark's evaluation of that window would find the same breach, so the alert and its
 * id are the same either way (this is what keeps alerts within seconds of the event that caused them).
 *
 * <p>A rule change (new version) keeps the buckets if metric, filters and window are unchanged
 * (e.g. a new threshold applies to the current window at once), else starts afresh; a disabled rule's
 * state and timer are removed.
 *
 * <p>A {@code duplicate_rate} rule also keeps the event ids it counted (id → event time), for
 * {@code duplicateHorizonMs} of event time: a hit whose id is there is a duplicate. Expired ids are dropped at
 * the window ends, at most once per fifth of the horizon (one pass over the ids).
 */
public class AlertEvaluator extends KeyedProcessFunction<String, AlertInput, Alert> {
    private static final long serialVersionUID = 1L;
    private static final long NONE = RuleStatus.NONE;

    private transient ValueState<RuleSpec> rule;
    private transient MapState<Long, Bucket> buckets;
    private transient ValueState<RuleStatus> status;
    private transient MapState<String, Long> seenIds;
    private final long duplicateHorizonMs;
    private transient Counter lateHits;
    private transient Counter fired;
    private transient Counter resolved;
    private transient Counter firedEarly;

    /** With the default duplicate horizon ({@link AlertingOptions#DUPLICATE_HORIZON}). */
    public AlertEvaluator() {
        this(AlertingOptions.DUPLICATE_HORIZON.defaultValue().toMillis());
    }

    /** @param duplicateHorizonMs how long (event time) a duplicate_rate rule remembers an event id */
    public AlertEvaluator(long duplicateHorizonMs) {
        this.duplicateHorizonMs = duplicateHorizonMs;
    }

    @Override
    public void open(OpenContext openContext) {
        rule = getRuntimeContext().getState(new ValueStateDescriptor<>("rule", TypeInformation.of(RuleSpec.class)));
        buckets = getRuntimeContext().getMapState(new MapStateDescriptor<>("buckets", Types.LONG, TypeInformation.of(Bucket.class)));
        status = getRuntimeContext().getState(new ValueStateDescriptor<>("status", TypeInformation.of(RuleStatus.class)));
        seenIds = getRuntimeContext().getMapState(new MapStateDescriptor<>("seen-event-ids", Types.STRING, Types.LONG));
        lateHits = getRuntimeContext().getMetricGroup().counter("lateHits");
        fired = getRuntimeContext().getMetricGroup().counter("alertsFiring");
        resolved = getRuntimeContext().getMetricGroup().counter("alertsResolved");
        firedEarly = getRuntimeContext().getMetricGroup().counter("alertsFiredEarly");
    }

    @Override
    public void processElement(AlertInput in, Context ctx, Collector<Alert> out) throws Exception {
        if (in.isChange()) {
            onRuleChange(in.rule, ctx.timerService());
            return;
        }
        RuleSpec r = rule.value();
        if (r == null) {
            return;
        }
        RuleStatus s = status.value();
        if (s == null) {
            s = new RuleStatus();
        }
        long bucketStart = Math.floorDiv(in.eventTime, r.slideMs) * r.slideMs;
        if (s.lastEvaluated != NONE && bucketStart + r.windowMs <= s.lastEvaluated) {
            lateHits.inc();
            return;
        }
        Bucket b = buckets.get(bucketStart);
        if (b == null) {
            b = new Bucket();
        }
        Metric metric = r.metricKind().orElseThrow();
        boolean flagged = in.flagged;
        if (metric == Metric.DUPLICATE_RATE && in.eventId != null) {
            Long first = seenIds.get(in.eventId);
            flagged = first != null && Math.abs(in.eventTime - first) < duplicateHorizonMs;
            if (!flagged || in.eventTime < first) {
                seenIds.put(in.eventId, in.eventTime);
            }
        }
        if (metric.rate()) {
            b.total++;
            if (flagged) {
                b.count++;
            }
        } else {
            b.count++;
            if (metric == Metric.UNIQUE_USERS) {
                b.addUser(in.userId);
            }
        }
        b.lastArrival = Math.max(b.lastArrival, in.arrival);
        buckets.put(bucketStart, b);

        TimerService timers = ctx.timerService();
        if (s.nextTimer == NONE) {
            s.nextTimer = (s.lastEvaluated == NONE ? bucketStart + r.slideMs : s.lastEvaluated + r.slideMs) - 1;
            timers.registerEventTimeTimer(s.nextTimer);
        } else if (s.lastEvaluated == NONE && bucketStart + r.slideMs - 1 < s.nextTimer) {
            // An earlier first window than the one scheduled (out-of-order start): evaluate from there.
            timers.deleteEventTimeTimer(s.nextTimer);
            s.nextTimer = bucketStart + r.slideMs - 1;
            timers.registerEventTimeTimer(s.nextTimer);
        }

        if (in.eventTime >= s.nextTimer + 1 - r.windowMs && in.eventTime <= s.nextTimer) {
            fireEarly(r, s, in.arrival, out);
        }
        status.update(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        RuleSpec r = rule.value();
        RuleStatus s = status.value();
        if (r == null || s == null || s.nextTimer != timestamp) {
            return;
        }
        long end = timestamp + 1;
        evaluate(r, s, end, out);
        s.lastEvaluated = end;
        List<Long> stale = new ArrayList<>();
        for (Long start : buckets.keys()) {
            if (start + r.windowMs <= end) {
                stale.add(start);
            }
        }
        for (Long start : stale) {
            buckets.remove(start);
        }
        if (r.metricKind().orElseThrow() == Metric.DUPLICATE_RATE && Math.floorMod(end, Math.max(r.slideMs, duplicateHorizonMs / 5)) < r.slideMs) {
            // Ids older than the horizon behind this window end cannot make a later hit a duplicate (hits of closed windows are late).
            List<String> expired = new ArrayList<>();
            for (Map.Entry<String, Long> e : seenIds.entries()) {
                if (e.getValue() < end - r.windowMs - duplicateHorizonMs) {
                    expired.add(e.getKey());
                }
            }
            for (String id : expired) {
                seenIds.remove(id);
            }
        }
        // The chain of window ends runs while the rule is enabled (quiet windows count: below, z-score,
        // resolve), and stops at the end of input (a watermark at +infinity).
        if (ctx.timerService().currentWatermark() >= Long.MAX_VALUE / 2) {
            s.nextTimer = NONE;
        } else {
            s.nextTimer = end + r.slideMs - 1;
            ctx.timerService().registerEventTimeTimer(s.nextTimer);
            // The next window may already be above the threshold with what it holds (the records of a new slide
            // that arrived before the watermark closed this window).
            fireEarly(r, s, -1, out);
        }
        status.update(s);
    }

    /**
     * Fires an {@code above} rule on a growing metric now if the next window to be evaluated (ending at the
     * pending timer + 1) already exceeds the threshold and the breach has lasted the minimum duration by then:
     * the evaluation at its close would fire at the same window end. {@code arrival}: of the record that
     * completed the breach, or -1 for the window's latest.
     */
    private void fireEarly(RuleSpec r, RuleStatus s, long arrival, Collector<Alert> out) throws Exception {
        if (s.firing || s.nextTimer == NONE || !"above".equals(r.condition) || !r.metricKind().orElseThrow().monotone()) {
            return;
        }
        long end = s.nextTimer + 1;
        boolean held = r.minDurationMs == 0 || (s.streakStart != NONE && end - s.streakStart >= r.minDurationMs);
        if (!held) {
            return;
        }
        Window w = window(r, end);
        if (w.value > r.threshold) {
            s.firing = true;
            s.streakStart = NONE;
            firedEarly.inc();
            fired.inc();
            out.collect(alert(r, Alert.FIRING, end, w.value, Double.NaN, arrival < 0 ? w.lastArrival : arrival,
                evidence(r, Alert.FIRING, end, w.value, null) + "; fired before the window closed"));
        }
    }

    private void evaluate(RuleSpec r, RuleStatus s, long end, Collector<Alert> out) throws Exception {
        Window w = window(r, end);
        double score = Double.NaN;
        boolean breach;
        String baseline = null;
        switch (r.condition) {
            case "above" -> breach = w.value > r.threshold;
            case "below" -> breach = w.value < r.threshold;
            default -> {
                breach = false;
                if (s.history.length >= r.baselineWindows) {
                    double mean = Arrays.stream(s.history).average().orElse(0);
                    double var = Arrays.stream(s.history).map(x -> (x - mean) * (x - mean)).sum() / s.history.length;
                    double std = Math.sqrt(var);
                    score = (w.value - mean) / Math.max(std, 1e-9);
                    breach = score > r.threshold;
                    baseline = String.format(Locale.ROOT, "z-score %.3f against the previous %d windows (mean %.4f, std %.4f)",
                        score, s.history.length, mean, std);
                }
                double[] h = Arrays.copyOf(s.history, s.history.length + 1);
                h[h.length - 1] = w.value;
                s.history = h.length > r.baselineWindows ? Arrays.copyOfRange(h, h.length - r.baselineWindows, h.length) : h;
            }
        }
        if (!s.firing) {
            if (!breach) {
                s.streakStart = NONE;
                return;
            }
            if (s.streakStart == NONE) {
                s.streakStart = end;
            }
            if (end - s.streakStart >= r.minDurationMs) {
                String ev = evidence(r, Alert.FIRING, end, w.value, baseline) + "; held since the window ending "
                    + Instant.ofEpochMilli(s.streakStart);
                s.firing = true;
                s.streakStart = NONE;
                fired.inc();
                out.collect(alert(r, Alert.FIRING, end, w.value, score, w.lastArrival, ev));
            }
        } else {
            if (breach) {
                s.streakStart = NONE;
                return;
            }
            if (s.streakStart == NONE) {
                s.streakStart = end;
            }
            if (end - s.streakStart >= r.minDurationMs) {
                String ev = evidence(r, Alert.RESOLVED, end, w.value, baseline) + "; clear since the window ending "
                    + Instant.ofEpochMilli(s.streakStart);
                s.firing = false;
                s.streakStart = NONE;
                resolved.inc();
                out.collect(alert(r, Alert.RESOLVED, end, w.value, score, w.lastArrival, ev));
            }
        }
    }

    private void onRuleChange(RuleSpec next, TimerService timers) throws Exception {
        RuleSpec current = rule.value();
        if (current != null && next.version <= current.version) {
            return; // the same change from another matcher subtask
        }
        RuleStatus s = status.value();
        boolean keep = next.enabled && next.supported() && next.sameBuckets(current);
        if (!keep) {
            if (s != null && s.nextTimer != NONE) {
                timers.deleteEventTimeTimer(s.nextTimer);
            }
            buckets.clear();
            status.clear();
            seenIds.clear();
        }
        if (next.enabled && next.supported()) {
            rule.update(next);
        } else {
            rule.clear();
        }
    }

    /** A window's value and the latest arrival among its records. */
    record Window(double value, long lastArrival) {}

    private Window window(RuleSpec r, long end) throws Exception {
        Metric metric = r.metricKind().orElseThrow();
        long count = 0;
        long total = 0;
        long lastArrival = 0;
        Union union = metric == Metric.UNIQUE_USERS ? new Union(Bucket.HLL_LG_K) : null;
        for (long start = end - r.windowMs; start < end; start += r.slideMs) {
            Bucket b = buckets.get(start);
            if (b == null) {
                continue;
            }
            count += b.count;
            total += b.total;
            lastArrival = Math.max(lastArrival, b.lastArrival);
            if (union != null && b.users != null) {
                union.update(HllSketch.wrap(Memory.wrap(b.users)));
            }
        }
        double value = switch (metric) {
            case DLQ_RATE, LATE_RATE, DUPLICATE_RATE -> total == 0 ? 0.0 : (double) count / total;
            case UNIQUE_USERS -> Math.round(union.getEstimate());
            default -> count;
        };
        return new Window(value, lastArrival);
    }

    private static Alert alert(RuleSpec r, String state, long end, double value, double score, long breachArrival, String evidence) {
        Alert a = new Alert();
        a.alertId = Alert.id(r.ruleId, r.version, end, state);
        a.ruleId = r.ruleId;
        a.ruleVersion = r.version;
        a.ruleName = r.name;
        a.metric = r.metric;
        a.condition = r.condition;
        a.threshold = r.threshold;
        a.state = state;
        a.windowStart = end - r.windowMs;
        a.windowEnd = end;
        a.value = value;
        a.score = score;
        a.evidence = evidence;
        a.emittedAt = System.currentTimeMillis();
        a.breachArrival = breachArrival;
        a.channel = r.channel;
        a.webhookUrl = r.webhookUrl;
        return a;
    }

    private static String evidence(RuleSpec r, String state, long end, double value, String baseline) {
        String cond = "zscore_above".equals(r.condition) ? "z-score above" : r.condition;
        return String.format(Locale.ROOT, "%s = %s in [%s, %s) %s%s %s; min duration %d s%s", r.metric,
            value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value),
            Instant.ofEpochMilli(end - r.windowMs), Instant.ofEpochMilli(end), Alert.RESOLVED.equals(state) ? "no longer " : "",
            cond, fmt(r.threshold), r.minDurationMs / 1000, baseline == null ? "" : "; " + baseline);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
