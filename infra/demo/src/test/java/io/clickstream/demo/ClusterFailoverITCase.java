package io.clickstream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.clickstream.infra.cluster.ClusterOptions;
import io.clickstream.infra.cluster.LocalCluster;
import io.clickstream.infra.cluster.Repository;
import io.clickstream.infra.lakehouse.ServiceOptions;
import io.clickstream.infra.lakehouse.TiedProcess;
import io.clickstream.loadgen.ClickGenerator;
import io.clickstream.loadgen.GeneratedRecord;
import io.clickstream.loadgen.GroundTruth;
import io.clickstream.loadgen.LoadGenOptions;
import io.clickstream.loadgen.LoadProducer;
import io.clickstream.loadgen.TopicSetup;
import io.clickstream.streaming.ClickstreamJob;
import io.clickstream.streaming.LocalRuns;
import io.clickstream.streaming.StreamingOptions;
import io.clickstream.streaming.sinks.LakeSinks;
import io.clickstream.tables.Topics;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Node failures on the real cluster ({@link LocalCluster}): the deployable job jar runs on the Flink standalone
 * cluster (unbounded, as in production) while a TaskManager is SIGKILLed mid-stream and, later, a Kafka node is
 * SIGKILLed while the job reads and writes and then brought back, and between the two the job is stopped with a savepoint and
 * resumed from it at parallelism 3 (a rescale); then the Spark worker is SIGKILLed while the late
 * correction runs on it, and the task is re-run. After each, every table equals the truth computed from the
 * generated input: nothing lost, nothing counted twice. Recovery times are printed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverITCase {
    private static final int PORT_OFFSET = 2000;
    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
    private static final Pattern SAVEPOINT = Pattern.compile("Path: (\\S+)");
    private static final Pattern COMPLETED = Pattern.compile("\"completed\"\\s*:\\s*(\\d+)");
    private static final Pattern LATEST_COMPLETED_TRIGGER = Pattern.compile(
        "\"latest\"\\s*:\\s*\\{\\s*\"completed\"\\s*:\\s*\\{[^{}]*\"trigger_timestamp\"\\s*:\\s*(\\d+)");

    static LocalCluster cluster;
    static Path dir;
    static Configuration conf;
    static GroundTruth truth;
    static TreeSet<String> days = new TreeSet<>();

    @BeforeAll
    static void startCluster() throws Exception {
        dir = Path.of("target", "cluster-failover").toAbsolutePath();
        LocalRuns.wipe(dir);
        ClusterOptions defaults = ClusterOptions.fromArgs();
        List<String> args = new ArrayList<>(List.of("--dir", dir.toString(), "--kafka.ports", String.join(",",
            defaults.kafkaPorts().stream().map(p -> String.valueOf(p + PORT_OFFSET)).toList()),
            "--spark.worker-memory", "2g"));
        for (ClusterOptions.Option port : List.of(ClusterOptions.FLINK_REST_PORT, ClusterOptions.SPARK_MASTER_PORT,
                ClusterOptions.SPARK_MASTER_UI_PORT, ClusterOptions.POSTGRES_PORT, ClusterOptions.TRINO_PORT)) {
            args.add("--" + port.key());
            args.add(String.valueOf(defaults.getInt(port) + PORT_OFFSET));
        }
        cluster = LocalCluster.start(ClusterOptions.fromArgs(args.toArray(String[]::new)));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void taskManagerAndKafkaNodeCrashesLoseNothing() throws Exception {
        conf = StreamingOptions.fromArgs("--demo.events", "20000", "--demo.partitions", "4");
        LoadGenOptions traffic = new LoadGenOptions();
        traffic.events = conf.get(StreamingOptions.DEMO_EVENTS);
        traffic.partitions = conf.get(StreamingOptions.DEMO_PARTITIONS);
        traffic.seed = conf.get(StreamingOptions.DEMO_SEED);
        traffic.bootstrapServers = cluster.kafka().bootstrapServers();
        TopicSetup.ensureTopics(traffic.bootstrapServers, traffic.partitions);
        truth = new GroundTruth(conf.get(StreamingOptions.WINDOW_SIZE), conf.get(StreamingOptions.SESSION_GAP),
            conf.get(StreamingOptions.OUT_OF_ORDERNESS), conf.get(StreamingOptions.ALLOWED_LATENESS));
        List<GeneratedRecord> all = ClickGenerator.generateAll(traffic);
        Map<Integer, Long> end = new TreeMap<>();
        all.forEach(r -> end.merge(r.partition, 1L, Long::sum));
        List<GeneratedRecord> phase1 = all.subList(0, all.size() / 2);
        List<GeneratedRecord> phase2 = all.subList(phase1.size(), all.size());
        LoadProducer.produce(traffic, phase1.iterator(), this::observe);

        conf.set(StreamingOptions.KAFKA_BOOTSTRAP, traffic.bootstrapServers);
        conf.set(StreamingOptions.WAREHOUSE, dir.resolve("paimon").toUri().toString());
        conf.set(StreamingOptions.CHECKPOINT_DIR, dir.resolve("flink/checkpoints").toUri().toString());
        conf.set(StreamingOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(3));
        LakeSinks.useServingCatalog(conf, cluster.catalog());
        String jobId = submitDetached();

        await("a first completed checkpoint", Duration.ofMinutes(3), () -> completedCheckpoints(jobId) >= 1);
        long completedBefore = completedCheckpoints(jobId);
        long killed = System.nanoTime();
        cluster.flink().killTaskManager(1);
        await("a checkpoint after the TaskManager crash", Duration.ofMinutes(3), () -> completedCheckpoints(jobId) > completedBefore);
        System.out.printf("TaskManager 1 SIGKILLed: the job restarted on TaskManager 2 and completed a checkpoint %.1f s later%n",
            (System.nanoTime() - killed) / 1e9);
        // TaskManager 1 comes back (its JVM takes ~15 s to register) while the job is stopped with a savepoint; the
        // rescaled job below is submitted only once both TaskManagers are registered.
        cluster.flink().startTaskManager(1);

        // Rescale: stop with a savepoint (no drain: windows stay open), resume from it with parallelism 3.
        Path stopLog = dir.resolve("flink-stop-rescale.log");
        assertThat(run(cluster.flink().cli("stop", "--savepointPath", dir.resolve("savepoints").toUri().toString(), jobId),
            cluster.flink().cliEnvironment(), stopLog)).as("flink stop with a savepoint (" + stopLog + ")").isZero();
        Matcher sp = SAVEPOINT.matcher(Files.readString(stopLog));
        assertThat(sp.find()).as("the CLI prints the savepoint path (" + stopLog + ")").isTrue();
        conf.set(StreamingOptions.RESTORE_PATH, sp.group(1));
        conf.set(StreamingOptions.PARALLELISM, 3);
        cluster.flink().awaitTaskManagers(2, Duration.ofMinutes(2));
        long rescaled = System.nanoTime();
        String rescaledJob = submitDetached();
        await("a checkpoint of the job rescaled to parallelism 3", Duration.ofMinutes(3), () -> completedCheckpoints(rescaledJob) >= 1);
        System.out.printf("Rescaled from parallelism 2 to 3 through savepoint %s: first checkpoint %.1f s after the resubmission%n",
            sp.group(1), (System.nanoTime() - rescaled) / 1e9);
        // Resubmitted onto TaskManagers that ran the first job: it must start cleanly (each job registers its own JDBC
        // driver for the Iceberg catalog, see ServingJdbcCatalog), not fail once and restart.
        assertThat(cluster.flink().get("/jobs/" + rescaledJob + "/exceptions"))
            .as("the rescaled job's exception history").doesNotContain("No suitable driver").contains("\"entries\":[]");

        // A Kafka node dies while the job reads phase 2 and writes its exactly-once side topics and checkpoints: the job
        // must complete a checkpoint with the node down, and the node catches up when it is back.
        LoadProducer.produce(traffic, phase2.iterator(), this::observe);
        long beforeBrokerKill = completedCheckpoints(rescaledJob);
        cluster.kafka().node(2).kill();
        long brokerKilled = System.nanoTime();
        long brokerKilledMillis = System.currentTimeMillis();
        // Triggered after the kill, not one that was in flight (the job is busy reading phase 2 when the node dies).
        await("a checkpoint triggered and completed with Kafka node 2 down", Duration.ofMinutes(3),
            () -> completedCheckpoints(rescaledJob) > beforeBrokerKill && latestCompletedTrigger(rescaledJob) > brokerKilledMillis);
        System.out.printf("Kafka node 2 SIGKILLed mid-stream: the job completed a checkpoint on the other two nodes %.1f s later%n",
            (System.nanoTime() - brokerKilled) / 1e9);
        cluster.kafka().node(2).restart(Duration.ofMinutes(2));
        System.out.printf("Kafka node 2 back after %.1f s%n", (System.nanoTime() - brokerKilled) / 1e9);

        Map<String, String> expectedEnd = new TreeMap<>();
        end.forEach((p, o) -> expectedEnd.put(String.valueOf(p), String.valueOf(o)));
        await("a checkpoint covering every offset " + expectedEnd, Duration.ofMinutes(4),
            () -> committedOffsets().equals(expectedEnd));
        int stop = run(cluster.flink().cli("stop", "--drain", "--savepointPath", dir.resolve("savepoints").toUri().toString(), rescaledJob),
            cluster.flink().cliEnvironment(), dir.resolve("flink-stop.log"));
        assertThat(stop).as("flink stop --drain (log " + dir.resolve("flink-stop.log") + ")").isZero();

        DemoReport report = DemoReport.collect(conf, truth);
        System.out.println(report.render());
        // Table maintenance is ServingITCase's subject (and the demo's); here the BI queries after the crashes are.
        report.addChecks(BiReport.run(cluster.trino(), cluster.catalog(), truth, false));
        assertThat(report.ok()).as("every Paimon table, side topic and BI query equals the truth").isTrue();
    }

    @Test
    @Order(2)
    void sparkWorkerCrashDuringTheCorrectionIsRepairedByARerun() throws Exception {
        assertThat(truth).as("needs the tables of the streaming test").isNotNull();
        String master = cluster.spark().masterUrl();
        List<String> correct = List.of("bash", Repository.resolve("infra/bin/batch.sh").toString(), "correct",
            "--jdbc-url", cluster.catalog().jdbcUrl(), "--jdbc-user", cluster.catalog().user(),
            "--warehouse", cluster.catalog().warehouse(), "--bootstrap-servers", cluster.kafka().bootstrapServers(),
            "--run-id", "crashed");
        Map<String, String> env = Map.of("CLICKSTREAM_SPARK_MASTER", master, "CLICKSTREAM_JDBC_PASSWORD", cluster.catalog().password());
        Path log = dir.resolve("correction-crashed.log");
        try (TiedProcess driver = TiedProcess.start("spark-correction", correct, Path.of("").toAbsolutePath(), log, "TERM",
                ServiceOptions.stopGrace(), env)) {
            await("the correction's executors running on the worker", Duration.ofMinutes(2),
                () -> Files.exists(dir.resolve("spark/work")) && hasExecutorDir(dir.resolve("spark/work")));
            cluster.spark().killWorker();
            System.out.println("Spark worker SIGKILLed while the correction ran on it; the driver is stopped as a timed-out task would be");
        }
        long restarted = System.nanoTime();
        cluster.spark().startWorker();
        cluster.spark().awaitWorkers(1, Duration.ofMinutes(2));
        System.out.printf("Spark worker back after %.1f s; the task re-runs%n", (System.nanoTime() - restarted) / 1e9);
        Map<String, Boolean> checks = BatchStep.run(cluster.trino(), cluster.catalog(), cluster.kafka().bootstrapServers(),
            new ArrayList<>(days), truth, dir, master);
        assertThat(checks).as("the re-run's tables equal the truth").isNotEmpty().doesNotContainValue(false);
    }

    private void observe(GeneratedRecord r) {
        truth.add(r);
        days.add(GroundTruth.day(r.timestamp));
        // The day of every distinct event: GroundTruth.add keeps the first valid record of an event id (putIfAbsent), whose
        // day was added when it was observed, so adding this record's event day covers them all. (Iterating over every
        // distinct event here, per record, made producing quadratic: 60 rec/s at the end of phase 2.)
        if (r.kind != GeneratedRecord.Kind.MALFORMED) {
            days.add(GroundTruth.day(r.event.eventTime));
        }
    }

    private static boolean hasExecutorDir(Path work) {
        try (var apps = Files.list(work)) {
            return apps.anyMatch(a -> a.getFileName().toString().startsWith("app-") && a.toFile().list().length > 0);
        } catch (Exception e) {
            return false;
        }
    }

    private static String submitDetached() throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "-d", "-c", ClickstreamJob.class.getName(), jobJar().toString()));
        conf.toMap().forEach((k, v) -> {
            if (!k.startsWith("clickstream.demo.")) {
                args.add("--" + k);
                args.add(v);
            }
        });
        Path log = dir.resolve("flink-run.log");
        assertThat(run(cluster.flink().cli(args.toArray(String[]::new)), cluster.flink().cliEnvironment(), log)).as("flink run -d").isZero();
        Matcher m = JOB_ID.matcher(Files.readString(log));
        assertThat(m.find()).as("the CLI prints the job id (" + log + ")").isTrue();
        return m.group(1);
    }

    private static long completedCheckpoints(String jobId) {
        return checkpointStat(jobId, COMPLETED);
    }

    /** The trigger time (epoch ms, the JobManager's clock: this machine's) of the job's latest completed checkpoint. */
    private static long latestCompletedTrigger(String jobId) {
        return checkpointStat(jobId, LATEST_COMPLETED_TRIGGER);
    }

    /** A number from the job's checkpoint statistics (REST), 0 while there is none or the JobManager does not answer. */
    private static long checkpointStat(String jobId, Pattern stat) {
        try {
            Matcher m = stat.matcher(cluster.flink().get("/jobs/" + jobId + "/checkpoints"));
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    private static Map<String, String> committedOffsets() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka().bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            Map<String, String> m = new TreeMap<>();
            admin.listConsumerGroupOffsets(conf.get(StreamingOptions.KAFKA_GROUP_ID)).partitionsToOffsetAndMetadata().get()
                .forEach((tp, om) -> {
                    if (tp.topic().equals(Topics.RAW) && om != null) {
                        m.put(Integer.toString(tp.partition()), Long.toString(om.offset()));
                    }
                });
            return m;
        } catch (Exception e) {
            return Map.of();
        }
    }

    private static int run(List<String> cmd, Map<String, String> env, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start().waitFor();
    }

    private static Path jobJar() throws Exception {
        try (var files = Files.list(Repository.resolve("streaming/target"))) {
            return files.filter(f -> f.getFileName().toString().endsWith("-job.jar")).findFirst().orElseThrow();
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            Thread.sleep(200);
        }
    }

}
