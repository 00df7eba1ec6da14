package io.clickstream.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.clickstream.infra.kafka.LocalKafkaBroker;
import io.clickstream.infra.lakehouse.IcebergCatalogSchema;
import io.clickstream.infra.lakehouse.LocalPostgres;
import io.clickstream.infra.lakehouse.ServingCatalog;
import io.clickstream.tables.EventJson;
import io.clickstream.streaming.LocalRuns;
import io.clickstream.streaming.RetainedCheckpoints;
import io.clickstream.streaming.SideTopicReader;
import io.clickstream.tables.AlertRule;
import io.clickstream.tables.AlertRuleStore;
import io.clickstream.tables.AlertingTable;
import io.clickstream.tables.ClickEvent;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerting job for real: a Kafka broker, PostgreSQL (rules table and Iceberg catalog), a webhook
 * receiver on loopback, the job on a MiniCluster. Traffic at fixed instants with known breaches; the
 * expected alerts (rule, window, value, transition) are worked out in the comments from the traffic alone.
 *
 * <ol>
 * <li>A page-view spike (kafka channel), a burst of malformed records (iceberg channel, 5 s minimum
 *     duration) and three purchases (webhook, whose first POST is refused with 503 and retried): each
 *     fires and resolves once.</li>
 * <li>While the job runs, the spike rule's threshold is raised, the DLQ rule disabled and a new rule
 *     created; the new rule's first alert shows the change applied (within 10 s); the same traffic again
 *     raises nothing from the changed rules.</li>
 * <li>Mid-spike, right after the webhook got an alert, the job is cancelled and restored from its latest
 *     checkpoint: the topic holds every alert id exactly once, and webhook repeats carry the same key.</li>
 * </ol>
 */
class AlertingITCase {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long T0 = Instant.parse("2026-01-05T10:00:00Z").toEpochMilli();
    /** Warm-up probes, before phase 1: they show the job runs with the rules loaded. */
    static final long TW = T0 - 600_000;
    static final long T1 = T0 + 600_000;
    static final long T2 = T0 + 1_200_000;
    static final long T3 = T0 + 1_800_000;
    static final String RAW = "it.clicks.raw";
    static final String ALERTS = "it.clicks.alerts";
    static final String NAMESPACE = "it_alerting";

