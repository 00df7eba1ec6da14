package io.clickstream.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickstream.alerting.Alert;
import io.clickstream.alerting.AlertingJob;
import io.clickstream.alerting.AlertingOptions;
import io.clickstream.infra.kafka.LocalKafkaBroker;
import io.clickstream.infra.lakehouse.LocalPostgres;
import io.clickstream.loadgen.ClickGenerator;
import io.clickstream.loadgen.GeneratedRecord;
import io.clickstream.loadgen.LoadGenOptions;
import io.clickstream.loadgen.TopicSetup;
import io.clickstream.streaming.LocalRuns;
import io.clickstream.tables.AlertRule;
import io.clickstream.tables.AlertRuleStore;
import io.clickstream.tables.ClickEvent;
import io.clickstream.tables.EventJson;
import io.clickstream.tables.Topics;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Alert latency and CPU cost of the alerting job (docs/BENCHMARKS.md, "Alerting"): a real broker and
 * PostgreSQL, the job on a MiniCluster in this JVM, the demo's generated traffic (Zipf pages, 1 %
 * malformed, out-of-order and late events) produced live by a separate process ({@link Traffic}) at a
 * fixed rate, and canary rules ({@code page_views above 0} on pages the traffic never visits) beside
 * ordinary rules. A canary view every {@code 20 s / canary-pages} is the event that completes a breach;
 * its latency is the time a {@code read_committed} consumer receives the alert minus the canary's arrival
 * (its Kafka timestamp, carried in the alert as {@code breach_arrival}). CPU per event is this JVM's CPU
 * time (the job; the producer runs in its own process) over the measured interval divided by the events
 * produced in it. Usage: {@code infra/bin/alerting-bench.sh [--rate 5000] [--duration 180] [--warmup 30]}.
 */
