package io.clickstream.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The evaluator on Flink's keyed operator harness, with watermarks set by hand: firing and resolving,
 * hysteresis (a flapping metric never pages), early firing before the window closes, z-scores, unique
 * users and the DLQ rate, rule updates, disable and re-enable, late hits, and that a disabled rule
 * leaves no state and no timer behind. Expected values are worked out by hand from the fixtures.
 */
class AlertEvaluatorTest {
    /** A fixed instant: every fixture time is T0 plus seconds. */
    static final long T0 = Instant.parse("2026-01-05T10:00:00Z").toEpochMilli();

    static long at(double seconds) {
        return T0 + Math.round(seconds * 1000);
    }

    static RuleSpec rule(String id, long version, String metric, String condition, double threshold, int window, int slide, int minDuration) {
        RuleSpec r = new RuleSpec();
        r.ruleId = id;
        r.name = "rule " + id;
        r.version = version;
        r.metric = metric;
        r.condition = condition;
        r.threshold = threshold;
        r.windowMs = window * 1000L;
        r.slideMs = slide * 1000L;
        r.minDurationMs = minDuration * 1000L;
        r.channel = "kafka";
        r.enabled = true;
        return r;
    }

    static KeyedOneInputStreamOperatorTestHarness<String, AlertInput, Alert> harness() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, AlertInput, Alert> h =
            new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new AlertEvaluator()), a -> a.ruleId, Types.STRING);
        h.open();
        return h;
    }

    static void change(KeyedOneInputStreamOperatorTestHarness<String, AlertInput, Alert> h, RuleSpec r) throws Exception {
        h.processElement(AlertInput.change(r), Long.MIN_VALUE);
    }

    static void hits(KeyedOneInputStreamOperatorTestHarness<String, AlertInput, Alert> h, String rule, double second, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            h.processElement(AlertInput.hit(rule, at(second), at(second) + 50, false, "u-" + i), at(second));
        }
    }

    static void watermark(KeyedOneInputStreamOperatorTestHarness<String, AlertInput, Alert> h, double second) throws Exception {
        h.processWatermark(at(second) - 1);
    }

    /** "state@end(s)=value vN" of every alert so far, in order; end in seconds after T0. */
    static List<String> alerts(KeyedOneInputStreamOperatorTestHarness<String, AlertInput, Alert> h) {
        return h.extractOutputValues().stream().map(a -> {
            assertThat(a.alertId).isEqualTo(Alert.id(a.ruleId, a.ruleVersion, a.windowEnd, a.state));
            assertThat(a.windowEnd - a.windowStart).isPositive();
            return a.ruleId + " " + a.state + "@" + (a.windowEnd - T0) / 1000 + "=" + a.value + " v" + a.ruleVersion;
        }).toList();
    }

    @Test
    void firesAfterTheMinimumDurationAndResolvesAfterAsLong() throws Exception {
        try (var h = harness()) {
            change(h, rule("views", 1, "page_views", "above", 5, 20, 10, 20));
            // Buckets of 10 s: 3, 4, 4, 4, then nothing. Windows (20 s) ending at 10: 3, 20: 7, 30: 8, 40: 8, 50: 4, 60: 0, 70: 0.
            hits(h, "views", 1, 3);
            hits(h, "views", 11, 4);
            hits(h, "views", 21, 4);
            hits(h, "views", 31, 4);
            assertThat(alerts(h)).as("no early firing before the breach has lasted 20 s").isEmpty();
            watermark(h, 20);
            assertThat(alerts(h)).as("breaching at 20 only").isEmpty();
            watermark(h, 30);
            // Breaching at 20 and 30; the window ending at 40 already holds 8 (its records are in) and would make
            // 20 s: it fires when 30 closes, at the end 40 that its own close would give.
            assertThat(alerts(h)).containsExactly("views firing@40=8.0 v1");
            watermark(h, 40);
            assertThat(alerts(h)).containsExactly("views firing@40=8.0 v1");
            watermark(h, 60);
            assertThat(alerts(h)).as("clear at 50 and 60: 10 s").containsExactly("views firing@40=8.0 v1");
            watermark(h, 70);
            assertThat(alerts(h)).containsExactly("views firing@40=8.0 v1", "views resolved@70=0.0 v1");
            Alert resolved = h.extractOutputValues().get(1);
            assertThat(resolved.windowStart).isEqualTo(at(50));
            assertThat(resolved.evidence).startsWith("page_views = 0 in [2026-01-05T10:00:50Z, 2026-01-05T10:01:10Z) no longer above 5");
        }
    }

    @Test
    void aFlappingMetricNeverPages() throws Exception {
        try (var h = harness()) {
            change(h, rule("flap", 1, "events", "above", 5, 10, 10, 10));
            for (int s = 0; s < 100; s += 20) {
                hits(h, "flap", s + 1, 6); // breaching windows ending at 10, 30, 50, ... and empty ones between
            }
            watermark(h, 120);
            assertThat(alerts(h)).isEmpty();
        }
    }

    @Test
    void anAboveRuleFiresWhenTheThresholdIsCrossedNotWhenTheWindowCloses() throws Exception {
        try (var h = harness()) {
            change(h, rule("spike", 1, "page_views", "above", 5, 20, 10, 0));
            hits(h, "spike", 12, 5);
            assertThat(alerts(h)).isEmpty();
            h.processElement(AlertInput.hit("spike", at(13), at(13.5), false, "u-x"), at(13));
            assertThat(alerts(h)).as("the sixth view, before any watermark").containsExactly("spike firing@20=6.0 v1");
            assertThat(h.extractOutputValues().get(0).breachArrival).isEqualTo(at(13.5));
            watermark(h, 20);
            assertThat(alerts(h)).as("the window's close finds the same breach: nothing new").hasSize(1);
            watermark(h, 40);
            assertThat(alerts(h)).containsExactly("spike firing@20=6.0 v1", "spike resolved@40=0.0 v1");
        }
    }

    @Test
    void zScoreAgainstThePreviousWindows() throws Exception {
        try (var h = harness()) {
            RuleSpec r = rule("z", 1, "events", "zscore_above", 3, 10, 10, 0);
            r.baselineWindows = 3;
            change(h, r);
            hits(h, "z", 1, 10);
            hits(h, "z", 11, 12);
            hits(h, "z", 21, 11);
            hits(h, "z", 31, 30);
            watermark(h, 40);
            assertThat(alerts(h)).containsExactly("z firing@40=30.0 v1");
            double std = Math.sqrt((1.0 + 1.0 + 0.0) / 3);
            assertThat(h.extractOutputValues().get(0).score).isEqualTo((30 - 11) / std);
            hits(h, "z", 41, 12);
            watermark(h, 50);
            // Baseline 12, 11, 30: mean 17.67, z of 12 is negative: resolved.
            assertThat(alerts(h)).containsExactly("z firing@40=30.0 v1", "z resolved@50=12.0 v1");
        }
    }

    @Test
    void uniqueUsersAreUnionedAcrossBucketsAndTheDlqRateIsJudgedAtTheClose() throws Exception {
        try (var h = harness()) {
            change(h, rule("users", 1, "unique_users", "above", 3, 20, 10, 0));
            for (String u : List.of("u1", "u2", "u3")) {
                h.processElement(AlertInput.hit("users", at(2), at(2), false, u), at(2));
            }
            h.processElement(AlertInput.hit("users", at(12), at(12), false, "u3"), at(12));
            watermark(h, 10);
            assertThat(alerts(h)).as("3 users up to 10").isEmpty();
            h.processElement(AlertInput.hit("users", at(13), at(13), false, "u1"), at(13));
            assertThat(alerts(h)).as("u1 again: still 3 distinct users in [0, 20)").isEmpty();
            h.processElement(AlertInput.hit("users", at(14), at(14), false, "u4"), at(14));
            assertThat(alerts(h)).containsExactly("users firing@20=4.0 v1");

            change(h, rule("dlq", 1, "dlq_rate", "above", 0.25, 10, 10, 0));
            for (boolean malformed : new boolean[] {false, false, true, false, true, false, true, true}) {
                h.processElement(AlertInput.hit("dlq", at(25), at(25), malformed, malformed ? null : "u"), at(25));
            }
            // [20, 30): 4 of 8 malformed = 0.5 > 0.25, but only when the window closes.
            assertThat(alerts(h)).hasSize(1);
            watermark(h, 30);
            // And [10, 30) has u3, u1, u4: 3 users, not above 3 any more.
            assertThat(alerts(h)).containsExactlyInAnyOrder("users firing@20=4.0 v1", "users resolved@30=3.0 v1", "dlq firing@30=0.5 v1");
        }
    }

    @Test
    void ruleUpdatesApplyAtOnceAndADisabledRuleLeavesNoStateOrTimer() throws Exception {
        try (var h = harness()) {
            change(h, rule("r", 1, "page_views", "above", 5, 20, 10, 0));
            hits(h, "r", 1, 3);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            // A new threshold (same metric and window) keeps the counts: the next view crosses 2.
            change(h, rule("r", 2, "page_views", "above", 2, 20, 10, 0));
            change(h, rule("r", 1, "page_views", "above", 5, 20, 10, 0)); // an older copy from another matcher: ignored
            hits(h, "r", 2, 1);
            assertThat(alerts(h)).containsExactly("r firing@10=4.0 v2");

            change(h, disabled(rule("r", 3, "page_views", "above", 2, 20, 10, 0)));
            assertThat(h.numKeyedStateEntries()).as("rule, buckets and status gone").isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            hits(h, "r", 3, 10);
            watermark(h, 100);
            assertThat(h.numKeyedStateEntries()).as("hits for a disabled rule change nothing").isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(alerts(h)).hasSize(1);

            // Enabled again: counts start from zero, from the next window on.
            change(h, rule("r", 4, "page_views", "above", 2, 20, 10, 0));
            hits(h, "r", 101, 2);
            assertThat(alerts(h)).hasSize(1);
            hits(h, "r", 102, 1);
            assertThat(alerts(h)).containsExactly("r firing@10=4.0 v2", "r firing@110=3.0 v4");

            // A new window length drops the buckets that no longer mean the same.
            change(h, rule("r", 5, "page_views", "above", 2, 30, 10, 0));
            assertThat(h.numEventTimeTimers()).isZero();
            hits(h, "r", 105, 1);
            watermark(h, 110);
            assertThat(alerts(h)).as("one view in the new window: not above 2").hasSize(2);
        }
    }

    @Test
    void hitsForWindowsAlreadyEvaluatedAreDropped() throws Exception {
        try (var h = harness()) {
            change(h, rule("late", 1, "events", "below", 2, 20, 10, 0));
            hits(h, "late", 21, 3);
            watermark(h, 40);
            // Window [20, 40) closed with 3; a hit at 15 belongs to windows ending at 20 and 30, both closed.
            hits(h, "late", 15, 1);
            watermark(h, 50);
            assertThat(alerts(h)).as("[30, 50) is empty: below 2").containsExactly("late firing@50=0.0 v1");
        }
    }

    @Test
    void duplicateRateCountsReSentEventIdsWithinTheHorizonAndForgetsOldIds() throws Exception {
        // A 60 s horizon: ids older than window + horizon behind a window end are dropped.
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new AlertEvaluator(60_000)),
                (AlertInput a) -> a.ruleId, Types.STRING)) {
            h.open();
            change(h, rule("dup", 1, "duplicate_rate", "above", 0.2, 10, 10, 0));
            for (String id : List.of("e1", "e2", "e3", "e4", "e1", "e2")) {
                h.processElement(AlertInput.eventHit("dup", at(3), at(3) + 50, "u", id), at(3));
            }
            watermark(h, 10);
            // [0, 10): e1 and e2 re-sent, 2 of 6 = 0.333 > 0.2.
            assertThat(alerts(h)).containsExactly("dup firing@10=0.3333333333333333 v1");

            for (String id : List.of("e5", "e6", "e7", "e8", "e9", "e3")) {
                h.processElement(AlertInput.eventHit("dup", at(14), at(14) + 50, "u", id), at(14));
            }
            watermark(h, 20);
            // [10, 20): e3 again (first seen at 3 s, within 60 s): 1 of 6 = 0.167, resolved.
            assertThat(alerts(h)).containsExactly("dup firing@10=0.3333333333333333 v1", "dup resolved@20=0.16666666666666666 v1");

            watermark(h, 200);
            // Quiet windows: every id is past window + horizon behind the window ends; only rule, status and timer remain.
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);
            h.processElement(AlertInput.eventHit("dup", at(201), at(201) + 50, "u", "e1"), at(201));
            watermark(h, 210);
            assertThat(alerts(h)).as("e1 after the horizon is a first sighting: rate 0").hasSize(2);

            change(h, disabled(rule("dup", 2, "duplicate_rate", "above", 0.2, 10, 10, 0)));
            assertThat(h.numKeyedStateEntries()).as("ids, buckets, rule and status gone").isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    static RuleSpec disabled(RuleSpec r) {
        r.enabled = false;
        return r;
    }
}
