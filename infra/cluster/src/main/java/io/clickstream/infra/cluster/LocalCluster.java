package io.clickstream.infra.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import io.clickstream.infra.kafka.LocalKafkaCluster;
import io.clickstream.infra.lakehouse.IcebergCatalogSchema;
import io.clickstream.infra.lakehouse.LocalPostgres;
import io.clickstream.infra.lakehouse.LocalTrino;
import io.clickstream.infra.lakehouse.ServingCatalog;
import io.clickstream.infra.lakehouse.TrinoSecurity;

/**
 * The whole cluster on this machine, each part in its own processes: 3 KRaft Kafka nodes, a Flink standalone
 * session cluster (JobManager + TaskManagers), a Spark standalone master and worker, PostgreSQL (the Iceberg
 * catalog) and Trino. Used in-process by the cluster demo and the cluster tests, and as the supervisor of
 * {@code infra/bin/cluster.sh up}: started in the background, it writes {@code cluster.env} (the endpoints, as
 * shell variables) once everything is ready and stops every process, in order, on SIGTERM.
 */
public final class LocalCluster implements AutoCloseable {
    private final Path dir;
    private final LocalKafkaCluster kafka;
    private final LocalFlinkCluster flink;
    private final LocalSparkCluster spark;
    private final LocalPostgres postgres;
    private final LocalTrino trino;
    private final ServingCatalog catalog;
    private final Duration startTime;

    private LocalCluster(Path dir, LocalKafkaCluster kafka, LocalFlinkCluster flink, LocalSparkCluster spark,
            LocalPostgres postgres, LocalTrino trino, ServingCatalog catalog, Duration startTime) {
        this.dir = dir;
        this.kafka = kafka;
        this.flink = flink;
        this.spark = spark;
        this.postgres = postgres;
        this.trino = trino;
        this.catalog = catalog;
        this.startTime = startTime;
    }

