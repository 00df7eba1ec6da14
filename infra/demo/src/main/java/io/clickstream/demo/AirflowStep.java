package io.clickstream.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.clickstream.infra.airflow.AirflowClient;
import io.clickstream.infra.airflow.LocalAirflow;
import io.clickstream.infra.lakehouse.ServingCatalog;

/**
 * The demo's scheduler part: a real Airflow (standalone) with the repository's DAGs, started while the
 * stream runs; at the end the correction DAG and the daily rollup DAG (for the demo's first day) are
 * triggered through the Java REST client and watched until they finish. Both jobs have already run
 * once (BatchPipeline), so this also shows that the scheduled re-runs change nothing.
 */
final class AirflowStep {
    static final List<String> DAGS = List.of("clickstream_late_correction", "clickstream_rollup_hourly", "clickstream_rollup_daily",
        "clickstream_maintenance", "clickstream_reconciliation");

    private AirflowStep() {}

    /** Airflow's environment: the Variables the DAGs read, pointing at the demo's stack. */
    private static String duration(AirflowClient.DagRun r) {
        if (r.startDate() == null || r.endDate() == null) {
            return "-";
        }
        return String.format("%.1f s", Duration.between(java.time.Instant.parse(r.startDate()), java.time.Instant.parse(r.endDate()))
            .toMillis() / 1e3);
    }

    static Map<String, String> environment(ServingCatalog catalog, String bootstrap, String trinoUrl, Path reports) {
        Map<String, String> env = new HashMap<>(LocalAirflow.clickstreamVariables(catalog, bootstrap));
        env.put(LocalAirflow.variable("trino_url"), trinoUrl);
        env.put(LocalAirflow.variable("report_dir"), reports.toString());
        env.put("CLICKSTREAM_RETRY_DELAY_SECONDS", "10");
        return env;
    }

    static Map<String, Boolean> run(LocalAirflow airflow, LocalDate day) throws Exception {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        AirflowClient c = airflow.client();
        System.out.printf("[10/10] Airflow (standalone, started in %.1f s) at %s: DAGs %s, import errors: %d%n",
            airflow.startTime().toMillis() / 1e3, airflow.url(), c.dagIds(), c.importErrors().size());
        long t0 = System.nanoTime();
        AirflowClient.DagRun correction = c.trigger("clickstream_late_correction", null, Map.of());
        AirflowClient.DagRun rollup = c.trigger("clickstream_rollup_daily",
            day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC), Map.of());
        c.setPaused("clickstream_late_correction", false);
        c.setPaused("clickstream_rollup_daily", false);
        for (AirflowClient.DagRun r : List.of(correction, rollup)) {
            AirflowClient.DagRun done = c.await(r.dagId(), r.runId(), Duration.ofMinutes(10));
            System.out.printf("      %-28s %-45s %-8s data interval %s .. %s, task time %s%n", done.dagId(), done.runId(),
                done.state(), done.dataIntervalStart(), done.dataIntervalEnd(), duration(done));
            checks.put("Airflow run of " + done.dagId() + " succeeded", done.state().equals("success"));
        }
        c.setPaused("clickstream_late_correction", true);
        c.setPaused("clickstream_rollup_daily", true);
        // Unpausing also scheduled each DAG's latest interval (a paused DAG's manual runs stay queued).
        c.awaitIdle(List.of("clickstream_late_correction", "clickstream_rollup_daily"), Duration.ofMinutes(5));
        System.out.printf("      both DAG runs finished in %.1f s (each task: one Spark JVM); all runs so far:%n", (System.nanoTime() - t0) / 1e9);
        for (String dag : List.of("clickstream_late_correction", "clickstream_rollup_daily")) {
            for (AirflowClient.DagRun r : c.dagRuns(dag, 5)) {
                System.out.printf("      %-28s %-45s %s%n", dag, r.runId(), r.state());
            }
        }
        return checks;
    }
}
