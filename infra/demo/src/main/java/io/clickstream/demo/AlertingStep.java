package io.clickstream.demo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.clickstream.alerting.AlertingJob;
import io.clickstream.alerting.AlertingOptions;
import io.clickstream.infra.lakehouse.LocalPostgres;
import io.clickstream.loadgen.GroundTruth;
import io.clickstream.streaming.LocalRuns;
import io.clickstream.tables.AlertRule;
import io.clickstream.tables.AlertRuleStore;
import io.clickstream.tables.Topics;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The demo's alerting part: the alerting job (its own job, consumer group and checkpoints) runs beside the pipeline
 * over the same {@code clicks.raw}, with one rule written to {@code alerting.alert_rules} as the HTTP API would: page
 * views of the busiest page above 80% of its busiest minute, over 60 s windows sliding every 10 s. The traffic's
 * peak minutes of that page are the spike; the demo prints the alerts the job raised to {@code clicks.alerts}
 * (read_committed). Exact alerts are asserted by {@code AlertingITCase}; here at least one must arrive.
 */
final class AlertingStep {
    private static final String RULE_ID = "demo-top-page-spike";

    private AlertingStep() {}

    static Map<String, Boolean> run(String bootstrap, LocalPostgres pg, GroundTruth truth, Path dir) throws Exception {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        Map<String, Long> viewsByPage = new HashMap<>();
        Map<String, Long> peakMinute = new HashMap<>();
        for (GroundTruth.MinuteRow m : truth.minuteRows()) {
            viewsByPage.merge(m.page(), m.pageViews(), Long::sum);
            peakMinute.merge(m.page(), m.pageViews(), Math::max);
        }
        String page = viewsByPage.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        double threshold = Math.max(1, Math.floor(peakMinute.get(page) * 0.8));
        long t0 = System.nanoTime();
        System.out.printf("[alerts] Alerting job beside the pipeline: rule %s = page_views of %s above %.0f per 60 s window "
            + "(sliding 10 s; the page's busiest minute had %d) ...%n", RULE_ID, page, threshold, peakMinute.get(page));
        AlertRuleStore store = new AlertRuleStore(pg.jdbcUrl(), LocalPostgres.USER, pg.password()).ensureSchema();
        Instant now = Instant.now();
        store.create(new AlertRule(RULE_ID, "busiest page spike (demo)", "page_views", page, null, null, null, "above",
            threshold, null, 60, 10, 0, "kafka", null, true, 1, now, now));
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            if (!admin.listTopics().names().get().contains(Topics.ALERTS)) {
                admin.createTopics(List.of(new NewTopic(Topics.ALERTS, 1, (short) 1))).all().get();
            }
        }

        Configuration c = LocalRuns.bindLocally(new Configuration());
        c.set(AlertingOptions.KAFKA_BOOTSTRAP, bootstrap);
        c.set(AlertingOptions.START_FROM, "earliest");
        c.set(AlertingOptions.RULES_JDBC_URL, pg.jdbcUrl());
        c.set(AlertingOptions.RULES_JDBC_USER, LocalPostgres.USER);
        c.set(AlertingOptions.RULES_JDBC_PASSWORD_FILE, pg.passwordFile().toString());
        c.set(AlertingOptions.SERVING_ENABLED, false);
        c.set(AlertingOptions.CHECKPOINT_DIR, dir.resolve("alerting-checkpoints").toUri().toString());
        c.set(AlertingOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(2));
        JobClient job = AlertingJob.start(AlertingJob.environment(c), c);
        List<String> alerts = new ArrayList<>();
        try {
            alerts.addAll(readAlerts(bootstrap, Duration.ofSeconds(120)));
        } finally {
            job.cancel().get();
        }
        long firing = alerts.stream().filter(a -> a.contains("\"firing\"")).count();
        System.out.printf("      %d alerts on %s in %.1f s (%d firing, %d resolved); the first ones:%n", alerts.size(), Topics.ALERTS,
            (System.nanoTime() - t0) / 1e9, firing, alerts.size() - firing);
        alerts.stream().sorted(Comparator.naturalOrder()).limit(4).forEach(a -> System.out.println("      " + a));
        checks.put("alerting job raised the spike alert of the busiest page (clicks.alerts, read_committed)", firing > 0);
        return checks;
    }

    /** Alerts committed to clicks.alerts, read until they stop arriving (at least one firing alert) or the timeout. */
    private static List<String> readAlerts(String bootstrap, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        long quietSince = -1;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            // No consumer group: the demo reads the whole topic from its beginning.
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ALERTS).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (System.nanoTime() < deadline) {
                int n = 0;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    out.add(new String(r.value(), StandardCharsets.UTF_8));
                    n++;
                }
                boolean anyFiring = out.stream().anyMatch(a -> a.contains("\"firing\""));
                if (n > 0 || !anyFiring) {
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince > Duration.ofSeconds(10).toNanos()) {
                    break;
                }
            }
        }
        return out;
    }
}
