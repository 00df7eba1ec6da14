package io.clickstream.streaming;

import static io.clickstream.streaming.StreamingRestartITCase.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.clickstream.loadgen.ClickGenerator;
import io.clickstream.loadgen.GeneratedRecord;
import io.clickstream.loadgen.GroundTruth;
import io.clickstream.tables.LakeTable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;

/**
 * A partition that goes silent while the others keep delivering, then delivers its in-order backlog:
 * by the per-partition rule none of that backlog is late, so every table must equal the per-partition
 * truth. Before the fix the dedup operator judged the backlog by the job-wide watermark, which had
 * moved on with the other partitions once the silent one counted as idle, and sent most of it to
 * the late topic, out of the minute windows and sessions.
 *
 * <p>The job runs unbounded (as in production) with the default idleness timeout and a short early
 * firing delay; the test also checks that the minute rows stay fresh during the silence: windows the
 * silent partition still holds open are emitted by early firings before it resumes.
 */
class IdlePartitionITCase extends BrokerTestBase {
    private static final int SILENT_PARTITION = 1;

    @Test
    void backlogOfAPartitionThatWasSilentIsJudgedByItsOwnProgress() throws Exception {
        PipelineFixture f = new PipelineFixture("idle", broker.bootstrapServers(), tmp);
        List<GeneratedRecord> all = ClickGenerator.generateAll(f.traffic);
        List<GeneratedRecord> before = all.subList(0, all.size() * 4 / 10);
        List<GeneratedRecord> rest = all.subList(before.size(), all.size());
        List<GeneratedRecord> others = rest.stream().filter(r -> r.partition != SILENT_PARTITION).toList();
        List<GeneratedRecord> backlog = rest.stream().filter(r -> r.partition == SILENT_PARTITION).toList();
        long silentFrom = before.stream().filter(r -> r.partition == SILENT_PARTITION && r.event != null)
            .mapToLong(r -> r.event.eventTime).max().orElseThrow();
        long othersReach = others.stream().filter(r -> r.event != null).mapToLong(r -> r.event.eventTime).max().orElseThrow();
        assertThat(othersReach - silentFrom).as("the others run far ahead of the silent partition")
            .isGreaterThan(Duration.ofMinutes(10).toMillis());

        f.produce(before);
        Configuration conf = f.jobConfiguration();
        conf.setString("clickstream.window.early-fire-delay", "2 s");
        JobClient job = StreamingRestartITCase.startWithInjector(conf);
        f.produce(others);

        // The other partitions are read and checkpointed while the silent one delivers nothing.
        Map<String, String> end = f.endOffsets();
        awaitCondition("a checkpoint covering everything produced so far " + end, Duration.ofSeconds(90),
            () -> f.committedOffsets().equals(end));
        // Fresh minute rows for windows the silent partition still holds open (early firings).
        long openWindow = silentFrom + Duration.ofMinutes(5).toMillis();
        awaitCondition("minute rows after the silent partition's progress", Duration.ofSeconds(90),
            () -> maxMinuteWindow(f) > openWindow);

        f.produce(backlog);
        StreamingRestartITCase.drainOnceEverythingIsCheckpointed(job, f, all);

        GroundTruth truth = f.truth();
        long backlogLate = backlog.stream().filter(r -> r.event != null && truth.lateEventIds.contains(r.event.eventId)).count();
        assertThat(backlogLate).as("late events of the backlog by the per-partition rule (the generator's very late ones)")
            .isLessThan(backlog.size() / 10);
        assertThat(f.readTopic(f.lateTopic)).as("events on the late topic (the per-partition truth has %d)",
            f.truth().lateEventIds.size()).hasSize(f.truth().lateEventIds.size());
        StreamingPipelineITCase.assertLakeAndTopicsEqualTruth(f, truth);
    }

    private static long maxMinuteWindow(PipelineFixture f) {
        try (LakeReader lake = new LakeReader(f.warehouse(), StreamingOptions.DATABASE.defaultValue())) {
            long max = Long.MIN_VALUE;
            for (Map<String, Object> row : lake.readAll(LakeTable.PAGE_MINUTE_AGG.tableName())) {
                max = Math.max(max, LakeRows.epochMillis(row.get("window_start")));
            }
            return max;
        } catch (Exception e) {
            return Long.MIN_VALUE;
        }
    }
}