    @TempDir
    static Path tmp;
    static LocalKafkaBroker broker;
    static LocalPostgres pg;
    static ServingCatalog catalog;
    static HttpServer webhook;
    static final List<String[]> webhookCalls = new CopyOnWriteArrayList<>();
    static final AtomicInteger webhookRequests = new AtomicInteger();
    static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void start() throws Exception {
        CompletableFuture<LocalPostgres> pgStart = CompletableFuture.supplyAsync(() -> {
            try {
                return LocalPostgres.startEphemeral(Duration.ofSeconds(60));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        broker = LocalKafkaBroker.start(tmp.resolve("kafka"), Duration.ofSeconds(60));
        pg = pgStart.join();
        catalog = pg.catalog(ServingCatalog.DEFAULT_CATALOG_NAME, tmp.resolve("iceberg").toUri().toString(), NAMESPACE);
        IcebergCatalogSchema.ensure(catalog);
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(RAW, 1, (short) 1), new NewTopic(ALERTS, 1, (short) 1))).all().get();
        }
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            // The very first delivery is refused: the sink must retry it.
            int status = webhookRequests.getAndIncrement() == 0 ? 503 : 200;
            if (status == 200) {
                webhookCalls.add(new String[] {exchange.getRequestHeaders().getFirst("Idempotency-Key"), new String(body, StandardCharsets.UTF_8)});
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        webhook.start();
    }

    /** The job that runs, if any: cancelled after a failed test, before the broker and PostgreSQL stop. */
    static JobClient running;

    @AfterAll
    static void stop() throws Exception {
        if (running != null) {
            running.cancel().get();
        }
        if (producer != null) {
            producer.close();
        }
        if (webhook != null) {
            webhook.stop(0);
        }
        if (pg != null) {
            pg.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    static AlertRule rule(String id, String metric, String page, String condition, double threshold, int window, int slide, int minDuration,
            String channel, String url) {
        return new AlertRule(id, "rule " + id, metric, page, null, null, null, condition, threshold, null, window, slide, minDuration,
            channel, url, true, 0, null, null);
    }

    Configuration jobConfiguration() {
        Configuration c = LocalRuns.bindLocally(new Configuration());
        c.set(AlertingOptions.KAFKA_BOOTSTRAP, broker.bootstrapServers());
        c.set(AlertingOptions.RAW_TOPIC, RAW);
        c.set(AlertingOptions.ALERTS_TOPIC, ALERTS);
        c.set(AlertingOptions.KAFKA_GROUP_ID, "it-alerting");
        c.set(AlertingOptions.TRANSACTIONAL_ID_PREFIX, "it-alerting");
        c.set(AlertingOptions.START_FROM, "earliest");
        c.set(AlertingOptions.OUT_OF_ORDERNESS, Duration.ZERO);
        c.set(AlertingOptions.WATERMARK_EMIT_STEP, Duration.ofMillis(1));
        c.set(AlertingOptions.RULES_JDBC_URL, pg.jdbcUrl());
        c.set(AlertingOptions.RULES_JDBC_USER, LocalPostgres.USER);
        c.set(AlertingOptions.RULES_JDBC_PASSWORD_FILE, pg.passwordFile().toString());
        c.set(AlertingOptions.RULES_POLL_INTERVAL, Duration.ofSeconds(1));
        c.set(AlertingOptions.SERVING_JDBC_URL, catalog.jdbcUrl());
        c.set(AlertingOptions.SERVING_JDBC_USER, catalog.user());
        c.set(AlertingOptions.SERVING_JDBC_PASSWORD_FILE, pg.passwordFile().toString());
        c.set(AlertingOptions.SERVING_WAREHOUSE, catalog.warehouse());
        c.set(AlertingOptions.SERVING_NAMESPACE, NAMESPACE);
        c.set(AlertingOptions.CHECKPOINT_DIR, tmp.resolve("checkpoints").toUri().toString());
        c.set(AlertingOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
        c.set(AlertingOptions.WEBHOOK_INITIAL_BACKOFF, Duration.ofMillis(50));
        return c;
    }

    static long at(long base, double seconds) {
        return base + Math.round(seconds * 1000);
    }

    static void view(long time, String page, String user) {
        send(new ClickEvent("v-" + page + "-" + time + "-" + user, 1, "page_view", user, page, time));
    }

    static void send(ClickEvent e) {
        producer.send(new ProducerRecord<>(RAW, 0, null, e.userId.getBytes(StandardCharsets.UTF_8), EventJson.encode(e)));
    }

    static void malformed() {
        producer.send(new ProducerRecord<>(RAW, 0, null, null, "{\"event_id\": broken".getBytes(StandardCharsets.UTF_8)));
    }

    static void purchase(long time) {
        send(new ClickEvent("p-" + time, 1, "purchase", "u-buyer", "/p/buy", time));
    }

    /**
     * One page view on /p/spike per second for {@code seconds}, plus {@code extraPerSecond} more in
     * [spikeFrom, spikeTo) (at +0.1 s, +0.2 s, ...), a malformed record after each view in [badFrom, badTo),
     * and purchases at the given offsets; all in event-time order.
     */
    static void traffic(long base, int seconds, int spikeFrom, int spikeTo, int extraPerSecond, int badFrom, int badTo, double... purchases) {
        List<Double> buys = new ArrayList<>();
        for (double p : purchases) {
            buys.add(p);
        }
        for (int s = 0; s < seconds; s++) {
            view(at(base, s), "/p/spike", "u-" + (s % 7));
            if (s >= badFrom && s < badTo) {
                malformed();
            }
            if (s >= spikeFrom && s < spikeTo) {
                for (int i = 1; i <= extraPerSecond; i++) {
                    view(at(base, s + i / 10.0), "/p/spike", "u-spike-" + i);
                }
            }
            for (double b : buys) {
                if (b >= s && b < s + 1) {
                    purchase(at(base, b));
                }
            }
        }
        producer.flush();
    }

    static void probe(long time) {
        view(time, "/p/probe", "u-probe");
        producer.flush();
    }

    /** "rule state@end(s after base) value vN" of a committed alert. */
    static String describe(JsonNode a, long base) {
        return a.get("rule_id").asText() + " " + a.get("state").asText() + "@" + (a.get("window_end").asLong() - base) / 1000.0 + " "
            + a.get("value").asDouble() + " v" + a.get("rule_version").asLong();
    }

    static List<JsonNode> alertsOnTopic() {
        try (SideTopicReader reader = new SideTopicReader(broker.bootstrapServers())) {
            List<JsonNode> out = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : reader.readAll(ALERTS, Duration.ofSeconds(30))) {
                JsonNode a = JSON.readTree(r.value());
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).as("record key = alert id").isEqualTo(a.get("alert_id").asText());
                assertThat(a.get("alert_id").asText()).isEqualTo(Alert.id(a.get("rule_id").asText(), a.get("rule_version").asLong(),
                    a.get("window_end").asLong(), a.get("state").asText()));
                out.add(a);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean topicHas(String rule, String state, long windowEnd) {
        return alertsOnTopic().stream().anyMatch(a -> a.get("rule_id").asText().equals(rule) && a.get("state").asText().equals(state)
            && (windowEnd < 0 || a.get("window_end").asLong() == windowEnd));
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    static List<String> webhookAlerts() {
        List<String> out = new ArrayList<>();
        for (String[] call : webhookCalls) {
            try {
                JsonNode a = JSON.readTree(call[1]);
                assertThat(call[0]).as("Idempotency-Key = alert id").isEqualTo(a.get("alert_id").asText());
                out.add(describe(a, T0));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    @Test
    void alertsFireResolveFollowRuleChangesAndSurviveARestore() throws Exception {
        AlertRuleStore store = new AlertRuleStore(pg.jdbcUrl(), LocalPostgres.USER, pg.password()).ensureSchema();
        String hook = "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook";
        store.create(rule("views-spike", "page_views", "/p/spike", "above", 20, 20, 5, 0, "kafka", null));
        store.create(rule("dlq-burst", "dlq_rate", null, "above", 0.3, 10, 5, 5, "iceberg", null));
        store.create(rule("purchases", "purchases", null, "above", 2, 10, 5, 0, "webhook", hook));
        store.create(rule("warmup", "events", "/p/warmup", "above", 0, 10, 5, 0, "kafka", null));
        Configuration conf = jobConfiguration();
        JobClient job = AlertingJob.start(AlertingJob.environment(conf), conf);
        running = job;
        // Warm-up: a view on /p/warmup per 10 s of event time (TW + 10k + 1) until the job has the rules and
        // fired (window [10k - 5, 10k + 5)), so that phase 1 is read with the rules known and its watermarks
        // advance with the data; the warm-up rule resolves at TW + 10 (n - 1) + 15 when phase 1 arrives.
        int warmups = 0;
        while (!topicHas("warmup", Alert.FIRING, -1)) {
            assertThat(warmups).as("warm-up probes before the job fired").isLessThan(200);
            view(at(TW, warmups * 10 + 1), "/p/warmup", "u-warmup");
            producer.flush();
            warmups++;
            Thread.sleep(300);
        }
        JsonNode warm = alertsOnTopic().get(0);
        long w = (warm.get("window_end").asLong() - TW - 5_000) / 10_000;
        assertThat(warm.get("window_end").asLong()).isEqualTo(TW + w * 10_000 + 5_000);
        assertThat(w).isBetween(0L, (long) warmups - 1);
        List<String> warmupAlerts = List.of("warmup firing@" + (TW - T0 + w * 10_000 + 5_000) / 1000.0 + " 1.0 v1",
            "warmup resolved@" + (TW - T0 + (warmups - 1) * 10_000L + 15_000) / 1000.0 + " 0.0 v1");

        // Phase 1, T0. views-spike: 1 view/s, +4/s in [60, 75). Windows of 20 s end every 5 s: [40, 60) has 20 (not
        // above 20); at 61.0 the next window to close, [45, 65), reaches 15 + 6 = 21: fires at once (end 65, value 21).
        // [75, 95) is back to 20: resolved at 95 with 20. dlq-burst: a malformed record after each view in [30, 45):
        // [25, 35) 5 of 15 = 0.333 (breach starts at 35), [30, 40) 10 of 20 = 0.5 held 5 s: fires at 40 with 0.5;
        // [45, 55) and [50, 60) have none: resolved at 60 with 0. purchases: 3 in [95, 105) (at 101.5, 102.5, 103.5):
        // fires at the third (end 105, value 3); [105, 115) is empty: resolved at 115 with 0.
        traffic(T0, 120, 60, 75, 4, 30, 45, 101.5, 102.5, 103.5);
        await("phase 1 alerts on the topic and the webhook", Duration.ofSeconds(60),
            () -> alertsOnTopic().size() == 4 && webhookCalls.size() == 2);
        List<String> phase1 = new ArrayList<>(warmupAlerts);
        phase1.addAll(List.of("views-spike firing@65.0 21.0 v1", "views-spike resolved@95.0 20.0 v1"));
        assertThat(alertsOnTopic().stream().map(a -> describe(a, T0)).toList()).containsExactlyElementsOf(phase1);
        // In any order: the refused first delivery is retried after the second went through.
        assertThat(webhookAlerts()).containsExactlyInAnyOrder("purchases firing@105.0 3.0 v1", "purchases resolved@115.0 0.0 v1");
        assertThat(webhookRequests.get()).as("the refused first POST was retried").isEqualTo(3);

        // Phase 2: rules change while the job runs. A probe view per 10 s of event time (T1 + 10k + 1) until the new
        // rule's alert is committed: it fires in the window [10k - 5, 10k + 5) of the first probe it counted.
        long changedAt = System.nanoTime();
        store.replace(rule("views-spike", "page_views", "/p/spike", "above", 100, 20, 5, 0, "kafka", null));
        store.setEnabled("dlq-burst", false);
        store.create(rule("probe", "events", "/p/probe", "above", 0, 10, 5, 0, "kafka", null));
        int probes = 0;
        while (!topicHas("probe", Alert.FIRING, -1)) {
            assertThat(probes).as("probes before the new rule applied").isLessThan(30);
            probe(at(T1, probes * 10 + 1));
            probes++;
            Thread.sleep(300);
        }
        double appliedSeconds = (System.nanoTime() - changedAt) / 1e9;
        assertThat(appliedSeconds).as("rule changes applied (polled, matched, alert committed) within 10 s").isLessThan(10);
        JsonNode firstProbe = alertsOnTopic().stream().filter(a -> a.get("rule_id").asText().equals("probe")).findFirst().orElseThrow();
        long k = (firstProbe.get("window_end").asLong() - T1 - 5_000) / 10_000;
        assertThat(firstProbe.get("window_end").asLong()).isEqualTo(T1 + k * 10_000 + 5_000);
        assertThat(firstProbe.get("value").asDouble()).isEqualTo(1.0);
        assertThat(k).isBetween(0L, (long) probes - 1);
        // The same traffic as phase 1 (spike +4/s in [20, 35): at most 80 per window, below the new 100; malformed in
        // [10, 25), but dlq-burst is disabled), then a probe at T2 + 61: fires at T2 + 65. The probes of the loop kept
        // the probe rule firing until the window after the last one: resolved at T1 + 10 (probes - 1) + 15.
        traffic(T2, 60, 20, 35, 4, 10, 25);
        probe(at(T2, 61));
        await("the closing probe of phase 2", Duration.ofSeconds(30), () -> topicHas("probe", Alert.FIRING, at(T2, 65)));

        // Phase 3: spike +9/s in [20, 35) against the threshold 100 (version 2): [10, 30) holds 10 + 50 before 25.0
        // and reaches 101 at 29.0: fires at once (end 30, value 101); [15, 35) and [20, 40) have 155, [25, 45) 110,
        // [30, 50) 65: resolved at 50 with 65. Purchases at 40.5, 41.5, 42.5: fires at end 45 with 3, resolved at 55.
        // A probe at T3 + 61 closes it (fires at T3 + 65); the probe rule's phase-2 alert resolves at T2 + 75.
        // The job is cancelled as soon as the webhook has the purchase alert, before its checkpoint may have
        // completed, and restored from its latest checkpoint; it re-reads what came after that checkpoint.
        traffic(T3, 60, 20, 35, 9, 0, 0, 40.5, 41.5, 42.5);
        probe(at(T3, 61));
        await("the phase-3 purchase alert at the webhook", Duration.ofSeconds(30),
            () -> webhookAlerts().contains("purchases firing@" + (at(T3, 45) - T0) / 1000.0 + " 3.0 v1"));
        job.cancel().get();
        String checkpoint = RetainedCheckpoints.latest(conf.get(AlertingOptions.CHECKPOINT_DIR));
        Configuration restored = jobConfiguration();
        restored.set(AlertingOptions.RESTORE_PATH, checkpoint);
        JobClient job2 = AlertingJob.start(AlertingJob.environment(restored), restored);
        running = job2;
        try {
            await("the closing probe of phase 3 after the restore", Duration.ofSeconds(60),
                () -> topicHas("probe", Alert.FIRING, at(T3, 65)) && webhookAlerts().contains(
                    "purchases resolved@" + (at(T3, 55) - T0) / 1000.0 + " 0.0 v1"));
        } finally {
            job2.cancel().get();
            running = null;
        }

        List<JsonNode> topic = alertsOnTopic();
        assertThat(topic.stream().map(a -> a.get("alert_id").asText()).distinct().count()).as("no alert id twice").isEqualTo(topic.size());
        List<String> expected = new ArrayList<>(phase1);
        expected.addAll(List.of(
            "probe firing@" + (T1 - T0 + k * 10_000 + 5_000) / 1000.0 + " 1.0 v1",
            "probe resolved@" + (T1 - T0 + (probes - 1) * 10_000L + 15_000) / 1000.0 + " 0.0 v1",
            "probe firing@" + (T2 - T0 + 65_000) / 1000.0 + " 1.0 v1",
            "probe resolved@" + (T2 - T0 + 75_000) / 1000.0 + " 0.0 v1",
            "views-spike firing@" + (T3 - T0 + 30_000) / 1000.0 + " 101.0 v2",
            "views-spike resolved@" + (T3 - T0 + 50_000) / 1000.0 + " 65.0 v2",
            "probe firing@" + (T3 - T0 + 65_000) / 1000.0 + " 1.0 v1"));
        assertThat(topic.stream().map(a -> describe(a, T0)).toList()).containsExactlyElementsOf(expected);
        // The webhook is at least once: a repeat after the restore carries the same key.
        assertThat(webhookAlerts().stream().distinct().toList()).containsExactlyInAnyOrder(
            "purchases firing@105.0 3.0 v1", "purchases resolved@115.0 0.0 v1",
            "purchases firing@" + (T3 - T0 + 45_000) / 1000.0 + " 3.0 v1", "purchases resolved@" + (T3 - T0 + 55_000) / 1000.0 + " 0.0 v1");
        assertThat(webhookCalls.stream().map(c -> c[0]).distinct().count()).isEqualTo(4);
        System.out.printf("AlertingITCase: rule changes applied after %.1f s; restored from %s; webhook deliveries %d for 4 alerts "
            + "(repeats after the restore: %d)%n", appliedSeconds, checkpoint, webhookCalls.size(), webhookCalls.size() - 4);

        // The Iceberg table: the two transitions of dlq-burst, each once (upserted on the id), none after it was disabled.
        assertThat(icebergAlerts()).containsExactlyInAnyOrder(
            "dlq-burst firing@40.0 0.5 v1 [2026-01-05T10:00:30, 2026-01-05T10:00:40)",
            "dlq-burst resolved@60.0 0.0 v1 [2026-01-05T10:00:50, 2026-01-05T10:01)");
    }

    static List<String> icebergAlerts() throws IOException {
        Map<String, String> props = new java.util.HashMap<>(catalog.icebergProperties());
        Catalog c = CatalogUtil.buildIcebergCatalog(catalog.catalogName(), props, new org.apache.hadoop.conf.Configuration());
        Table t = c.loadTable(TableIdentifier.of(Namespace.of(NAMESPACE), AlertingTable.ALERTS.tableName()));
        List<String> out = new ArrayList<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(t).build()) {
            for (Record r : rows) {
                LocalDateTime end = (LocalDateTime) r.getField("window_end");
                long endMs = end.toInstant(ZoneOffset.UTC).toEpochMilli();
                assertThat(r.getField("alert_id")).isEqualTo(Alert.id((String) r.getField("rule_id"), (Long) r.getField("rule_version"),
                    endMs, (String) r.getField("state")));
                out.add(r.getField("rule_id") + " " + r.getField("state") + "@" + (endMs - T0) / 1000.0 + " " + r.getField("metric_value")
                    + " v" + r.getField("rule_version") + " [" + r.getField("window_start") + ", " + end + ")");
            }
        }
        if (c instanceof java.io.Closeable closeable) {
            closeable.close();
        }
        Collections.sort(out);
        return out;
    }
}
