package io.clickstream.demo;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.clickstream.infra.lakehouse.LocalTrino;
import io.clickstream.infra.lakehouse.ServingCatalog;
import io.clickstream.loadgen.GeneratedRecord;
import io.clickstream.loadgen.GroundTruth;
import io.clickstream.streaming.ClickstreamJob;
import io.clickstream.streaming.DlqReplayCommand;
import io.clickstream.streaming.SideTopicReader;
import io.clickstream.streaming.StreamingOptions;
import io.clickstream.tables.DlqReason;
import io.clickstream.tables.DlqRepair;
import org.apache.flink.configuration.Configuration;

/**
 * The demo's DLQ repair and replay: the traffic has a producer that sent {@code event_time} in epoch seconds
 * (parked in clicks.dlq as {@code INVALID_VALUE}). The step runs the replay command with the
 * {@code epoch-seconds-to-ms} repair on that reason, runs the job over the replayed offsets (a stateless
 * bounded catch-up from where the first run ended), and checks against the truth, now with the repaired events
 * in it: every table again (the replays are raw rows labelled with their original's coordinate, each repaired
 * event is in events_dedup and clicks.late once, the aggregates are unchanged until the batch correction folds
 * them in), the offset accounting, the records that still fail left in the DLQ, and a second replay of the same
 * selection producing nothing. Prints the before/after counts.
 */
final class DlqReplayStep {
    private DlqReplayStep() {}

    static Map<String, Boolean> run(Configuration conf, List<GeneratedRecord> repairable, GroundTruth truth, LocalTrino trino,
            ServingCatalog catalog, DemoReport before, Path dir) throws Exception {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        String reason = DlqReason.INVALID_VALUE.name();
        long parked = truth.dlqPerReason.getOrDefault(DlqReason.INVALID_VALUE, 0L);
        System.out.printf("[7b/10] DLQ repair and replay: clicks.dlq holds %,d %s records, %,d of them from a producer that "
            + "sent event_time in epoch seconds; replaying reason %s with the repair '%s' ...%n", parked, reason,
            repairable.size(), reason, DlqRepair.EPOCH_SECONDS_TO_MS.wireName());

        Configuration replay = new Configuration(conf);
        replay.set(StreamingOptions.REPLAY_REASONS, reason);
        replay.set(StreamingOptions.REPLAY_REPAIR, DlqRepair.EPOCH_SECONDS_TO_MS.wireName());
        Map<String, String> firstRunEnd = new TreeMap<>();
        try (SideTopicReader kafka = new SideTopicReader(conf.get(StreamingOptions.KAFKA_BOOTSTRAP))) {
            kafka.endOffsets(conf.get(StreamingOptions.RAW_TOPIC)).forEach((p, o) -> firstRunEnd.put(Integer.toString(p), Long.toString(o)));
        }
        long t0 = System.nanoTime();
        DlqReplayCommand.Report first = DlqReplayCommand.run(replay);
        System.out.printf("      %s (%.1f s)%n", first, (System.nanoTime() - t0) / 1e9);
        long stillInvalid = parked - repairable.size();
        checks.put("DLQ replay: every epoch-seconds record repaired and replayed once, the other " + reason + " records still failing",
            first.selected() == parked && first.replayed() == repairable.size() && first.alreadyReplayed() == 0
                && first.stillFailing().equals(stillInvalid == 0 ? Map.of() : Map.of(reason, stillInvalid)));

        Configuration catchUp = new Configuration(conf);
        catchUp.set(StreamingOptions.STARTING_OFFSETS, firstRunEnd);
        catchUp.set(StreamingOptions.CHECKPOINT_DIR, dir.resolve("checkpoints-replay").toUri().toString());
        long t1 = System.nanoTime();
        ClickstreamJob.start(ClickstreamJob.environment(catchUp), catchUp, s -> s).getJobExecutionResult().get();
        System.out.printf("      the job over the replayed offsets (from %s, bounded) finished in %.1f s%n", firstRunEnd,
            (System.nanoTime() - t1) / 1e9);

        for (GeneratedRecord r : repairable) {
            truth.replayed(r, r.partition);
        }
        DemoReport after = DemoReport.collect(conf, truth);
        System.out.printf("      %-34s %12s %12s%n", "", "before", "after");
        for (String table : List.of("raw_events", "events_dedup", "page_minute_agg", "sessions")) {
            System.out.printf("      %-34s %,12d %,12d%n", table + " rows", before.rows(table), after.rows(table));
        }
        System.out.printf("      %-34s %,12d %,12d%n", "clicks.late records", before.lateRecords(), after.lateRecords());
        System.out.printf("      %-34s %,12d %,12d  (the originals stay: the DLQ is never rewritten)%n", "clicks.dlq records",
            before.dlqRecords(), after.dlqRecords());
        System.out.printf("      offset accounting after the replay: %s%n", after.balancedAll() ? "every partition balanced" : "MISMATCH");
        after.checks().forEach((c, ok) -> checks.put("after the replay, " + c, ok));
        checks.put("after the replay, offset accounting balanced", after.balancedAll());

        try (Connection c = trino.connectBi(catalog.namespace()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT r.event_id), count(d.kafka_offset) FROM raw_events r "
                 + "LEFT JOIN dlq_events d ON d.kafka_partition = r.replay_of_partition AND d.kafka_offset = r.replay_of_offset "
                 + "WHERE r.replay_of_offset IS NOT NULL")) {
            rs.next();
            long rows = rs.getLong(1);
            long ids = rs.getLong(2);
            long matched = rs.getLong(3);
            System.out.printf("      Trino: %,d raw_events rows are replays (%,d event ids), %,d of them point at their rejected "
                + "original in dlq_events%n", rows, ids, matched);
            checks.put("Trino: every replay's raw row points at its original in dlq_events",
                rows == repairable.size() && ids == repairable.size() && matched == rows);
        }

        DlqReplayCommand.Report second = DlqReplayCommand.run(replay);
        System.out.printf("      again: %s%n", second);
        checks.put("DLQ replay: a second run of the same selection produces nothing",
            second.replayed() == 0 && second.alreadyReplayed() == repairable.size());
        System.out.println("      The repaired events went to clicks.late: the batch correction below folds them into the aggregates.");
        return checks;
    }
}
