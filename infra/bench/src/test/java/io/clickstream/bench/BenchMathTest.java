package io.clickstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** The numbers the benchmark reports are computed as documented in docs/BENCHMARKS.md. */
class BenchMathTest {
    @Test
    void percentilesUseTheNearestRank() {
        List<Long> sorted = List.of(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L, 100L);
        assertThat(FreshnessProbe.percentile(sorted, 50)).isEqualTo(50.0);
        assertThat(FreshnessProbe.percentile(sorted, 99)).isEqualTo(100.0);
        assertThat(FreshnessProbe.percentile(List.of(7L), 99)).isEqualTo(7.0);
        assertThat(FreshnessProbe.percentile(List.of(), 50)).isNaN();
    }

    @Test
    void perCoreThroughputDividesByCpuSecondsUsed() {
        RunResult r = new RunResult();
        r.records = 1_000_000;
        r.wallSeconds = 50;
        r.cpuSeconds = 80;
        r.brokerCpuSeconds = 20.0;
        assertThat(r.recordsPerSecond()).isEqualTo(20_000.0);
        assertThat(r.recordsPerCoreSecond()).isEqualTo(12_500.0);
        assertThat(r.recordsPerCoreSecondWithBroker()).isEqualTo(10_000.0);
        assertThat(r.coresUsed()).isEqualTo(1.6);
        assertThat(RunResult.fromJson(r.toJson()).records).isEqualTo(1_000_000);
    }

    @Test
    void optionsParseWithOrWithoutPrefixAndRejectUnknownKeys() {
        Configuration c = BenchOptions.fromArgs("--events", "5000", "--bench.scaling.parallelism", "1;2;4");
        assertThat(c.get(BenchOptions.EVENTS)).isEqualTo(5000L);
        assertThat(c.get(BenchOptions.SCALING_PARALLELISM)).containsExactly(1, 2, 4);
        assertThatThrownBy(() -> BenchOptions.fromArgs("--evnts", "1")).hasMessageContaining("unknown option");
    }

    @Test
    void runSpecRoundTripsThroughTheChildCommandLine() {
        BenchRunner.Spec s = new BenchRunner.Spec("ours", "127.0.0.1:9092", "t", java.nio.file.Path.of("/tmp/x"), 2, 10, 0,
            java.time.Duration.ofSeconds(3), List.of("clickstream.state.backend=rocksdb"));
        assertThat(BenchRunner.Spec.parse(s.toArgs().toArray(new String[0]))).isEqualTo(s);
    }
}
