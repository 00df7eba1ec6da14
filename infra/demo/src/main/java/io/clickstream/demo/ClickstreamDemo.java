package io.clickstream.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import io.clickstream.infra.airflow.LocalAirflow;
import io.clickstream.infra.kafka.LocalKafkaBroker;
import io.clickstream.infra.lakehouse.Listeners;
import io.clickstream.infra.lakehouse.LocalPostgres;
import io.clickstream.infra.lakehouse.LocalTrino;
import io.clickstream.infra.lakehouse.ServingCatalog;
import io.clickstream.loadgen.GroundTruth;
import io.clickstream.streaming.ClickstreamJob;
import io.clickstream.streaming.LocalRuns;
import io.clickstream.streaming.StreamingOptions;
import io.clickstream.streaming.sinks.LakeSinks;
import io.clickstream.tables.LakeTable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The end-to-end demo on the embedded stack: starts a real Kafka broker (KRaft, own JVM), produces
 * generated click traffic with every kind of trouble, starts PostgreSQL (Iceberg JDBC catalog) and a
 * Trino server, runs the streaming job on a local Flink MiniCluster until all of it is processed and
 * committed to the Paimon tables and their Iceberg serving copies, then prints what landed, proves the
 * offset accounting and the ground truth, and runs the named BI queries through trino-jdbc.
 *
 * <p>Exits with status 1 if any partition's offsets do not balance or a table differs from the truth.
 */
