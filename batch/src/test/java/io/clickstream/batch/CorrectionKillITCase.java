package io.clickstream.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.clickstream.tables.BatchTable;
import io.clickstream.tables.LakeTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The late correction killed with SIGKILL in its most awkward moment, then run again. The job runs as
 * its own process from the build's batch jar (as the Airflow tasks run it) and is killed right after
 * its MERGE into {@code page_minute_agg} committed, before the rollups and the ledger: minute rows
 * corrected, ledger not. The re-run must finish the work without applying anything twice, leaving
 * the minute, hour and day tables equal to the truth.
 */
class CorrectionKillITCase {
    @TempDir
    static Path tmp;
    static BatchTestStack stack;
    static StreamingLayerFixture fixture;
    static BatchTables tables;

    @BeforeAll
    static void start() throws Exception {
        stack = BatchTestStack.start(tmp, "correction-kill-it");
        fixture = new StreamingLayerFixture(stack.options, "kill");
        fixture.writeStreamingOutput(stack.spark);
        tables = new BatchTables(stack.spark, stack.options, fixture.truth);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void correctionKilledAfterItsMinuteMergeIsFinishedExactlyByTheRerun() throws Exception {
        BatchOptions o = stack.options;
        String before = metadataLocation(LakeTable.PAGE_MINUTE_AGG.tableName());
        Process job = startCorrectionProcess(o);
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (before.equals(metadataLocation(LakeTable.PAGE_MINUTE_AGG.tableName()))) {
                assertThat(job.isAlive()).as("the correction process is still running (see %s)", log()).isTrue();
                assertThat(System.nanoTime()).as("the MERGE into page_minute_agg committed").isLessThan(deadline);
                Thread.sleep(5);
            }
            job.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        } finally {
            job.destroyForcibly();
        }
        assertThat(job.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(tables.minuteRows()).as("the killed run's MERGE committed whole")
            .containsExactlyInAnyOrderElementsOf(BatchTables.strings(fixture.truth.correctedMinuteRows()));
        assertThat(count(BatchTable.CORRECTION_LEDGER.tableName())).as("but its ledger entry did not").isZero();

        LateCorrectionJob.Result rerun = LateCorrectionJob.run(stack.spark, o);
        assertThat(rerun.lateRecords()).isEqualTo(fixture.truth.lateEventIds.size());
        assertThat(rerun.changedMinutes()).as("nothing applied twice").isZero();
        assertThat(tables.minuteRows()).containsExactlyInAnyOrderElementsOf(BatchTables.strings(fixture.truth.correctedMinuteRows()));
        tables.assertRollupsEqualTruth();
        assertThat(count(BatchTable.CORRECTION_LEDGER.tableName())).as("the ledger has the range now").isPositive();
        assertThat(LateCorrectionJob.run(stack.spark, o).lateRecords()).as("and a third run finds nothing to do").isZero();
    }

    private static long count(String table) {
        stack.spark.catalog().refreshTable(stack.options.table(table));
        return stack.spark.sql("SELECT count(*) FROM " + stack.options.table(table)).first().getLong(0);
    }

    /** The table's current metadata file in the JDBC catalog: it changes with every commit. */
    private static String metadataLocation(String table) throws Exception {
        try (Connection c = DriverManager.getConnection(stack.options.jdbcUrl, stack.options.jdbcUser, stack.options.jdbcPassword);
                PreparedStatement s = c.prepareStatement(
                    "SELECT metadata_location FROM iceberg_tables WHERE table_namespace = ? AND table_name = ?")) {
            s.setString(1, stack.options.namespace);
            s.setString(2, table);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).as("table %s in the catalog", table).isTrue();
                return r.getString(1);
            }
        }
    }

    private static Path log() {
        return tmp.resolve("correction.log");
    }

    /**
     * The late correction as Airflow runs it: infra/bin/batch.sh, spark-submit of the build's application jar in
     * its own JVM (the script execs, so the process is the driver's JVM itself).
     */
    private static Process startCorrectionProcess(BatchOptions o) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("bash");
        cmd.add(Path.of("..", "infra", "bin", "batch.sh").toAbsolutePath().normalize().toString());
        cmd.add("correct");
        cmd.addAll(List.of("--jdbc-url", o.jdbcUrl, "--jdbc-user", o.jdbcUser, "--warehouse", o.warehouse,
            "--bootstrap-servers", o.bootstrapServers, "--raw-topic", o.rawTopic, "--late-topic", o.lateTopic,
            "--run-id", "killed"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(Path.of("..").toAbsolutePath().normalize().toFile()).redirectOutput(log().toFile());
        // The catalog password travels in the environment, as batch.sh's callers pass it (never on the command line).
        pb.environment().put(BatchOptions.PASSWORD_ENV, o.jdbcPassword);
        pb.environment().put("SPARK_DRIVER_MEMORY", "1g");
        return pb.start();
    }
}
