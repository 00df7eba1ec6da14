package io.clickstream.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Option parsing, hour expansion, z-scores and quality metrics: no Spark. */
class BatchOptionsTest {
    @Test
    void parsesExplicitHoursDaysAndOffsets() {
        BatchOptions o = BatchOptions.parse("--hours", "2026-01-05T08,2026-01-05T09", "--days", "2026-01-06",
            "--until-offsets", "0:120,1:98", "--from-offsets", "0:100", "--run-id", "scheduled__2026-01-05T09:00:00");
        assertThat(o.untilOffsets).isEqualTo(Map.of(0, 120L, 1, 98L));
        assertThat(o.fromOffsets).isEqualTo(Map.of(0, 100L));
        List<LocalDateTime> hours = o.allHours();
        assertThat(hours).hasSize(26).startsWith(LocalDateTime.of(2026, 1, 5, 8, 0), LocalDateTime.of(2026, 1, 5, 9, 0))
            .endsWith(LocalDateTime.of(2026, 1, 6, 23, 0));
        assertThat(o.table("page_hour_agg")).isEqualTo("`lakehouse`.`clickstream`.`page_hour_agg`");
        o.namespace = "ref";
        assertThat(o.table("x`y")).as("reserved words and backticks are quoted").isEqualTo("`lakehouse`.`ref`.`x``y`");
    }

    @Test
    void rejectsUnknownOptionsAndUnsafeLiterals() {
        assertThatThrownBy(() -> BatchOptions.parse("--hour", "2026-01-05T08")).hasMessageContaining("unknown option --hour");
        assertThatThrownBy(() -> BatchSession.literals(List.of("2026-01-05' OR 1=1 --"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(BatchSession.literals(List.of("2026-01-05", "2026-01-06"))).isEqualTo("'2026-01-05', '2026-01-06'");
    }

    @Test
    void zScoreNeedsHistoryAndDeviation() {
        assertThat(ReconciliationJob.zScore(5, List.of(1.0, 2.0, 3.0, 1.0, 2.0))).as("too little history").isNull();
        assertThat(ReconciliationJob.zScore(5, List.of(2.0, 2.0, 2.0, 2.0, 2.0, 2.0))).as("no deviation").isNull();
        // mean 2, sample standard deviation sqrt(4/5)
        assertThat(ReconciliationJob.zScore(4, List.of(1.0, 2.0, 3.0, 1.0, 2.0, 3.0))).isCloseTo(2.0 / Math.sqrt(0.8),
            org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void metricsFromReconciliationTotals() {
        // expected, raw, dlq, unexplained, duplicates, late
        Map<String, Double> m = ReconciliationJob.metrics(new long[] {1000, 980, 20, 0, 49, 7});
        assertThat(m).containsEntry("records", 1000.0).containsEntry("dlq_rate", 0.02).containsEntry("duplicate_rate", 0.05)
            .containsEntry("late_rate", 7 / 980.0).containsEntry("unexplained", 0.0);
        assertThat(m.keySet()).containsExactlyElementsOf(ReconciliationJob.METRICS);
    }
}
