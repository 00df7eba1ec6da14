package io.clickstream.demo;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.clickstream.infra.cluster.ClusterOptions;
import io.clickstream.infra.cluster.LocalCluster;
import io.clickstream.streaming.ClickstreamJob;
import io.clickstream.streaming.LocalRuns;
import io.clickstream.streaming.StreamingOptions;
import io.clickstream.streaming.sinks.LakeSinks;
import io.clickstream.tables.Topics;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The demo on a real cluster ({@code make cluster-demo}): starts {@link LocalCluster} (3 Kafka nodes, a Flink
 * standalone cluster with 2 TaskManagers, a Spark master and worker, PostgreSQL, Trino), produces the same traffic
 * as {@code make demo}, submits the deployable job jar through Flink's own CLI, runs the batch jobs by spark-submit
 * of the application jar on the Spark master, and checks every table against the truth as the demo does.
 *
 * <p>Exits with status 1 if anything differs from the truth.
 */
public final class ClusterDemo {
    private static final int PORT_OFFSET = 1000;

    private ClusterDemo() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("ClusterDemo [streaming options]; cluster settings as -Dclickstream.cluster.<key>=<value>:\n"
                + ClusterOptions.describe() + "\nStreaming options:\n" + StreamingOptions.describe());
            return;
        }
        Configuration conf = StreamingOptions.fromArgs(args);
        Path dir = Path.of(conf.get(StreamingOptions.DEMO_DIR)).toAbsolutePath().resolveSibling("cluster-demo");
        LocalRuns.wipe(dir);
        Path jobJar = artifact(io.clickstream.infra.cluster.Repository.resolve("streaming/target"), "clickstream-streaming-", "-job.jar");
        // The cluster's default ports + 1000 (below the ephemeral range, which client sockets use), so that a cluster of
        // infra/bin/cluster.sh may run beside it.
        ClusterOptions defaults = ClusterOptions.fromArgs();
        List<String> ports = new ArrayList<>(List.of("--dir", dir.toString(), "--kafka.ports", String.join(",",
            defaults.kafkaPorts().stream().map(p -> String.valueOf(p + PORT_OFFSET)).toList())));
        for (ClusterOptions.Option port : List.of(ClusterOptions.FLINK_REST_PORT, ClusterOptions.SPARK_MASTER_PORT,
                ClusterOptions.SPARK_MASTER_UI_PORT, ClusterOptions.POSTGRES_PORT, ClusterOptions.TRINO_PORT)) {
            ports.add("--" + port.key());
            ports.add(String.valueOf(defaults.getInt(port) + PORT_OFFSET));
        }
        ClusterOptions o = ClusterOptions.fromArgs(ports.toArray(String[]::new));
        System.out.println("== Clickstream on a cluster ==  (working directory " + dir + ")");
        long t0 = System.nanoTime();
        try (LocalCluster cluster = LocalCluster.start(o)) {
            System.out.printf("[1/6] Cluster up in %.1f s:%n", cluster.startTime().toMillis() / 1e3);
            cluster.pids().forEach((name, pid) -> System.out.printf("      %-20s pid %d%n", name, pid));
            String bootstrap = cluster.kafka().bootstrapServers();
            DemoTraffic traffic = DemoTraffic.produce(conf, bootstrap, "[2/6]");
            printReplication(bootstrap);

            conf.set(StreamingOptions.KAFKA_BOOTSTRAP, bootstrap);
            conf.set(StreamingOptions.WAREHOUSE, dir.resolve("paimon").toUri().toString());
            conf.set(StreamingOptions.CHECKPOINT_DIR, dir.resolve("flink/checkpoints").toUri().toString());
            conf.set(StreamingOptions.BOUNDED, true);
            LakeSinks.useServingCatalog(conf, cluster.catalog());
            List<String> run = new ArrayList<>(List.of("run", "-c", ClickstreamJob.class.getName(), jobJar.toString()));
            conf.toMap().forEach((k, v) -> {
                if (!k.startsWith("clickstream.demo.")) {
                    run.add("--" + k);
                    run.add(v);
                }
            });
            System.out.printf("[3/6] flink run %s (Flink's CLI, JobManager %s, %d TaskManagers) until every record is committed ...%n",
                jobJar.getFileName(), cluster.flink().restUrl(), cluster.flink().registeredTaskManagers());
            Map<String, Duration> cpuBefore = cpu(cluster.pids());
            long t1 = System.nanoTime();
            int exit = runLogged(cluster.flink().cli(run.toArray(String[]::new)), cluster.flink().cliEnvironment(),
                dir.resolve("flink-run.log"));
            double jobSeconds = (System.nanoTime() - t1) / 1e9;
            System.out.printf("      flink run exited %d after %.1f s: %,.0f records/s end to end into committed tables%n",
                exit, jobSeconds, traffic.produced() / jobSeconds);
            Map<String, Duration> cpuAfter = cpu(cluster.pids());
            double flinkCpu = 0;
            double kafkaCpu = 0;
            for (String name : cpuAfter.keySet()) {
                double s = (cpuAfter.get(name).toMillis() - cpuBefore.getOrDefault(name, Duration.ZERO).toMillis()) / 1e3;
                if (name.startsWith("flink-")) {
                    flinkCpu += s;
                } else if (name.startsWith("kafka-")) {
                    kafkaCpu += s;
                }
                System.out.printf("      CPU during the job: %-20s %6.1f s%n", name, s);
            }
            System.out.printf("      Flink processes %.1f CPU-s (%.0f records per CPU-second), Kafka nodes %.1f CPU-s%n",
                flinkCpu, traffic.produced() / flinkCpu, kafkaCpu);
            if (exit != 0) {
                System.out.println("CLUSTER DEMO FAILED: the job did not finish (see " + dir.resolve("flink-run.log") + ")");
                System.exit(1);
            }
            System.out.println("[4/6] Tables and topics against the truth:");
            DemoReport report = DemoReport.collect(conf, traffic.truth());
            System.out.println(report.render());
            System.out.println("[5/6] BI queries through Trino:");
            report.addChecks(BiReport.run(cluster.trino(), cluster.catalog(), traffic.truth()));
            report.addChecks(BatchStep.run(cluster.trino(), cluster.catalog(), bootstrap, new ArrayList<>(traffic.days()),
                traffic.truth(), dir, cluster.spark().masterUrl()));
            System.out.println("[6/6] Processes and their peak memory (VmHWM):");
            cluster.pids().forEach((name, pid) -> System.out.printf("      %-20s pid %-8d %s MB%n", name, pid, LocalRuns.peakRssMb(pid)));
            System.out.printf("Total %.1f s.%n", (System.nanoTime() - t0) / 1e9);
            if (!report.ok()) {
                System.out.println("CLUSTER DEMO FAILED: see the lines marked MISMATCH above.");
                System.exit(1);
            }
        }
        System.exit(0);
    }

    /** Total CPU time (user + system) of each process so far. */
    private static Map<String, Duration> cpu(Map<String, Long> pids) {
        Map<String, Duration> out = new LinkedHashMap<>();
        pids.forEach((name, pid) -> ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).ifPresent(d -> out.put(name, d)));
        return out;
    }

    /** Prints each topic's replication factor and min.insync.replicas as the cluster created them. */
    private static void printReplication(String bootstrap) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            List<String> topics = List.of(Topics.RAW, Topics.LATE, Topics.DLQ);
            Map<String, TopicDescription> d = admin.describeTopics(topics).allTopicNames().get();
            Map<String, String> line = new LinkedHashMap<>();
            for (String t : topics) {
                String minIsr = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, t))).all().get()
                    .values().iterator().next().get("min.insync.replicas").value();
                line.put(t, d.get(t).partitions().size() + " partitions x " + d.get(t).partitions().get(0).replicas().size()
                    + " replicas, min.insync.replicas " + minIsr);
            }
            line.forEach((t, v) -> System.out.printf("      %-12s %s%n", t, v));
        }
    }

    /** Runs a command, its output to {@code log} and, line by line, to stdout (the CLI shows the job's progress). */
    private static int runLogged(List<String> cmd, Map<String, String> env, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             var out = Files.newBufferedWriter(log)) {
            String line;
            while ((line = r.readLine()) != null) {
                out.write(line);
                out.newLine();
                out.flush();
                System.out.println("      | " + line);
            }
        }
        return p.waitFor();
    }

    private static Path artifact(Path dir, String prefix, String suffix) throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix) && f.getFileName().toString().endsWith(suffix))
                .findFirst().orElseThrow(() -> new IllegalStateException(dir + "/" + prefix + "*" + suffix
                    + " is not built: run 'make build' first")).toAbsolutePath();
        }
    }
}
