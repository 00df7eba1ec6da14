package io.clickstream.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.clickstream.infra.kafka.LocalKafkaBroker;
import io.clickstream.loadgen.ClickGenerator;
import io.clickstream.loadgen.GeneratedRecord;
import io.clickstream.loadgen.GroundTruth;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 2: killing the job and restoring from the last checkpoint yields exactly the tables of an
 * uninterrupted run. The traffic is produced in two phases; the second holds events up to 40 minutes
 * late whose windows closed during the first, which is what re-opened partial windows after a restore
 * (watermarks are not checkpointed) and overwrote complete rows before the lateness guard existed.
 */
class StreamingRestartITCase {
    @TempDir
    static Path tmp;
    static LocalKafkaBroker broker;
    @RegisterExtension
    static final BrokerDiagnostics DIAGNOSTICS = new BrokerDiagnostics(() -> broker);
    static Map<String, List<String>> uninterrupted;
    static GroundTruth truth;

    @BeforeAll
    static void startBrokerAndRunUninterrupted() throws Exception {
        broker = LocalKafkaBroker.start(tmp.resolve("kafka"), Duration.ofSeconds(60));
        PipelineFixture f = new PipelineFixture("uninterrupted", broker.bootstrapServers(), tmp);
        f.produce(ClickGenerator.generateAll(f.traffic));
        Configuration conf = f.jobConfiguration();
        conf.set(StreamingOptions.STOPPING_OFFSETS, f.endOffsets());
        StreamExecutionEnvironment env = ClickstreamJob.environment(conf);
        ClickstreamJob.wire(env, conf);
        env.execute("uninterrupted");
        truth = f.truth();
        uninterrupted = f.snapshotTables();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void resetInjector() {
        FailureInjector.reset();
    }

    @Test
    void failureMidStreamRestoresToTheSameTables() throws Exception {
        PipelineFixture f = new PipelineFixture("failover", broker.bootstrapServers(), tmp);
        List<GeneratedRecord> all = ClickGenerator.generateAll(f.traffic);
        List<GeneratedRecord> phase1 = all.subList(0, all.size() * 6 / 10);
        List<GeneratedRecord> phase2 = all.subList(phase1.size(), all.size());

        f.produce(phase1);
        Configuration conf = f.jobConfiguration();
        JobClient job = startWithInjector(conf);

        awaitCondition("phase 1 processed and checkpointed", Duration.ofSeconds(90),
            () -> FailureInjector.SEEN_AT_LAST_CHECKPOINT.get() >= phase1.size());
        FailureInjector.FAIL_AT.set(phase1.size() + phase2.size() / 2);
        f.produce(phase2);

        drainOnceEverythingIsCheckpointed(job, f, all);
        assertThat(FailureInjector.FAILURES.get()).as("the job failed once and recovered").isEqualTo(1);
        StreamingPipelineITCase.assertLakeAndTopicsEqualTruth(f, f.truth());
        assertThat(f.snapshotTables()).isEqualTo(uninterrupted);
    }

    @Test
    void cancelledJobResumesFromItsRetainedCheckpoint() throws Exception {
        PipelineFixture f = new PipelineFixture("resume", broker.bootstrapServers(), tmp);
        List<GeneratedRecord> all = ClickGenerator.generateAll(f.traffic);
        List<GeneratedRecord> phase1 = all.subList(0, all.size() / 2);
        List<GeneratedRecord> phase2 = all.subList(phase1.size(), all.size());

        f.produce(phase1);
        Configuration conf = f.jobConfiguration();
        JobClient first = startWithInjector(conf);
        awaitCondition("phase 1 processed and checkpointed", Duration.ofSeconds(90),
            () -> FailureInjector.SEEN_AT_LAST_CHECKPOINT.get() >= phase1.size());
        first.cancel().get(1, TimeUnit.MINUTES);
        assertThat(first.getJobExecutionResult()).failsWithin(Duration.ofMinutes(1));

        Path checkpoint = latestCheckpoint(Path.of(java.net.URI.create(f.checkpoints())).resolve(first.getJobID().toHexString()));
        f.produce(phase2);
        Configuration resumed = f.jobConfiguration();
        resumed.setString("execution.state-recovery.path", checkpoint.toUri().toString());
        JobClient second = startWithInjector(resumed);
        drainOnceEverythingIsCheckpointed(second, f, all);

        StreamingPipelineITCase.assertLakeAndTopicsEqualTruth(f, f.truth());
        assertThat(f.snapshotTables()).isEqualTo(uninterrupted);
    }

    /** Starts the job with the {@link FailureInjector} right after the source (same topology in every run). */
    static JobClient startWithInjector(Configuration conf) throws Exception {
        return ClickstreamJob.start(ClickstreamJob.environment(conf), conf,
            s -> s.map(new FailureInjector()).name("failure-injector").uid("failure-injector"));
    }

    /**
     * Ends an unbounded job the way operators do: once a checkpoint covers every produced offset (the
     * offsets the source commits on checkpoints have reached the end), stop-with-savepoint --drain
     * fires the remaining windows and commits the last writes.
     *
     * <p>Restart tests run unbounded, as production does, for two reasons: a bounded KafkaSource
     * restored from a checkpoint never finishes (FLINK-31006, open in flink-connector-kafka 4.0.1), and
     * in a bounded job a subtask that already finished is replayed after a failover of another one,
     * which committed its side-topic transaction twice here.
     */
    static void drainOnceEverythingIsCheckpointed(JobClient job, PipelineFixture f, List<GeneratedRecord> all)
            throws Exception {
        Map<String, String> end = f.endOffsetsAfter(all);
        awaitCondition("a checkpoint covering every offset " + end, Duration.ofSeconds(90),
            () -> f.committedOffsets().equals(end));
        job.stopWithSavepoint(true, f.dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
            .get(2, TimeUnit.MINUTES);
        job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
    }

    /** The newest retained checkpoint of one run (what {@code --from-latest-checkpoint} finds). */
    static Path latestCheckpoint(Path jobDir) throws IOException {
        return Path.of(java.net.URI.create(RetainedCheckpoints.latest(jobDir.toUri().toString())));
    }

    static void awaitCondition(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
