package io.clickstream.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.clickstream.infra.airflow.AirflowClient;
import io.clickstream.infra.airflow.LocalAirflow;
import io.clickstream.loadgen.GroundTruth;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The correction DAG run by a real Airflow 3 (standalone: scheduler, LocalExecutor, API server),
 * triggered and watched through the Java REST client. The DAG's task runs the built batch job
 * (infra/bin/batch.sh) against a real broker, PostgreSQL catalog and warehouse. Five late events are
 * first missing from events_dedup (their streaming commit "has not happened yet"): the task must fail,
 * be retried by Airflow, and once the rows exist the retry must leave every minute row exactly right.
 * Then a backfill of the daily rollup DAG, created through the client, must rebuild that day exactly.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class AirflowCorrectionITCase {
    private static final String DAG = "clickstream_late_correction";
    private static final List<String> DAGS = List.of(DAG, "clickstream_rollup_hourly", "clickstream_rollup_daily",
        "clickstream_maintenance", "clickstream_reconciliation");

    @TempDir
    static Path tmp;
    static BatchTestStack stack;
    static SparkSession spark;
    static BatchOptions options;
    static StreamingLayerFixture fixture;
    static LocalAirflow airflow;
    static List<String> withheld;

    @BeforeAll
    static void start() throws Exception {
        stack = BatchTestStack.start(tmp, "airflow-it");
        spark = stack.spark;
        options = stack.options;
        fixture = new StreamingLayerFixture(options, "airflow");
        withheld = new ArrayList<>(fixture.truth.lateEventIds).subList(0, 5);
        fixture.writeStreamingOutput(spark, Set.copyOf(withheld));

        Map<String, String> env = new HashMap<>(LocalAirflow.clickstreamVariables(options.catalog(), options.bootstrapServers));
        env.put(LocalAirflow.variable("raw_topic"), options.rawTopic);
        env.put(LocalAirflow.variable("late_topic"), options.lateTopic);
        env.put("CLICKSTREAM_RETRY_DELAY_SECONDS", "3");
        // Only the runs this test creates (the triggered correction, the backfill): unpausing a DAG would otherwise also
        // start a run for its latest schedule interval, which ran the correction ahead of the triggered run (which then
        // found nothing to do, ~20 s later) and a second daily rollup beside the backfill.
        env.put("AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE", "False");
        airflow = LocalAirflow.start(Path.of("..").toAbsolutePath().normalize(), tmp.resolve("airflow"), env, DAGS,
            Duration.ofMinutes(5));
        System.out.printf("Airflow ready in %.1f s at %s%n", airflow.startTime().toMillis() / 1e3, airflow.url());
    }

    @AfterAll
    static void stop() {
        List<Long> left = List.of();
        if (airflow != null) {
            long t0 = System.nanoTime();
            airflow.close();
            left = airflow.processes();
            System.out.printf("Airflow stopped in %.1f s; processes left: %d%n", (System.nanoTime() - t0) / 1e9, left.size());
        }
        if (stack != null) {
            stack.close();
        }
        assertThat(left).as("Airflow processes left after close").isEmpty();
    }

    /** Airflow and the Spark session of this JVM listen on loopback only; the password file is owner-only; few processes. */
    @Test
    @org.junit.jupiter.api.Order(0)
    void airflowIsLoopbackOnlyWithAnOwnerOnlyPasswordAndAFewProcesses() throws Exception {
        assertThat(io.clickstream.infra.lakehouse.Listeners.nonLoopbackOfOurProcesses()).as("non-loopback listeners").isEmpty();
        assertThat(java.nio.file.Files.getPosixFilePermissions(tmp.resolve("airflow").resolve("passwords.json")))
            .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        List<Long> processes = airflow.processes();
        System.out.println("Airflow processes: " + processes.size());
        // bash launcher, API server, scheduler, DAG processor, triggerer (+ its child), 2 LocalExecutor workers
        assertThat(processes.size()).as("Airflow's processes (LocalExecutor parallelism 2)").isBetween(4, 12);
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void triggeredCorrectionFailsWhileEventsAreMissingIsRetriedAndLeavesExactMinuteRows() throws Exception {
        AirflowClient client = airflow.client();
        assertThat(client.importErrors()).isEmpty();
        assertThat(client.dagIds()).containsAll(DAGS);

        AirflowClient.DagRun run = client.trigger(DAG, null, Map.of());
        client.setPaused(DAG, false);
        long t0 = System.nanoTime();

        // The first attempt must fail on the missing events_dedup rows; then the rows "arrive".
        awaitTaskInState(client, "up_for_retry", Duration.ofMinutes(4));
        assertThat(minuteRows()).as("a failed attempt changes nothing")
            .containsExactlyInAnyOrderElementsOf(strings(fixture.truth.minuteRows()));
        fixture.appendDedupRows(spark, withheld);

        AirflowClient.DagRun done = client.await(DAG, run.runId(), Duration.ofMinutes(5));
        client.setPaused(DAG, true);
        client.awaitIdle(List.of(DAG), Duration.ofMinutes(5));
        System.out.printf("correction DAG run %s: %s after %.1f s%n", done.runId(), done.state(), (System.nanoTime() - t0) / 1e9);
        assertThat(done.state()).isEqualTo("success");

        int maxTry = 0;
        for (AirflowClient.DagRun r : client.dagRuns(DAG, 10)) {
            assertThat(r.state()).as("run %s", r.runId()).isIn("success", "running", "queued");
            for (AirflowClient.TaskInstance ti : client.taskInstances(DAG, r.runId())) {
                maxTry = Math.max(maxTry, ti.tryNumber());
            }
        }
        assertThat(maxTry).as("the failed attempt was retried by Airflow").isGreaterThanOrEqualTo(2);
        assertThat(minuteRows()).as("every minute row as if nothing had been late")
            .containsExactlyInAnyOrderElementsOf(strings(fixture.truth.correctedMinuteRows()));
        List<String> ledgerRuns = spark.sql("SELECT DISTINCT run_id FROM " + options.table("correction_ledger")).collectAsList()
            .stream().map(r -> r.getString(0)).toList();
        List<String> airflowRuns = client.dagRuns(DAG, 10).stream().map(AirflowClient.DagRun::runId).toList();
        assertThat(ledgerRuns).as("the ledger records the Airflow run that applied the range").isNotEmpty()
            .allSatisfy(id -> assertThat(airflowRuns).contains(id));
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void backfillOfTheDailyRollupThroughTheClientRebuildsThatDayExactly() throws Exception {
        AirflowClient client = airflow.client();
        String dag = "clickstream_rollup_daily";
        java.time.LocalDate day = java.time.LocalDate.of(2026, 1, 5);
        spark.sql("DELETE FROM " + options.table("page_day_agg") + " WHERE true");
        spark.sql("DELETE FROM " + options.table("page_hour_agg") + " WHERE true");
        client.setPaused(dag, false);
        long id = client.backfill(dag, day, day);
        long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
        List<AirflowClient.DagRun> backfillRuns;
        do {
            Thread.sleep(1_000);
            backfillRuns = client.dagRuns(dag, 20).stream().filter(r -> r.runId().startsWith("backfill__")).toList();
        } while ((backfillRuns.isEmpty() || !backfillRuns.stream().allMatch(AirflowClient.DagRun::finished))
            && System.nanoTime() < deadline);
        client.setPaused(dag, true);
        client.awaitIdle(List.of(dag), Duration.ofMinutes(5));
        System.out.printf("backfill %d of %s: %s%n", id, dag, backfillRuns);
        assertThat(backfillRuns).isNotEmpty().allSatisfy(r -> assertThat(r.state()).isEqualTo("success"));
        assertThat(backfillRuns).anySatisfy(r -> assertThat(r.dataIntervalStart()).startsWith(day.toString()));
        List<String> expected = fixture.truth.dayRollup().stream().filter(r -> r.period().equals(day.toString()))
            .map(r -> r.page() + "|" + r.events() + "|" + r.uniqueUsers()).sorted().toList();
        spark.catalog().refreshTable(options.table("page_day_agg"));
        List<String> actual = spark.sql("SELECT page, events, unique_users FROM " + options.table("page_day_agg")
            + " WHERE dt = '" + day + "'").collectAsList().stream().map(r -> r.getString(0) + "|" + r.getLong(1) + "|" + r.getLong(2))
            .sorted().toList();
        assertThat(actual).as("the backfilled day").isNotEmpty().isEqualTo(expected);
    }

    private static void awaitTaskInState(AirflowClient client, String state, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (AirflowClient.DagRun r : client.dagRuns(DAG, 10)) {
                for (AirflowClient.TaskInstance ti : client.taskInstances(DAG, r.runId())) {
                    if (state.equals(ti.state())) {
                        return;
                    }
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no task instance of " + DAG + " reached " + state + " within " + timeout);
    }

    private static List<String> minuteRows() {
        List<String> out = new ArrayList<>();
        spark.catalog().refreshTable(options.table("page_minute_agg"));
        for (Row r : spark.sql("SELECT window_start, page, events, page_views, clicks, add_to_carts, checkouts, purchases, "
                + "unique_users, unique_viewers FROM " + options.table("page_minute_agg")).collectAsList()) {
            out.add(new GroundTruth.MinuteRow(((LocalDateTime) r.get(0)).toInstant(ZoneOffset.UTC).toEpochMilli(), r.getString(1),
                r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5), r.getLong(6), r.getLong(7), r.getLong(8),
                r.getLong(9)).toString());
        }
        return out;
    }

    private static List<String> strings(List<GroundTruth.MinuteRow> rows) {
        return rows.stream().map(Object::toString).toList();
    }
}
