package io.clickstream.streaming;

import static io.clickstream.streaming.StreamingRestartITCase.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.clickstream.loadgen.ClickGenerator;
import io.clickstream.loadgen.GeneratedRecord;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.junit.jupiter.api.Test;

/**
 * The operator's restart: the job runs as its own process ({@code ClickstreamJob}, the way the scripts
 * run it), is killed with SIGKILL mid-stream, and is started again with the documented command plus
 * {@code --from-latest-checkpoint <checkpoint-dir>}. Every table and side topic must equal the truth,
 * i.e. what an uninterrupted run produces, and the side topics must be readable at once (the restored
 * job aborts the open transactions of the killed one instead of leaving them to time out).
 */
class JobProcessKillITCase extends BrokerTestBase {
    @Test
    void killedJobProcessResumesFromItsLatestCheckpoint() throws Exception {
        PipelineFixture f = new PipelineFixture("killed", broker.bootstrapServers(), tmp);
        List<GeneratedRecord> all = ClickGenerator.generateAll(f.traffic);
        List<GeneratedRecord> phase1 = all.subList(0, all.size() * 6 / 10);
        List<GeneratedRecord> phase2 = all.subList(phase1.size(), all.size());
        Configuration conf = f.jobConfiguration();
        int restPort = io.clickstream.infra.lakehouse.Ports.free();
        Process first = null;
        Process second = null;
        try {
            f.produce(phase1);
            first = startJobProcess(f, conf, restPort, "first", List.of());
            awaitCondition("a completed checkpoint of the first process", Duration.ofSeconds(120),
                () -> !f.committedOffsets().isEmpty());
            f.produce(phase2);
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(137);

            second = startJobProcess(f, conf, restPort, "second", List.of("--from-latest-checkpoint", f.checkpoints()));
            Map<String, String> end = f.endOffsetsAfter(all);
            awaitCondition("a checkpoint covering every offset " + end, Duration.ofSeconds(120),
                () -> f.committedOffsets().equals(end));
            stopWithDrain(restPort, f);
            assertThat(second.waitFor(2, TimeUnit.MINUTES)).as("the resumed job ends after stop --drain").isTrue();
            assertThat(second.exitValue()).isZero();
            assertThat(java.nio.file.Files.readString(f.dir.resolve("second.log")))
                .as("the second process restored the first one's checkpoint").contains("Restoring from ");

            StreamingPipelineITCase.assertLakeAndTopicsEqualTruth(f, f.truth());
        } finally {
            for (Process p : new Process[] {first, second}) {
                if (p != null) {
                    p.destroyForcibly();
                }
            }
        }
    }

    /** {@code java -cp <test classpath> ClickstreamJob --key value ... -Dflink.key=value}, as an operator runs it. */
    private static Process startJobProcess(PipelineFixture f, Configuration conf, int restPort, String name,
            List<String> extra) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx1g");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ClickstreamJob.class.getName());
        conf.toMap().forEach((k, v) -> {
            if (k.startsWith("clickstream.")) {
                cmd.add("--" + k);
                cmd.add(v);
            } else {
                cmd.add("-D" + k + "=" + v);
            }
        });
        cmd.add("-D" + RestOptions.ADDRESS.key() + "=127.0.0.1");
        cmd.add("-D" + RestOptions.BIND_ADDRESS.key() + "=127.0.0.1");
        cmd.add("-D" + RestOptions.PORT.key() + "=" + restPort);
        cmd.addAll(extra);
        Path log = java.nio.file.Files.createDirectories(f.dir).resolve(name + ".log");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** stop --drain through the job's REST API, as {@code flink stop --drain} does. */
    private static void stopWithDrain(int restPort, PipelineFixture f) throws Exception {
        Configuration c = new Configuration();
        c.set(RestOptions.ADDRESS, "127.0.0.1");
        c.set(RestOptions.PORT, restPort);
        try (RestClusterClient<StandaloneClusterId> client = new RestClusterClient<>(c, StandaloneClusterId.getInstance())) {
            JobID job = null;
            for (JobStatusMessage m : client.listJobs().get(1, TimeUnit.MINUTES)) {
                if (m.getJobState() == JobStatus.RUNNING) {
                    job = m.getJobId();
                }
            }
            assertThat(job).as("a running job").isNotNull();
            client.stopWithSavepoint(job, true, f.dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);
        }
    }
}
