package io.clickstream.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickstream.infra.lakehouse.Listeners;
import io.clickstream.infra.lakehouse.LocalPrometheus;
import io.clickstream.infra.lakehouse.Ports;
import io.clickstream.loadgen.ClickGenerator;
import io.clickstream.loadgen.GeneratedRecord;
import io.clickstream.loadgen.GroundTruth;
import io.clickstream.streaming.metrics.PipelineMetric;
import io.clickstream.tables.LakeTable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The metrics path for real: the streaming job with its Prometheus endpoint on, a real Prometheus server
 * (Debian's package, the project's configuration and rules) scraping it every second, and the numbers
 * read back through Prometheus' HTTP API ({@code /api/v1/query}) must equal the ground truth of the
 * generated traffic: records per partition, DLQ records per reason, duplicates, late events, rows
 * committed per table, each partition's watermark, the committed offsets, and a consumer lag of 0 once
 * the job has read everything; no checkpoint fails in steady state. Every recording and alert rule evaluates
 * without error on the real series, and none fires.
 */
class PrometheusITCase extends BrokerTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jobMetricsInPrometheusEqualTheTruth() throws Exception {
        PipelineFixture f = new PipelineFixture("prom", broker.bootstrapServers(), tmp);
        List<GeneratedRecord> all = ClickGenerator.generateAll(f.traffic);
        f.produce(all);
        GroundTruth truth = f.truth();

