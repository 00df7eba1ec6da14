package io.clickstream.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the checkpoint to restart from, and the restart options as an operator types them. */
class RetainedCheckpointsTest {
    private static final Instant EARLIER = Instant.parse("2026-01-05T08:00:00Z");
    private static final Instant LATER = Instant.parse("2026-01-05T09:00:00Z");

    private static Path checkpoint(Path root, String job, int id, Instant written) throws Exception {
        Path chk = Files.createDirectories(root.resolve(job).resolve("chk-" + id));
        Path metadata = Files.writeString(chk.resolve("_metadata"), "x");
        Files.setLastModifiedTime(metadata, FileTime.from(written));
        return chk;
    }

    @Test
    void picksTheNewestCompletedCheckpointAcrossRuns(@TempDir Path root) throws Exception {
        checkpoint(root, "a1", 40, EARLIER);
        Path newest = checkpoint(root, "b2", 3, LATER);
        Files.createDirectories(root.resolve("b2").resolve("chk-4"));
        Files.createDirectories(root.resolve("b2").resolve("shared"));
        assertThat(Path.of(java.net.URI.create(RetainedCheckpoints.latest(root.toUri().toString())))).isEqualTo(newest);
        assertThat(Path.of(java.net.URI.create(RetainedCheckpoints.latest(root.resolve("b2").toUri().toString()))))
            .isEqualTo(newest);
    }

    @Test
    void failsWhenThereIsNothingToRestoreFrom(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("a1").resolve("chk-1"));
        assertThatThrownBy(() -> RetainedCheckpoints.latest(root.toUri().toString()))
            .hasMessageContaining("no completed checkpoint");
    }

    @Test
    void restartOptionsAsTheFlinkCliSpellsThem(@TempDir Path root) throws Exception {
        Path newest = checkpoint(root, "a1", 7, LATER);
        Configuration latest = StreamingOptions.fromArgs("--from-latest-checkpoint", root.toUri().toString(), "-Drest.port=8089");
        assertThat(Path.of(java.net.URI.create(ClickstreamJob.flinkConfiguration(latest).get(StateRecoveryOptions.SAVEPOINT_PATH))))
            .isEqualTo(newest);
        assertThat(ClickstreamJob.flinkConfiguration(latest).getString("rest.port", null)).isEqualTo("8089");
        Configuration explicit = StreamingOptions.fromArgs("-s", "file:///savepoints/sp-1", "--parallelism", "3");
        assertThat(ClickstreamJob.flinkConfiguration(explicit).get(StateRecoveryOptions.SAVEPOINT_PATH))
            .isEqualTo("file:///savepoints/sp-1");
        assertThat(explicit.get(StreamingOptions.PARALLELISM)).isEqualTo(3);
        assertThatThrownBy(() -> StreamingOptions.fromArgs("-s", "file:///a", "--from-latest-checkpoint", "file:///b"))
            .hasMessageContaining("exclude each other");
    }

    @Test
    void refusesAFreshStartOverRetainedCheckpoints(@TempDir Path root) throws Exception {
        String dir = root.toUri().toString();
        ClickstreamJob.refuseAccidentalFreshStart(StreamingOptions.fromArgs("--checkpoint.dir", dir));
        checkpoint(root, "a1", 7, LATER);
        assertThatThrownBy(() -> ClickstreamJob.refuseAccidentalFreshStart(StreamingOptions.fromArgs("--checkpoint.dir", dir)))
            .hasMessageContaining("--from-latest-checkpoint " + dir);
        ClickstreamJob.refuseAccidentalFreshStart(StreamingOptions.fromArgs("--checkpoint.dir", dir, "--from-latest-checkpoint", dir));
        ClickstreamJob.refuseAccidentalFreshStart(StreamingOptions.fromArgs("--checkpoint.dir", dir,
            "--restore.allow-fresh-state", "true"));
    }
}