public final class AlertingBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertingBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rate = 5000;
        int duration = 180;
        int warmup = 30;
        int canaries = 10;
        Path dir = Path.of("target/alerting-bench");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--rate" -> rate = Integer.parseInt(args[i + 1]);
                case "--duration" -> duration = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--canary-pages" -> canaries = Integer.parseInt(args[i + 1]);
                case "--dir" -> dir = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                    + " (--rate events/s, --duration s, --warmup s, --canary-pages n, --dir path)");
            }
        }
        LocalRuns.wipe(dir);
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(dir.resolve("kafka"), Duration.ofSeconds(60));
             LocalPostgres pg = LocalPostgres.startEphemeral(Duration.ofSeconds(60))) {
            run(broker, pg, dir, rate, duration, warmup, canaries);
        }
    }

    static AlertRule rule(String id, String metric, String page, String condition, double threshold, Integer baseline, int window,
            int slide) {
        return new AlertRule(id, "bench " + id, metric, page, null, null, null, condition, threshold, baseline, window, slide, 0,
            "kafka", null, true, 0, null, null);
    }

    static void run(LocalKafkaBroker broker, LocalPostgres pg, Path dir, int rate, int duration, int warmup, int canaries)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicSetup.ensureTopics(bootstrap, 4);
        Properties ap = new Properties();
        ap.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(ap)) {
            admin.createTopics(List.of(new NewTopic(Topics.ALERTS, 1, (short) 1))).all().get();
        }
        AlertRuleStore store = new AlertRuleStore(pg.jdbcUrl(), LocalPostgres.USER, pg.password()).ensureSchema();
        for (int c = 0; c < canaries; c++) {
            store.create(rule("canary-" + c, "page_views", "/canary/" + c, "above", 0, null, 10, 5));
        }
        // Ordinary rules on the generated traffic: they cost matching and state, whether they fire or not.
        store.create(rule("top-page-views", "page_views", "/p/1", "above", 1_000_000, null, 60, 10));
        store.create(rule("dlq-rate", "dlq_rate", null, "above", 0.05, null, 60, 10));
        store.create(rule("unique-users", "unique_users", null, "below", 10, null, 60, 10));
        store.create(rule("purchases-z", "purchases", null, "zscore_above", 6, 30, 60, 10));
        store.create(rule("events-z", "events", null, "zscore_above", 6, 30, 60, 10));

        Configuration conf = LocalRuns.bindLocally(new Configuration());
        conf.set(AlertingOptions.KAFKA_BOOTSTRAP, bootstrap);
        conf.set(AlertingOptions.RULES_JDBC_URL, pg.jdbcUrl());
        conf.set(AlertingOptions.RULES_JDBC_PASSWORD_FILE, pg.passwordFile().toString());
        conf.set(AlertingOptions.SERVING_ENABLED, false);
        conf.set(AlertingOptions.CHECKPOINT_DIR, dir.resolve("checkpoints").toUri().toString());
        JobClient job = AlertingJob.start(AlertingJob.environment(conf), conf);

        long total = (long) rate * (warmup + duration + 15);
        Process producer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
            "-cp", System.getProperty("java.class.path"), Traffic.class.getName(), bootstrap, Integer.toString(rate), Long.toString(total))
            .redirectErrorStream(true).redirectOutput(dir.resolve("producer.log").toFile()).start();

        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        Thread reader = new Thread(() -> readAlerts(bootstrap, latencies, measuring, stop), "alert-reader");
        reader.start();
        int sent = 0;
        long measuredCanaries = 0;
        long startMs = System.currentTimeMillis();
        long cpuStart = 0;
        long wallStart = 0;
        try (KafkaProducer<byte[], byte[]> canary = new KafkaProducer<>(ap, new ByteArraySerializer(), new ByteArraySerializer())) {
            long period = 20_000 / canaries;
            while (System.currentTimeMillis() < startMs + (warmup + duration) * 1000L) {
                if (!measuring.get() && System.currentTimeMillis() >= startMs + warmup * 1000L) {
                    cpuStart = cpuNanos();
                    wallStart = System.nanoTime();
                    measuring.set(true);
                }
                long now = System.currentTimeMillis();
                ClickEvent e = new ClickEvent("canary-" + sent, 1, "page_view", "u-canary", "/canary/" + (sent % canaries), now);
                canary.send(new ProducerRecord<>(Topics.RAW, sent % 4, null, e.userId.getBytes(StandardCharsets.UTF_8), EventJson.encode(e)));
                canary.flush();
                if (measuring.get()) {
                    measuredCanaries++;
                }
                sent++;
                Thread.sleep(period);
            }
        }
        long cpu = cpuNanos() - cpuStart;
        double wall = (System.nanoTime() - wallStart) / 1e9;
        Thread.sleep(5_000); // the last canaries' alerts
        stop.set(true);
        reader.join();
        producer.destroy();
        producer.waitFor();
        job.cancel().get();

        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        double events = rate * wall;
        String cpuModel = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
            .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
        System.out.printf("RESULT alerting rate=%d ev/s measured=%.0f s canaries=%d alerts=%d p50=%d ms p90=%d ms p99=%d ms max=%d ms "
                + "cpu=%.1f s (%.2f cores) cpu/event=%.1f us machine=%d cores %s%n", rate, wall, measuredCanaries, sorted.size(),
            pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99), sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1), cpu / 1e9,
            cpu / 1e9 / wall, cpu / 1e3 / events, Runtime.getRuntime().availableProcessors(), cpuModel);
    }

    /**
     * The live traffic, in its own process: the demo's generator (pages, users, funnel, v2 fields, 1 %
     * malformed, duplicates, out-of-order and late events) produced at a fixed rate, each event's time
     * set to the wall clock minus its generated delay (the generator's own clock advances at least 1 ms per
     * event, so above 1,000 events/s it would run ahead of real time). Arguments: bootstrap, rate, events.
     */
    public static final class Traffic {
        private Traffic() {}

        public static void main(String[] args) {
            LoadGenOptions o = new LoadGenOptions();
            o.bootstrapServers = args[0];
            double rate = Double.parseDouble(args[1]);
            o.events = Long.parseLong(args[2]);
            o.eventsPerSecond = 1000;
            Properties p = new Properties();
            p.put("bootstrap.servers", o.bootstrapServers);
            p.put("linger.ms", "5");
            p.put("compression.type", "lz4");
            long start = System.nanoTime();
            long sent = 0;
            ClickGenerator g = new ClickGenerator(o);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                while (g.hasNext()) {
                    GeneratedRecord r = g.next();
                    byte[] value = r.value;
                    long now = System.currentTimeMillis();
                    if (r.event != null && r.kind != GeneratedRecord.Kind.MALFORMED) {
                        ClickEvent e = r.event;
                        ClickEvent live = new ClickEvent(e.eventId, e.schemaVersion, e.eventType, e.userId, e.page,
                            now - Math.max(0, r.timestamp - e.eventTime));
                        live.device = e.device;
                        live.country = e.country;
                        live.referrer = e.referrer;
                        value = EventJson.encode(live);
                    }
                    producer.send(new ProducerRecord<>(Topics.RAW, r.partition, now, r.key == null ? null : r.key.getBytes(StandardCharsets.UTF_8), value));
                    sent++;
                    long wait = start + (long) (sent * 1e9 / rate) - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
            }
        }
    }

    static long pct(List<Long> sorted, double p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Reads clicks.alerts read_committed; latency of each canary firing received while measuring. */
    static void readAlerts(String bootstrap, List<Long> latencies, AtomicBoolean measuring, AtomicBoolean stop) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "alerting-bench");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(Topics.ALERTS));
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(50))) {
                    long received = System.currentTimeMillis();
                    try {
                        JsonNode a = JSON.readTree(r.value());
                        if (measuring.get() && a.get("rule_id").asText().startsWith("canary-") && Alert.FIRING.equals(a.get("state").asText())) {
                            latencies.add(received - a.get("breach_arrival").asLong());
                        }
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
    }
}
