package io.clickstream.bench;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import io.clickstream.loadgen.ClickGenerator;
import io.clickstream.loadgen.LoadGenOptions;
import io.clickstream.loadgen.LoadProducer;
import io.clickstream.streaming.ClickstreamJob;
import io.clickstream.streaming.StreamingOptions;
import io.clickstream.tables.ClickEventParser;
import io.clickstream.tables.LakeTable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One measured run in a fresh JVM, started by {@link PipelineBenchmark}: prints {@code RESULT {json}}.
 *
 * <p>Variants: {@code ceiling} (a plain consumer that reads and parses every record and nothing
 * else), {@code sql-baseline} (plain Flink SQL: Kafka JSON → tumbling window → Paimon), {@code ours}
 * (the streaming job, bounded), {@code freshness} (the streaming job, unbounded, fed live traffic).
 */
public final class BenchRunner {
    /** What the orchestrator asks for: {@code variant bootstrap topic dir parallelism events [rate seconds] [k=v ...]}. */
    record Spec(String variant, String bootstrap, String topic, Path dir, int parallelism, long events, int rate,
            Duration duration, List<String> jobOptions) {
        List<String> toArgs() {
            List<String> a = new ArrayList<>(List.of(variant, bootstrap, topic, dir.toString(), Integer.toString(parallelism),
                Long.toString(events), Integer.toString(rate), Long.toString(duration.toSeconds())));
            a.addAll(jobOptions);
            return a;
        }

        static Spec parse(String[] a) {
            return new Spec(a[0], a[1], a[2], Path.of(a[3]), Integer.parseInt(a[4]), Long.parseLong(a[5]), Integer.parseInt(a[6]),
                Duration.ofSeconds(Long.parseLong(a[7])), List.of(a).subList(8, a.length));
        }
    }

    private BenchRunner() {}

    public static void main(String[] args) throws Exception {
        Spec spec = Spec.parse(args);
        RunResult r;
        switch (spec.variant()) {
            case "ceiling": r = ceiling(spec); break;
            case "sql-baseline": r = sqlBaseline(spec); break;
            case "sql-full": r = sqlFull(spec); break;
            case "ours": r = ours(spec); break;
            case "ours-serving": r = oursServing(spec); break;
            case "freshness": r = freshness(spec); break;
            default: throw new IllegalArgumentException("unknown variant " + spec.variant());
        }
        r.variant = spec.variant();
        r.events = spec.events();
        r.parallelism = spec.parallelism();
        r.cpuSeconds = ProcessStats.ownCpuSeconds();
        r.peakRssMb = ProcessStats.peakRssMb(ProcessHandle.current().pid());
        System.out.println("RESULT " + r.toJson());
        System.exit(0);
    }