public final class ClickstreamDemo {
    private ClickstreamDemo() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(StreamingOptions.describe());
            return;
        }
        Configuration conf = LocalRuns.bindLocally(StreamingOptions.fromArgs(args));
        Path dir = Path.of(conf.get(StreamingOptions.DEMO_DIR)).toAbsolutePath();
        LocalRuns.wipe(dir);
        System.out.println("== Clickstream lakehouse demo ==  (working directory " + dir + ")");

        long t0 = System.nanoTime();
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(dir.resolve("kafka"), Duration.ofSeconds(60));
             LocalPostgres pg = LocalPostgres.startEphemeral(Duration.ofSeconds(60))) {
            System.out.printf("[1/10] Kafka broker (KRaft, pid %d) ready at %s; PostgreSQL (Iceberg catalog) at %s; %.1f s%n",
                broker.pid(), broker.bootstrapServers(), pg.jdbcUrl(), seconds(t0));
            ServingCatalog catalog = pg.catalog(conf.get(StreamingOptions.SERVING_CATALOG_NAME),
                dir.resolve("iceberg").toUri().toString(), conf.get(StreamingOptions.SERVING_NAMESPACE));
            LakeSinks.useServingCatalog(conf, catalog);
            PrometheusStep prometheus = conf.get(StreamingOptions.DEMO_PROMETHEUS)
                ? PrometheusStep.start(conf, dir.resolve("prometheus")) : null;
            CompletableFuture<io.clickstream.quality.LocalSuperset> supersetStart = conf.get(StreamingOptions.DEMO_SUPERSET)
                ? SupersetStep.start(dir.resolve("superset")) : null;
            // Airflow (when enabled) and Trino start (~10 s each) while the traffic is produced and the job runs.
            CompletableFuture<LocalAirflow> airflowStart = null;
            CompletableFuture<LocalTrino> trinoStart = CompletableFuture.supplyAsync(() -> {
                try {
                    return LocalTrino.start(dir.resolve("trino"), catalog, Duration.ofSeconds(180));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            if (conf.get(StreamingOptions.DEMO_AIRFLOW)) {
                // Airflow's Variables point at this stack, Trino included, so it starts once Trino is up.
                airflowStart = trinoStart.thenApplyAsync(trino -> {
                    try {
                        return LocalAirflow.start(Path.of("").toAbsolutePath(), dir.resolve("airflow"),
                            AirflowStep.environment(catalog, broker.bootstrapServers(), trino.jdbcUrl(catalog.namespace()),
                                dir.resolve("reports")), AirflowStep.DAGS, Duration.ofMinutes(5));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            }

            DemoTraffic traffic = DemoTraffic.produce(conf, broker.bootstrapServers(), "[2/10]");
            GroundTruth truth = traffic.truth();
            java.util.TreeSet<String> days = traffic.days();
            long produced = traffic.produced();

            conf.set(StreamingOptions.KAFKA_BOOTSTRAP, broker.bootstrapServers());
            conf.set(StreamingOptions.WAREHOUSE, dir.resolve("warehouse").toUri().toString());
            conf.set(StreamingOptions.CHECKPOINT_DIR, dir.resolve("checkpoints").toUri().toString());
            conf.set(StreamingOptions.BOUNDED, true);
            Path firstSnapshot = dir.resolve("warehouse").resolve(conf.get(StreamingOptions.DATABASE) + ".db")
                .resolve(LakeTable.RAW_EVENTS.tableName()).resolve("snapshot").resolve("snapshot-1");
            AtomicLong firstCommitNanos = new AtomicLong();
            long t2 = System.nanoTime();
            Thread watcher = watchFor(firstSnapshot, t2, firstCommitNanos);
            System.out.printf("[3/10] Running the Flink job (parallelism %d, checkpoints every %s) until every record is "
                + "committed ...%n", conf.get(StreamingOptions.PARALLELISM), conf.get(StreamingOptions.CHECKPOINT_INTERVAL));
            StreamExecutionEnvironment env = ClickstreamJob.environment(conf);
            org.apache.flink.core.execution.JobClient job = ClickstreamJob.start(env, conf, s -> s);
            // While the MiniCluster runs beside the broker, PostgreSQL and Trino/Airflow (starting): what listens beyond loopback?
            java.util.Set<String> exposed = new java.util.TreeSet<>();
            Listeners.nonLoopbackOfOurProcesses().forEach(l -> exposed.add(l.toString()));
            job.getJobExecutionResult().get();
            double jobSeconds = seconds(t2);
            watcher.interrupt();
            System.out.printf("      finished in %.1f s: %,.0f records/s end to end into committed tables; first committed "
                + "rows after %.1f s%n", jobSeconds, produced / jobSeconds, firstCommitNanos.get() / 1e9);

            DemoReport report = DemoReport.collect(conf, truth);
            System.out.println(report.render());
            if (prometheus != null) {
                report.addChecks(prometheus.report(truth));
            }
            try (LocalTrino trino = trinoStart.join()) {
                Listeners.nonLoopbackOfOurProcesses().forEach(l -> exposed.add(l.toString()));
                report.addChecks(BiReport.run(trino, catalog, truth));
                if (supersetStart != null) {
                    report.addChecks(SupersetStep.run(supersetStart.join(), trino, catalog.namespace(), truth));
                }
                if (conf.get(StreamingOptions.DEMO_ALERTING)) {
                    report.addChecks(AlertingStep.run(broker.bootstrapServers(), pg, truth, dir));
                }
                report.addChecks(ApiStep.run(trino, catalog, conf, broker.bootstrapServers(), truth, dir));
                if (conf.get(StreamingOptions.DEMO_DLQ_REPLAY) && !traffic.repairable().isEmpty()) {
                    // Changes the truth: the repaired events are in it from here on (the batch checks include them).
                    report.addChecks(DlqReplayStep.run(conf, traffic.repairable(), truth, trino, catalog, report, dir));
                }
                report.addChecks(BatchStep.run(trino, catalog, broker.bootstrapServers(), new java.util.ArrayList<>(days), truth, dir, "local[2]"));
                if (airflowStart != null) {
                    try (LocalAirflow airflow = airflowStart.join()) {
                        Listeners.nonLoopbackOfOurProcesses().forEach(l -> exposed.add(l.toString()));
                        System.out.printf("      Airflow: %d processes (LocalExecutor parallelism %d), password in %s (mode 0600)%n",
                            airflow.processes().size(), io.clickstream.infra.lakehouse.ServiceOptions.airflowParallelism(),
                            dir.resolve("airflow").resolve("passwords.json"));
                        report.addChecks(AirflowStep.run(airflow, LocalDate.parse(days.first())));
                        report.addChecks(BatchStep.verifyRollups(trino, catalog, truth));
                        BatchStep.writeReport(trino, catalog, airflow.client(), new java.util.ArrayList<>(days), dir);
                    }
                }
            }
            System.out.printf("Listeners beyond loopback of the demo's processes (ss -ltnp, with the Flink job, Trino and "
                + "Airflow running): %s%n", exposed.isEmpty() ? "none" : exposed);
            report.addChecks(java.util.Map.of("no listener beyond loopback (Kafka, PostgreSQL, Trino, Airflow, Flink, Spark)",
                exposed.isEmpty()));
            System.out.printf("Peak memory (VmHWM): demo JVM with the Flink MiniCluster %s, Kafka broker %s%n",
                LocalRuns.peakRssMb(ProcessHandle.current().pid()) + " MB", LocalRuns.peakRssMb(broker.pid()) + " MB");
            System.out.printf("Total %.1f s. Tables are in %s (Paimon, database %s) and %s (Iceberg, namespace %s).%n",
                seconds(t0), conf.get(StreamingOptions.WAREHOUSE), conf.get(StreamingOptions.DATABASE), catalog.warehouse(),
                catalog.namespace());
            if (prometheus != null) {
                System.out.printf("Prometheus at %s stops now, with the demo.%n", prometheus.server().url());
                prometheus.close();
            }
            if (supersetStart != null) {
                supersetStart.join().close();
            }
            if (!report.ok()) {
                System.out.println("DEMO FAILED: see the lines marked MISMATCH above.");
                System.exit(1);
            }
        }
        System.exit(0);
    }

    private static Thread watchFor(Path file, long startNanos, AtomicLong elapsed) {
        Thread t = new Thread(() -> {
            try {
                while (!Files.exists(file)) {
                    Thread.sleep(100);
                }
                elapsed.set(System.nanoTime() - startNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "first-commit-watcher");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
