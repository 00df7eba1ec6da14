package io.clickstream.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickstream.infra.lakehouse.LocalPrometheus;
import io.clickstream.infra.lakehouse.Ports;
import io.clickstream.infra.lakehouse.ServiceOptions;
import io.clickstream.loadgen.GroundTruth;
import io.clickstream.streaming.StreamingOptions;
import io.clickstream.streaming.metrics.PipelineMetric;
import org.apache.flink.configuration.Configuration;

/**
 * The demo's metrics part: turns on the job's Prometheus endpoint, starts a real Prometheus server (the
 * project's configuration and rules, {@code infra/conf/prometheus}) scraping it, prints its URL, and after
 * the job compares what Prometheus recorded (the last scraped values) with the truth: DLQ records per
 * reason and accepted records. Prometheus keeps running, with its history, until the demo ends.
 */
final class PrometheusStep implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalPrometheus prometheus;

    private PrometheusStep(LocalPrometheus prometheus) {
        this.prometheus = prometheus;
    }

    /** Enables the job's metrics endpoint in {@code conf} on a free port and starts Prometheus scraping it. */
    static PrometheusStep start(Configuration conf, Path dir) throws Exception {
        int reporterPort = Ports.free();
        conf.set(StreamingOptions.METRICS_PROMETHEUS_ENABLED, true);
        conf.set(StreamingOptions.METRICS_PROMETHEUS_PORT, reporterPort);
        long t0 = System.nanoTime();
        LocalPrometheus p = LocalPrometheus.start(dir, Map.of(LocalPrometheus.JOB_FLINK,
            List.of(ServiceOptions.bindHost().replace("0.0.0.0", "127.0.0.1") + ":" + reporterPort)), Duration.ofSeconds(2),
            Duration.ofSeconds(60));
        System.out.printf("      Prometheus (pid %d, %.1f s) at %s scrapes the job's metrics (port %d) every 2 s; alerts: %s/alerts%n",
            p.pid(), (System.nanoTime() - t0) / 1e9, p.url(), reporterPort, p.url());
        return new PrometheusStep(p);
    }

    LocalPrometheus server() {
        return prometheus;
    }

    /** After the job: the last values Prometheus scraped beside the truth. */
    Map<String, Boolean> report(GroundTruth truth) throws Exception {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        Map<String, Double> rejected = lastBy(PipelineMetric.RECORDS_REJECTED.prometheusName(), "reason");
        Map<String, Double> expected = new TreeMap<>();
        truth.dlqPerReason.forEach((r, n) -> expected.put(r.name(), n.doubleValue()));
        double accepted = lastBy(PipelineMetric.RECORDS_ACCEPTED.prometheusName(), null).getOrDefault("", 0.0);
        System.out.printf("      Prometheus %s recorded: %,.0f accepted records (truth %,d), DLQ records per reason %s (truth %s)%n",
            prometheus.url(), accepted, truth.validRecords(), rejected, expected);
        System.out.printf("      try: %s/graph?g0.expr=%s%n", prometheus.url(),
            java.net.URLEncoder.encode("sum by (reason) (" + PipelineMetric.RECORDS_REJECTED.prometheusName() + ")",
                java.nio.charset.StandardCharsets.UTF_8));
        checks.put("Prometheus: DLQ records per reason equal the truth", rejected.equals(expected));
        checks.put("Prometheus: accepted records equal the truth", accepted == truth.validRecords());
        return checks;
    }

    /** The last scraped value of each series in the last 30 minutes, summed by {@code label} (or over all). */
    private Map<String, Double> lastBy(String metric, String label) throws Exception {
        String inner = "last_over_time(" + metric + "[30m])";
        JsonNode result = JSON.readTree(prometheus.query(label == null ? "sum(" + inner + ")" : "sum by (" + label + ") (" + inner + ")"))
            .path("data").path("result");
        Map<String, Double> out = new TreeMap<>();
        for (JsonNode r : result) {
            out.put(label == null ? "" : r.path("metric").path(label).asText(), Double.parseDouble(r.path("value").get(1).asText()));
        }
        return out;
    }

    @Override
    public void close() {
        prometheus.close();
    }
}
