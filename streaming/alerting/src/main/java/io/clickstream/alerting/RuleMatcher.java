package io.clickstream.alerting;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the rules as broadcast state (every subtask has all of them, restored from checkpoints) and
 * turns each record of {@code clicks.raw} into one hit per enabled rule it counts for. A changed rule
 * (new version, disabled, gone from the table) is forwarded to the evaluator through the same keyed
 * channel as the hits. Records that arrive before the first poll of the rules table are held back
 * (in operator state) and matched once the rules are known, so a fresh start counts them; the rules
 * stream's watermark ({@link RulePoller#watermarks()}) holds the watermark back until then.
 */
public class RuleMatcher extends BroadcastProcessFunction<RawRecord, RuleSnapshot, AlertInput> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RuleMatcher.class);

    /** Rule id → rule (every rule of the last poll, enabled or not). */
    public static final MapStateDescriptor<String, RuleSpec> RULES =
        new MapStateDescriptor<>("rules", Types.STRING, TypeInformation.of(RuleSpec.class));
    /** Whether a poll has arrived yet (a single entry, key "loaded"). */
    public static final MapStateDescriptor<String, Boolean> LOADED = new MapStateDescriptor<>("rules-loaded", Types.STRING, Types.BOOLEAN);

    private final long allowedLatenessMs;
    private transient ListState<RawRecord> pendingState;
    private transient List<RawRecord> pending;
    /** Enabled, supported rules: a cache of the broadcast state, rebuilt after a change or a restore. */
    private transient List<RuleSpec> active;
    private transient Counter records;
    private transient Counter malformed;
    private transient Counter ruleChanges;
    private transient Counter unsupportedRules;

    /** @param allowedLatenessMs an event this far behind the watermark counts as late (late_rate) */
    public RuleMatcher(long allowedLatenessMs) {
        this.allowedLatenessMs = allowedLatenessMs;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
        records = getRuntimeContext().getMetricGroup().counter("records");
        malformed = getRuntimeContext().getMetricGroup().counter("malformedRecords");
        ruleChanges = getRuntimeContext().getMetricGroup().counter("ruleChanges");
        unsupportedRules = getRuntimeContext().getMetricGroup().counter("unsupportedRules");
    }

    @Override
    public void processElement(RawRecord r, ReadOnlyContext ctx, Collector<AlertInput> out) throws Exception {
        records.inc();
        if (r.malformed()) {
            malformed.inc();
            // The source's timestamp for a malformed record: its reader's latest event time.
            if (ctx.timestamp() != null) {
                r.time = ctx.timestamp();
            }
        }
        if (!Boolean.TRUE.equals(ctx.getBroadcastState(LOADED).get("loaded"))) {
            pending.add(r);
            return;
        }
        if (active == null) {
            active = enabled(ctx.getBroadcastState(RULES).immutableEntries());
        }
        route(r, ctx.currentWatermark(), out);
    }

    private void route(RawRecord r, long watermark, Collector<AlertInput> out) {
        boolean late = !r.malformed() && watermark != Long.MIN_VALUE && r.time < watermark - allowedLatenessMs;
        for (RuleSpec rule : active) {
            Metric metric = rule.metricKind().orElseThrow();
            if (r.malformed()) {
                if (metric == Metric.DLQ_RATE) {
                    out.collect(AlertInput.hit(rule.ruleId, r.time, r.kafkaTimestamp, true, null));
                }
            } else if (rule.counts(r.event)) {
                if (metric == Metric.LATE_RATE) {
                    // Counted when it arrives: its own windows have long been evaluated.
                    out.collect(AlertInput.hit(rule.ruleId, Math.max(r.time, watermark), r.kafkaTimestamp, late, r.event.userId));
                } else if (metric == Metric.DUPLICATE_RATE) {
                    if (!late) {
                        out.collect(AlertInput.eventHit(rule.ruleId, r.time, r.kafkaTimestamp, r.event.userId, r.event.eventId));
                    }
                } else if (!late || metric == Metric.DLQ_RATE) {
                    out.collect(AlertInput.hit(rule.ruleId, late ? watermark : r.time, r.kafkaTimestamp, false, r.event.userId));
                }
            }
        }
    }

    @Override
    public void processBroadcastElement(RuleSnapshot snapshot, Context ctx, Collector<AlertInput> out) throws Exception {
        if (snapshot.stale) {
            return;
        }
        BroadcastState<String, RuleSpec> rules = ctx.getBroadcastState(RULES);
        Set<String> seen = new HashSet<>();
        for (RuleSpec next : snapshot.rules) {
            seen.add(next.ruleId);
            RuleSpec current = rules.get(next.ruleId);
            if (current != null && current.version == next.version) {
                continue;
            }
            rules.put(next.ruleId, next);
            ruleChanges.inc();
            if (next.enabled && !next.supported()) {
                unsupportedRules.inc();
                LOG.warn("Rule {} is not evaluated by this job (metric {}, condition {}): skipped", next.ruleId, next.metric, next.condition);
            }
            LOG.info("Rule {} now {}", next.ruleId, next);
            if (current != null || next.enabled) {
                out.collect(AlertInput.change(next));
            }
        }
        List<String> gone = new ArrayList<>();
        for (Map.Entry<String, RuleSpec> e : rules.entries()) {
            if (!seen.contains(e.getKey())) {
                gone.add(e.getKey());
            }
        }
        for (String id : gone) {
            RuleSpec removed = rules.get(id);
            rules.remove(id);
            RuleSpec disabled = copyDisabled(removed);
            out.collect(AlertInput.change(disabled));
        }
        active = enabled(rules.immutableEntries());
        ctx.getBroadcastState(LOADED).put("loaded", true);
        if (!pending.isEmpty()) {
            LOG.info("Rules loaded: matching {} records held back until then", pending.size());
            for (RawRecord r : pending) {
                route(r, Long.MIN_VALUE, out);
            }
            pending.clear();
        }
    }

    private static RuleSpec copyDisabled(RuleSpec r) {
        RuleSpec d = new RuleSpec();
        d.ruleId = r.ruleId;
        d.name = r.name;
        d.version = r.version + 1;
        d.metric = r.metric;
        d.condition = r.condition;
        d.channel = r.channel;
        d.enabled = false;
        return d;
    }

    private static List<RuleSpec> enabled(Iterable<Map.Entry<String, RuleSpec>> entries) {
        List<RuleSpec> out = new ArrayList<>();
        for (Map.Entry<String, RuleSpec> e : entries) {
            if (e.getValue().enabled && e.getValue().supported()) {
                out.add(e.getValue());
            }
        }
        out.sort(java.util.Comparator.comparing(r -> r.ruleId));
        return out;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        pendingState.update(pending);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        pendingState = context.getOperatorStateStore().getListState(
            new ListStateDescriptor<>("pending-records", TypeInformation.of(RawRecord.class)));
        pending = new ArrayList<>();
        for (RawRecord r : pendingState.get()) {
            pending.add(r);
        }
    }

}