    /** Starts every component (Kafka, PostgreSQL and Trino in parallel with Flink and Spark) and waits until all are ready. */
    public static LocalCluster start(ClusterOptions o) throws Exception {
        long t0 = System.nanoTime();
        Path dir = Files.createDirectories(o.dir());
        Duration timeout = o.startTimeout();
        List<AutoCloseable> started = new ArrayList<>();
        try {
            CompletableFuture<LocalKafkaCluster> kafka = CompletableFuture.supplyAsync(() -> call(() ->
                LocalKafkaCluster.start(dir.resolve("kafka"), o.kafkaPorts(), timeout)));
            LocalPostgres pg = LocalPostgres.start(dir.resolve("postgres/data"), o.getInt(ClusterOptions.POSTGRES_PORT), timeout);
            started.add(pg);
            ServingCatalog catalog = pg.catalog(dir.resolve("iceberg").toUri().toString());
            IcebergCatalogSchema.ensure(catalog);
            CompletableFuture<LocalTrino> trino = CompletableFuture.supplyAsync(() -> call(() ->
                LocalTrino.start(dir.resolve("trino"), catalog, o.getInt(ClusterOptions.TRINO_PORT), "1G", timeout)));
            LocalFlinkCluster flink = LocalFlinkCluster.start(dir.resolve("flink"), o);
            started.add(flink);
            LocalSparkCluster spark = LocalSparkCluster.start(dir.resolve("spark"), o);
            started.add(spark);
            LocalKafkaCluster k = join(kafka, started);
            LocalTrino t = join(trino, started);
            return new LocalCluster(dir, k, flink, spark, pg, t, catalog, Duration.ofNanos(System.nanoTime() - t0));
        } catch (Exception e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private interface IoCall<T> {
        T call() throws Exception;
    }

    private static <T> T call(IoCall<T> c) {
        try {
            return c.call();
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static <T extends AutoCloseable> T join(CompletableFuture<T> f, List<AutoCloseable> started) {
        T v = f.join();
        started.add(v);
        return v;
    }

    public LocalKafkaCluster kafka() {
        return kafka;
    }

    public LocalFlinkCluster flink() {
        return flink;
    }

    public LocalSparkCluster spark() {
        return spark;
    }

    public LocalTrino trino() {
        return trino;
    }

    public LocalPostgres postgres() {
        return postgres;
    }

    /** The Iceberg catalog (PostgreSQL, warehouse under the cluster directory), password in a file. */
    public ServingCatalog catalog() {
        return catalog;
    }

    public Path dir() {
        return dir;
    }

    public Duration startTime() {
        return startTime;
    }

    /** The endpoints as shell variables (cluster.env): what scripts, the Airflow Variables and users connect to. */
    public Map<String, String> endpoints() {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("CLUSTER_DIR", dir.toString());
        e.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        e.put("FLINK_REST_URL", flink.restUrl());
        e.put("FLINK_CONF_DIR", flink.confDir().toString());
        e.put("FLINK_CHECKPOINTS", dir.resolve("flink/checkpoints").toUri().toString());
        e.put("SPARK_MASTER", spark.masterUrl());
        e.put("SPARK_MASTER_UI", spark.masterUiUrl());
        e.put("JDBC_URL", catalog.jdbcUrl());
        e.put("JDBC_USER", catalog.user());
        e.put("JDBC_PASSWORD_FILE", postgres.passwordFile().toString());
        e.put("ICEBERG_WAREHOUSE", catalog.warehouse());
        e.put("PAIMON_WAREHOUSE", dir.resolve("paimon").toUri().toString());
        e.put("TRINO_BI_URL", trino.jdbcUrl(catalog.namespace()));
        e.put("TRINO_BI_PASSWORD_FILE", trino.security().passwordFile(TrinoSecurity.BI).toString());
        return e;
    }

    /** Every process of the cluster with its pid and peak resident memory (VmHWM), for the status and the notes. */
    public Map<String, Long> pids() {
        Map<String, Long> p = new LinkedHashMap<>();
        for (int i = 1; i <= kafka.size(); i++) {
            p.put("kafka-" + i, kafka.node(i).pid());
        }
        p.put("flink-jobmanager", flink.jobManagerPid());
        List<Long> tms = flink.taskManagerPids();
        for (int i = 0; i < tms.size(); i++) {
            p.put("flink-taskmanager-" + (i + 1), tms.get(i));
        }
        p.put("spark-master", spark.masterPid());
        p.put("spark-worker", spark.workerPid());
        p.put("postgres", postgres.pid());
        p.put("trino", trino.pid());
        return p;
    }

    /** Stops Flink and Spark first (they write to the others), then Trino, PostgreSQL and Kafka. */
    @Override
    public void close() {
        for (AutoCloseable c : List.<AutoCloseable>of(flink, spark, trino, postgres, kafka)) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("stopping " + c.getClass().getSimpleName() + ": " + e);
            }
        }
    }

    /** {@code LocalCluster [--option value ...]}: starts the cluster, writes cluster.env, runs until SIGTERM/SIGINT. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("LocalCluster [options]: Kafka x3, Flink (JobManager + TaskManagers), Spark (master + worker), "
                + "PostgreSQL and Trino on this machine\n" + ClusterOptions.describe());
            return;
        }
        ClusterOptions o = ClusterOptions.fromArgs(args);
        Path env = o.dir().resolve("cluster.env");
        Files.deleteIfExists(env);
        LocalCluster cluster = start(o);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping the cluster ...");
            cluster.close();
            stopped.countDown();
        }, "cluster-stop"));
        StringBuilder b = new StringBuilder("# written by LocalCluster (pid " + ProcessHandle.current().pid() + "); source it\n");
        cluster.endpoints().forEach((k, v) -> b.append(k).append("='").append(v).append("'\n"));
        b.append("SUPERVISOR_PID='").append(ProcessHandle.current().pid()).append("'\n");
        Path tmp = env.resolveSibling("cluster.env.tmp");
        Files.writeString(tmp, b.toString());
        Files.move(tmp, env, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.printf("cluster ready in %.1f s%n%s", cluster.startTime().toMillis() / 1e3, b);
        cluster.pids().forEach((name, pid) -> System.out.printf("  %-20s pid %d%n", name, pid));
        System.out.flush();
        stopped.await();
    }
}