        int reporterPort = Ports.free();
        Configuration conf = f.jobConfiguration();
        conf.set(StreamingOptions.METRICS_PROMETHEUS_ENABLED, true);
        conf.set(StreamingOptions.METRICS_PROMETHEUS_PORT, reporterPort);
        try (LocalPrometheus prometheus = LocalPrometheus.start(tmp.resolve("prometheus"),
                Map.of(LocalPrometheus.JOB_FLINK, List.of("127.0.0.1:" + reporterPort)), Duration.ofSeconds(1), Duration.ofSeconds(60))) {
            StreamExecutionEnvironment env = ClickstreamJob.environment(conf);
            JobClient job = ClickstreamJob.start(env, conf, s -> s);
            try {
                assertThat(Listeners.nonLoopbackOfOurProcesses()).as("non-loopback listeners (job, reporter, Prometheus, broker)").isEmpty();
                Map<String, String> end = f.endOffsets();
                StreamingRestartITCase.awaitCondition("a checkpoint covering every offset " + end, Duration.ofSeconds(120),
                    () -> f.committedOffsets().equals(end));

                Map<String, Double> expectedAccepted = new TreeMap<>();
                truth.validPerPartition.forEach((p, n) -> expectedAccepted.put(p.toString(), n.doubleValue()));
                Map<String, Double> expectedRejected = new TreeMap<>();
                truth.dlqPerReason.forEach((r, n) -> expectedRejected.put(r.name(), n.doubleValue()));
                Map<String, Double> expectedWatermarks = new TreeMap<>();
                for (GeneratedRecord r : f.produced) {
                    if (r.kind != GeneratedRecord.Kind.MALFORMED) {
                        expectedWatermarks.merge(Integer.toString(r.partition), (double) r.event.eventTime, Math::max);
                    }
                }
                long bound = StreamingOptions.OUT_OF_ORDERNESS.defaultValue().toMillis();
                expectedWatermarks.replaceAll((p, max) -> (max - bound - 1) / 1000.0);
                Map<String, Double> expectedOffsets = new TreeMap<>();
                end.forEach((p, o) -> expectedOffsets.put(p, Double.parseDouble(o)));

                String offsets = "flink_taskmanager_job_task_operator_KafkaSourceReader_topic_partition_committedOffset";
                String lag = "flink_taskmanager_job_task_operator_pendingRecords";
                // Prometheus scrapes every second: wait until it has seen the final values, then assert each exactly.
                List<Check> checks = List.of(
                    new Check("accepted per partition", () -> sumBy(prometheus, PipelineMetric.RECORDS_ACCEPTED.prometheusName(), "partition"),
                        expectedAccepted),
                    new Check("rejected per reason", () -> sumBy(prometheus, PipelineMetric.RECORDS_REJECTED.prometheusName(), "reason"),
                        expectedRejected),
                    new Check("duplicates dropped", () -> sumBy(prometheus, PipelineMetric.DUPLICATES_DROPPED.prometheusName(), null),
                        Map.of("", (double) truth.duplicates)),
                    new Check("late events", () -> sumBy(prometheus, PipelineMetric.LATE_EVENTS.prometheusName(), null),
                        Map.of("", (double) truth.lateEventIds.size())),
                    new Check("rows committed of the mirror tables", () -> {
                        Map<String, Double> m = sumBy(prometheus, PipelineMetric.TABLE_ROWS_COMMITTED.prometheusName(), "table");
                        m.keySet().retainAll(List.of(LakeTable.RAW_EVENTS.tableName(), LakeTable.DLQ_EVENTS.tableName(),
                            LakeTable.EVENTS_DEDUP.tableName()));
                        return m;
                    }, Map.of(LakeTable.RAW_EVENTS.tableName(), (double) truth.validRecords(),
                        LakeTable.DLQ_EVENTS.tableName(), (double) truth.dlqRecords(),
                        LakeTable.EVENTS_DEDUP.tableName(), (double) truth.distinctEvents.size())),
                    new Check("watermark per partition", () -> maxBy(prometheus, PipelineMetric.PARTITION_WATERMARK.prometheusName(), "partition"),
                        expectedWatermarks),
                    new Check("committed offsets per partition", () -> maxBy(prometheus, offsets, "partition"), expectedOffsets),
                    new Check("consumer lag", () -> sumBy(prometheus, lag, null), Map.of("", 0.0)),
                    new Check("recorded consumer lag", () -> sumBy(prometheus, "clickstream:kafka_consumer_lag:records", null), Map.of("", 0.0)),
                    new Check("scrape target up", () -> sumBy(prometheus, "up{job=\"flink\"}", null), Map.of("", 1.0)));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!checks.stream().allMatch(Check::holds) && System.nanoTime() < deadline) {
                    Thread.sleep(250);
                }
                for (Check c : checks) {
                    assertThat(c.actual.get()).as(c.what).isEqualTo(c.expected);
                }

                // Every committed table has a commit time, and the freshness rule covers each of them.
                assertThat(maxBy(prometheus, PipelineMetric.TABLE_LAST_COMMIT.prometheusName(), "table").keySet())
                    .as("tables with a last commit").containsAll(List.of(LakeTable.RAW_EVENTS.tableName(),
                        LakeTable.DLQ_EVENTS.tableName(), LakeTable.EVENTS_DEDUP.tableName(), LakeTable.PAGE_MINUTE_AGG.tableName()));
                assertThat(maxBy(prometheus, "clickstream:table_freshness:seconds", "table").keySet())
                    .isEqualTo(maxBy(prometheus, PipelineMetric.TABLE_LAST_COMMIT.prometheusName(), "table").keySet());
                // Every metric the job defines is exported (those with nothing to count yet excepted).
                for (PipelineMetric m : PipelineMetric.values()) {
                    if (m != PipelineMetric.LATE_AT_WINDOW && m != PipelineMetric.FUNNEL_SESSIONS_AFTER_CLOSE) {
                        assertThat(series(prometheus, m.prometheusName())).as("series of %s", m.prometheusName()).isPositive();
                    }
                }
                assertThat(sumBy(prometheus, PipelineMetric.FUNNEL_SESSIONS_AFTER_CLOSE.prometheusName(), null))
                    .as("no session closed after its day").isEqualTo(Map.of("", 0.0));
                // Checkpoints in steady state: five more complete, none fails (Flink counts the triggers before all
                // tasks ran, at the start, as failed: the alert rules leave those out, see rules/alerts.yml).
                String completed = "flink_jobmanager_job_numberOfCompletedCheckpoints";
                String failed = "flink_jobmanager_job_numberOfFailedCheckpoints";
                double failedBefore = sumBy(prometheus, failed, null).get("");
                double completedBefore = sumBy(prometheus, completed, null).get("");
                StreamingRestartITCase.awaitCondition("five more completed checkpoints in Prometheus", Duration.ofSeconds(60),
                    () -> sumBy(prometheus, completed, null).getOrDefault("", 0.0) >= completedBefore + 5);
                assertThat(sumBy(prometheus, failed, null)).as("failed checkpoints in steady state").isEqualTo(Map.of("", failedBefore));
                // Every recording and alert rule evaluated on the real series without an error, and none fires.
                JsonNode groups = JSON.readTree(prometheus.get("/api/v1/rules")).path("data").path("groups");
                int rules = 0;
                for (JsonNode g : groups) {
                    for (JsonNode r : g.path("rules")) {
                        rules++;
                        assertThat(r.path("health").asText()).as("health of rule %s: %s", r.path("name").asText(),
                            r.path("lastError").asText()).isEqualTo("ok");
                        if (r.path("type").asText().equals("alerting")) {
                            assertThat(r.path("state").asText()).as("alert %s", r.path("name").asText()).isNotEqualTo("firing");
                        }
                    }
                }
                assertThat(rules).as("rules loaded").isEqualTo(19);
            } finally {
                job.cancel().get();
            }
        }
    }

    /** One expected value set and how to read the actual one from Prometheus. */
    private record Check(String what, Supplier<Map<String, Double>> actual, Map<String, Double> expected) {
        boolean holds() {
            try {
                return expected.equals(actual.get());
            } catch (RuntimeException e) {
                return false;
            }
        }
    }

    private static Map<String, Double> sumBy(LocalPrometheus p, String series, String label) {
        return vector(p, label == null ? "sum(" + series + ")" : "sum by (" + label + ") (" + series + ")", label);
    }

    private static Map<String, Double> maxBy(LocalPrometheus p, String series, String label) {
        return vector(p, "max by (" + label + ") (" + series + ")", label);
    }

    private static int series(LocalPrometheus p, String name) {
        return vector(p, "count(" + name + ")", null).getOrDefault("", 0.0).intValue();
    }

    /** An instant query's result: value by the given label ("" when there is none). */
    private static Map<String, Double> vector(LocalPrometheus p, String promql, String label) {
        try {
            JsonNode root = JSON.readTree(p.query(promql));
            Map<String, Double> out = new TreeMap<>();
            for (JsonNode r : root.path("data").path("result")) {
                out.put(label == null ? "" : r.path("metric").path(label).asText(), Double.parseDouble(r.path("value").get(1).asText()));
            }
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