    /** Reads every record of the topic from the beginning and parses it; the physical limit of read + parse. */
    static RunResult ceiling(Spec spec) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, spec.bootstrap());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 * 1024 * 1024));
        ClickEventParser parser = new ClickEventParser(StreamingOptions.MAX_PAYLOAD_BYTES.defaultValue(),
            StreamingOptions.MAX_FUTURE_SKEW.defaultValue().toMillis());
        long start = System.nanoTime();
        long records = 0;
        long valid = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(spec.topic()).stream()
                .map(i -> new TopicPartition(spec.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofMillis(100))) {
                    records++;
                    valid += parser.parse(rec.value(), rec.timestamp()).event != null ? 1 : 0;
                }
            }
        }
        RunResult r = new RunResult();
        r.wallSeconds = (System.nanoTime() - start) / 1e9;
        r.records = records;
        if (valid == 0) {
            throw new IllegalStateException("no valid record parsed");
        }
        return r;
    }

    /** The same minute aggregate as plain Flink SQL, with the same checkpointing. */
    static RunResult sqlBaseline(Spec spec) throws Exception {
        Configuration conf = jobConfiguration(spec);
        int restPort = conf.get(RestOptions.PORT);
        StreamExecutionEnvironment env = ClickstreamJob.environment(conf);
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
        tEnv.executeSql("CREATE CATALOG lake WITH ('type' = 'paimon', 'warehouse' = '" + conf.get(StreamingOptions.WAREHOUSE) + "')");
        tEnv.executeSql("CREATE DATABASE IF NOT EXISTS lake.bench");
        tEnv.useCatalog("lake");
        tEnv.useDatabase("bench");
        tEnv.executeSql(sql("bench/sql_baseline_source.sql", spec));
        tEnv.executeSql(sql("bench/sql_baseline_sink.sql", spec));
        long start = System.nanoTime();
        TableResult result = tEnv.executeSql(sql("bench/sql_baseline_insert.sql", spec));
        JobClient job = result.getJobClient().orElseThrow();
        try (CheckpointStats stats = new CheckpointStats(restPort, job.getJobID().toHexString())) {
            result.await();
            RunResult r = new RunResult();
            r.wallSeconds = (System.nanoTime() - start) / 1e9;
            r.records = recordsIn(spec);
            stats.fill(r);
            r.warehouseBytes = ProcessStats.directoryBytes(spec.dir().resolve("warehouse"));
            return r;
        }
    }

    /**
     * {@code sql-full}: the same tables as our job with serving on (Paimon tables and their Iceberg copies, the DLQ
     * topic exactly once), written in plain Flink SQL the way a competent user would (bench/sql_full_*.sql: keep-first
     * ROW_NUMBER dedup, TUMBLE with COUNT DISTINCT, SESSION windows, the funnel as a group aggregate, the raw mirror),
     * with the same checkpointing, parallelism and state backend.
     */
    static RunResult sqlFull(Spec spec) throws Exception {
        try (io.clickstream.infra.lakehouse.LocalPostgres pg =
                io.clickstream.infra.lakehouse.LocalPostgres.startEphemeral(Duration.ofSeconds(60))) {
            io.clickstream.infra.lakehouse.ServingCatalog catalog = pg.catalog(spec.dir().resolve("iceberg").toUri().toString());
            io.clickstream.infra.lakehouse.IcebergCatalogSchema.ensure(catalog);
            Configuration conf = jobConfiguration(spec);
            io.clickstream.streaming.sinks.LakeSinks.useServingCatalog(conf, catalog);
            int restPort = conf.get(RestOptions.PORT);
            StreamExecutionEnvironment env = ClickstreamJob.environment(conf);
            StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
            tEnv.getConfig().set("table.local-time-zone", "UTC");
            tEnv.getConfig().set("table.exec.iceberg.use-v2-sink", "true");
            // Paimon refuses the sink upsert materializer (its merge engine does that job) and says to turn it off.
            tEnv.getConfig().set("table.exec.sink.upsert-materialize", "NONE");
            // Dedup state kept as long as our job keeps event ids (applies to every stateful SQL operator).
            tEnv.getConfig().set("table.exec.state.ttl", conf.get(StreamingOptions.DEDUP_RETENTION).toMillis() + " ms");
            io.clickstream.streaming.sinks.LakeSinks.createServingTables(tEnv, conf);
            io.clickstream.streaming.sinks.LakeSinks.createTables(tEnv, conf);
            tEnv.executeSql(sql("bench/sql_full_source.sql", spec));
            tEnv.executeSql(sql("bench/sql_full_dlq_topic.sql", spec));
            for (String view : statements(sql("bench/sql_full_views.sql", spec))) {
                tEnv.executeSql(view);
            }
            org.apache.flink.table.api.StatementSet set = tEnv.createStatementSet();
            String paimon = "`" + io.clickstream.streaming.sinks.LakeSinks.CATALOG + "`.`" + conf.get(StreamingOptions.DATABASE) + "`";
            String iceberg = "`" + conf.get(StreamingOptions.SERVING_CATALOG_NAME) + "`.`" + conf.get(StreamingOptions.SERVING_NAMESPACE) + "`";
            for (String target : List.of(paimon, iceberg)) {
                for (String insert : statements(sql("bench/sql_full_insert.sql", spec).replace("${target}", target))) {
                    set.addInsertSql(insert);
                }
            }
            set.addInsertSql("INSERT INTO clicks_dlq SELECT kafka_partition, kafka_offset, reason FROM rejected");
            long start = System.nanoTime();
            TableResult result = set.execute();
            JobClient job = result.getJobClient().orElseThrow();
            try (CheckpointStats stats = new CheckpointStats(restPort, job.getJobID().toHexString())) {
                result.await();
                RunResult r = new RunResult();
                r.wallSeconds = (System.nanoTime() - start) / 1e9;
                r.records = recordsIn(spec);
                checkRawRows(conf, r.records);
                stats.fill(r);
                r.warehouseBytes = ProcessStats.directoryBytes(spec.dir().resolve("warehouse"))
                    + ProcessStats.directoryBytes(spec.dir().resolve("iceberg"));
                return r;
            }
        }
    }

    /** Statements of a SQL resource separated by a line holding only ';'. */
    public static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        for (String s : sql.split("\n;\s*\n")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    /**
     * The configuration users run (the default, {@code clickstream.serving.enabled = true}): our job with the
     * Iceberg serving copies of every table in a JDBC catalog on a PostgreSQL started for the run (its CPU is
     * not counted: a few commits per checkpoint), Paimon tables beside them.
     */
    static RunResult oursServing(Spec spec) throws Exception {
        try (io.clickstream.infra.lakehouse.LocalPostgres pg =
                io.clickstream.infra.lakehouse.LocalPostgres.startEphemeral(Duration.ofSeconds(60))) {
            io.clickstream.infra.lakehouse.ServingCatalog catalog = pg.catalog(spec.dir().resolve("iceberg").toUri().toString());
            io.clickstream.infra.lakehouse.IcebergCatalogSchema.ensure(catalog);
            Configuration conf = jobConfiguration(spec);
            io.clickstream.streaming.sinks.LakeSinks.useServingCatalog(conf, catalog);
            RunResult r = ours(spec, conf);
            r.warehouseBytes += ProcessStats.directoryBytes(spec.dir().resolve("iceberg"));
            return r;
        }
    }

    /** Our streaming job, bounded: reads the pre-loaded topic to its end and commits everything. */
    static RunResult ours(Spec spec) throws Exception {
        return ours(spec, jobConfiguration(spec));
    }

    private static RunResult ours(Spec spec, Configuration conf) throws Exception {
        conf.set(StreamingOptions.BOUNDED, true);
        long start = System.nanoTime();
        JobClient job = ClickstreamJob.start(ClickstreamJob.environment(conf), conf, s -> s);
        try (CheckpointStats stats = new CheckpointStats(conf.get(RestOptions.PORT), job.getJobID().toHexString())) {
            job.getJobExecutionResult().get();
            RunResult r = new RunResult();
            r.wallSeconds = (System.nanoTime() - start) / 1e9;
            r.records = recordsIn(spec);
            checkRawRows(conf, r.records);
            stats.fill(r);
            r.warehouseBytes = ProcessStats.directoryBytes(spec.dir().resolve("warehouse"));
            return r;
        }
    }

    /**
     * Our job unbounded, fed {@code rate} events/s of live traffic (event time = produce time) for
     * {@code duration}; then drained, and every committed raw row's commit latency is measured.
     */
    static RunResult freshness(Spec spec) throws Exception {
        Configuration conf = jobConfiguration(spec);
        JobClient job = ClickstreamJob.start(ClickstreamJob.environment(conf), conf, s -> s);
        RunResult r = new RunResult();
        try (CheckpointStats stats = new CheckpointStats(conf.get(RestOptions.PORT), job.getJobID().toHexString())) {
            LoadGenOptions live = new LoadGenOptions();
            live.bootstrapServers = spec.bootstrap();
            live.topic = spec.topic();
            live.start = Instant.now();
            live.eventsPerSecond = spec.rate();
            live.produceRate = spec.rate();
            live.events = spec.rate() * spec.duration().toSeconds();
            live.outOfOrderFraction = 0;
            live.slightlyLateFraction = 0;
            live.veryLateFraction = 0;
            live.wallClockTimestamps = true;
            // Enough users that some are always active (a session is ~12 events, then ~75 min idle):
            // otherwise the simulated clock runs ahead of the wall clock and events look like the future.
            live.users = Math.max(live.users, spec.rate() * 400);
            long start = System.nanoTime();
            r.records = LoadProducer.produce(live, new ClickGenerator(live), null);
            awaitCommittedEnd(spec, Duration.ofMinutes(5));
            r.wallSeconds = (System.nanoTime() - start) / 1e9;
            stats.fill(r);
        }
        job.stopWithSavepoint(true, spec.dir().resolve("savepoint").toUri().toString(), SavepointFormatType.CANONICAL).get();
        checkRawRows(conf, r.records);
        List<Long> latencies = FreshnessProbe.latenciesMs(conf.get(StreamingOptions.WAREHOUSE), conf.get(StreamingOptions.DATABASE),
            LakeTable.RAW_EVENTS.tableName());
        Collections.sort(latencies);
        r.freshnessSamples = (long) latencies.size();
        r.freshnessP50Ms = FreshnessProbe.percentile(latencies, 50);
        r.freshnessP99Ms = FreshnessProbe.percentile(latencies, 99);
        r.warehouseBytes = ProcessStats.directoryBytes(spec.dir().resolve("warehouse"));
        return r;
    }

    private static Configuration jobConfiguration(Spec spec) throws Exception {
        Configuration conf = new Configuration();
        conf.set(StreamingOptions.KAFKA_BOOTSTRAP, spec.bootstrap());
        conf.set(StreamingOptions.RAW_TOPIC, spec.topic());
        conf.set(StreamingOptions.LATE_TOPIC, spec.topic() + ".late");
        conf.set(StreamingOptions.DLQ_TOPIC, spec.topic() + ".dlq");
        // A new consumer group per run: the job starts from committed offsets, and a second run on the
        // same topic must read it from the beginning again.
        conf.set(StreamingOptions.KAFKA_GROUP_ID, groupId(spec));
        conf.set(StreamingOptions.TRANSACTIONAL_ID_PREFIX, groupId(spec));
        conf.set(StreamingOptions.WAREHOUSE, spec.dir().resolve("warehouse").toUri().toString());
        conf.set(StreamingOptions.CHECKPOINT_DIR, spec.dir().resolve("checkpoints").toUri().toString());
        conf.set(StreamingOptions.PARALLELISM, spec.parallelism());
        // The throughput comparison measures the streaming tables; the Iceberg serving copy (which needs
        // PostgreSQL and Trino) is measured by ServingFreshness.
        conf.set(StreamingOptions.SERVING_ENABLED, false);
        for (String kv : spec.jobOptions()) {
            int eq = kv.indexOf('=');
            conf.setString(kv.substring(0, eq), kv.substring(eq + 1));
        }
        StreamingOptions.validate(conf);
        try (ServerSocket s = new ServerSocket(0)) {
            conf.set(RestOptions.PORT, s.getLocalPort());
        }
        return conf;
    }

    private static String groupId(Spec spec) {
        return spec.topic() + "-" + spec.variant() + "-p" + spec.parallelism() + "-" + spec.dir().getFileName();
    }

    /** Guards the numbers: the run must have written (nearly) every record into raw_events. */
    private static void checkRawRows(Configuration conf, long records) throws Exception {
        org.apache.paimon.options.Options o = new org.apache.paimon.options.Options();
        o.set("warehouse", conf.get(StreamingOptions.WAREHOUSE));
        try (org.apache.paimon.catalog.Catalog c = org.apache.paimon.catalog.CatalogFactory.createCatalog(
                org.apache.paimon.catalog.CatalogContext.create(o))) {
            org.apache.paimon.table.FileStoreTable t = (org.apache.paimon.table.FileStoreTable) c.getTable(
                org.apache.paimon.catalog.Identifier.create(conf.get(StreamingOptions.DATABASE), LakeTable.RAW_EVENTS.tableName()));
            long rows = t.snapshotManager().latestSnapshot().totalRecordCount();
            if (rows < records * 0.95) {
                throw new IllegalStateException("raw_events has " + rows + " rows for " + records + " records: the run is not valid");
            }
        }
    }

    private static String sql(String resource, Spec spec) {
        return LakeTable.SqlResources.load(resource).replace("${topic}", spec.topic())
            .replace("${bootstrap}", spec.bootstrap()).replace("${group}", spec.topic() + "-sql");
    }

    private static long recordsIn(Spec spec) {
        return endOffsets(spec).values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<Integer, Long> endOffsets(Spec spec) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, spec.bootstrap());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Map<Integer, Long> out = new TreeMap<>();
            c.endOffsets(c.partitionsFor(spec.topic()).stream().map(i -> new TopicPartition(spec.topic(), i.partition())).toList())
                .forEach((tp, o) -> out.put(tp.partition(), o));
            return out;
        }
    }

    private static void awaitCommittedEnd(Spec spec, Duration timeout) throws Exception {
        Map<Integer, Long> end = endOffsets(spec);
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, spec.bootstrap());
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(p)) {
            while (true) {
                Map<Integer, Long> committed = new TreeMap<>();
                admin.listConsumerGroupOffsets(groupId(spec)).partitionsToOffsetAndMetadata().get()
                    .forEach((tp, om) -> {
                        if (om != null && tp.topic().equals(spec.topic())) {
                            committed.put(tp.partition(), om.offset());
                        }
                    });
                if (committed.equals(end)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("job did not commit up to " + end + " (committed " + committed + ")");
                }
                Thread.sleep(200);
            }
        }
    }
}
