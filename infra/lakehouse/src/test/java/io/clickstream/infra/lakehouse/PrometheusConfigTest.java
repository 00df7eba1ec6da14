package io.clickstream.infra.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's Prometheus configuration ({@code infra/conf/prometheus}) checked by Prometheus' own
 * tool, no server: {@code promtool check config} on the file as {@link LocalPrometheus} renders it (rule
 * files included), and {@code promtool test rules} runs the alert unit tests (synthetic series, each
 * alert firing exactly when its runbook entry says).
 */
class PrometheusConfigTest {
    @TempDir
    Path tmp;

    @Test
    void renderedConfigAndRulesPassPromtool() throws Exception {
        Path config = LocalPrometheus.writeConfig(tmp, Map.of(LocalPrometheus.JOB_FLINK, List.of("127.0.0.1:40001", "127.0.0.1:40002"),
            LocalPrometheus.JOB_API, List.of("127.0.0.1:40003"), LocalPrometheus.JOB_PROMETHEUS, List.of("127.0.0.1:40004")),
            Duration.ofSeconds(1));
        Result r = promtool("check", "config", config.toString());
        assertThat(r.exitCode).as(r.output).isZero();
        assertThat(r.output).contains("SUCCESS: 2 rule files found").contains("rules/alerts.yml").contains("rules/recording.yml");
    }

    @Test
    void alertRuleUnitTestsPass() throws Exception {
        Result r = promtool("test", "rules", Path.of("../conf/prometheus/tests/alerts_test.yml").toString());
        assertThat(r.exitCode).as(r.output).isZero();
        assertThat(r.output).contains("SUCCESS");
    }

    @Test
    void renderReplacesOnlyTargetsAndIntervals() throws Exception {
        String template = LocalPrometheus.resource("prometheus.yml");
        String out = LocalPrometheus.render(template, Map.of(LocalPrometheus.JOB_FLINK, List.of("127.0.0.1:1", "127.0.0.1:2")),
            Duration.ofMillis(500));
        assertThat(out).contains("  scrape_interval: 500ms\n").contains("  evaluation_interval: 500ms\n")
            .contains("- targets: ['127.0.0.1:1', '127.0.0.1:2']\n")
            .contains("- targets: ['127.0.0.1:8090']\n");
        assertThat(out.replace("['127.0.0.1:1', '127.0.0.1:2']", "['127.0.0.1:9249']").replace("500ms", "15s")).isEqualTo(template);
    }

    private record Result(int exitCode, String output) {}

    private static Result promtool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("promtool"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }
}
