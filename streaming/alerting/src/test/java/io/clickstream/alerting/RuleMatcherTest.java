package io.clickstream.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.clickstream.tables.ClickEvent;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The rule matcher on Flink's broadcast harness: records before the first poll are held and matched
 * once the rules are known; a record counts for exactly the rules whose metric and filters it matches;
 * malformed records count for DLQ-rate rules only; only changed versions are forwarded.
 */
class RuleMatcherTest {
    static final long T0 = AlertEvaluatorTest.T0;

    static RawRecord view(String page, String user, long time) {
        ClickEvent e = new ClickEvent("e-" + user + time, 2, "page_view", user, page, time);
        e.country = "DE";
        return RawRecord.valid(e, time + 100);
    }

    static List<String> out(BroadcastOperatorTestHarness<RawRecord, RuleSnapshot, AlertInput> h) {
        return h.extractOutputValues().stream()
            .map(a -> a.isChange() ? "change " + a.ruleId + " v" + a.rule.version + (a.rule.enabled ? "" : " disabled")
                : "hit " + a.ruleId + " " + (a.eventTime - T0) + (a.flagged ? " flagged" : " " + a.userId))
            .toList();
    }

    @Test
    void matchesRecordsAgainstTheBroadcastRules() throws Exception {
        try (var h = ProcessFunctionTestHarnesses.forBroadcastProcessFunction(new RuleMatcher(120_000), RuleMatcher.RULES, RuleMatcher.LOADED)) {
            h.processElement(view("/p/1", "u1", T0 + 1), T0 + 1);
            RawRecord bad = RawRecord.malformed(T0 + 500);
            h.processElement(bad, T0 + 2);
            assertThat(out(h)).as("held until the rules are known").isEmpty();

            RuleSpec views = AlertEvaluatorTest.rule("views-p1", 1, "page_views", "above", 10, 60, 10, 0);
            views.filterPage = "/p/1";
            RuleSpec france = AlertEvaluatorTest.rule("views-fr", 1, "page_views", "above", 10, 60, 10, 0);
            france.filterCountry = "FR";
            RuleSpec dlq = AlertEvaluatorTest.rule("dlq", 1, "dlq_rate", "above", 0.1, 60, 10, 0);
            RuleSpec dup = AlertEvaluatorTest.rule("dup", 1, "duplicate_rate", "above", 0.1, 60, 10, 0);
            h.processBroadcastElement(RuleSnapshot.of(0, views, france, dlq, dup), 0);
            assertThat(out(h)).containsExactly("change views-p1 v1", "change views-fr v1", "change dlq v1", "change dup v1",
                "hit dlq 1 u1", "hit dup 1 u1", "hit views-p1 1 u1", "hit dlq 2 flagged");

            h.getOutput().clear();
            h.processBroadcastElement(RuleSnapshot.of(1, views, france, dlq, dup), 1);
            h.processBroadcastElement(RuleSnapshot.stale(2), 2);
            h.processElement(view("/p/2", "u2", T0 + 3), T0 + 3);
            assertThat(out(h)).as("same versions, a failed poll: no change").containsExactly("hit dlq 3 u2", "hit dup 3 u2");

            h.getOutput().clear();
            RuleSpec off = AlertEvaluatorTest.rule("views-p1", 2, "page_views", "above", 10, 60, 10, 0);
            off.enabled = false;
            h.processBroadcastElement(RuleSnapshot.of(3, off, france, dlq), 3);
            h.processElement(view("/p/1", "u3", T0 + 4), T0 + 4);
            assertThat(out(h)).containsExactly("change views-p1 v2 disabled", "change dup v2 disabled", "hit dlq 4 u3");
        }
    }

    @Test
    void lateEventsCountOnlyInLateRateRulesAtTheWatermark() throws Exception {
        try (var h = ProcessFunctionTestHarnesses.forBroadcastProcessFunction(new RuleMatcher(120_000), RuleMatcher.RULES, RuleMatcher.LOADED)) {
            RuleSpec views = AlertEvaluatorTest.rule("views", 1, "page_views", "above", 10, 60, 10, 0);
            RuleSpec late = AlertEvaluatorTest.rule("late", 1, "late_rate", "above", 0.1, 60, 10, 0);
            late.filterPage = "/p/1";
            h.processBroadcastElement(RuleSnapshot.of(0, views, late), 0);
            h.processBroadcastWatermark(Long.MAX_VALUE - 1);
            h.processWatermark(T0 + 200_000);
            h.getOutput().clear();
            h.processElement(view("/p/1", "u1", T0 + 79_999), T0 + 79_999); // more than 2 min behind: late
            h.processElement(view("/p/1", "u2", T0 + 80_000), T0 + 80_000); // exactly 2 min: on time
            h.processElement(view("/p/2", "u3", T0 + 10), T0 + 10);         // late, but not on the late rule's page
            assertThat(out(h)).containsExactly("hit late 200000 flagged", "hit late 200000 u2", "hit views 80000 u2");
        }
    }
}
