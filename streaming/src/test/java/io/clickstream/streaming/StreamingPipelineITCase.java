package io.clickstream.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.clickstream.loadgen.ClickGenerator;
import io.clickstream.loadgen.GeneratedRecord;
import io.clickstream.loadgen.GroundTruth;
import io.clickstream.tables.ClickEvent;
import io.clickstream.tables.DlqReason;
import io.clickstream.tables.LakeTable;
import io.clickstream.tables.Topics;
import org.apache.datasketches.hll.HllSketch;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The whole streaming job on a MiniCluster against a real Kafka broker and a real Paimon warehouse:
 * known traffic with duplicates (also across partitions), out-of-order, slightly and very late
 * events and every kind of malformed record goes in, and every table and side topic must equal the
 * ground truth computed independently from the generated records.
 */
class StreamingPipelineITCase extends BrokerTestBase {
    @Test
    void everyTableAndTopicEqualsTheGroundTruth() throws Exception {
        PipelineFixture f = new PipelineFixture("full", broker.bootstrapServers(), tmp);
        List<GeneratedRecord> records = ClickGenerator.generateAll(f.traffic);
        f.produce(records);
        GroundTruth truth = f.truth();
        assertThat(truth.lateEventIds).as("traffic has very late events").isNotEmpty();
        assertThat(truth.duplicates).as("traffic has duplicates").isPositive();
        assertThat(truth.dlqPerReason.keySet()).as("traffic has every kind of bad input").containsAll(List.of(DlqReason.values()));

        Configuration conf = f.jobConfiguration();
        conf.set(StreamingOptions.STOPPING_OFFSETS, f.endOffsets());
        StreamExecutionEnvironment env = ClickstreamJob.environment(conf);
        ClickstreamJob.wire(env, conf);
        env.execute("it-full");

        assertLakeAndTopicsEqualTruth(f, truth);
    }

    /** The complete check, shared with the restart tests: every table and side topic against the truth. */
    static void assertLakeAndTopicsEqualTruth(PipelineFixture f, GroundTruth truth) throws Exception {
        try (LakeReader lake = new LakeReader(f.warehouse(), StreamingOptions.DATABASE.defaultValue())) {
            // DLQ: every rejected record with its original bytes, the expected reason and its provenance.
            List<ConsumerRecord<byte[], byte[]>> dlq = f.readTopic(f.dlqTopic);
            Map<DlqReason, Long> reasons = new TreeMap<>();
            Map<Integer, Long> dlqPerPartition = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> r : dlq) {
                int partition = Integer.parseInt(header(r, Topics.HEADER_SOURCE_PARTITION));
                long offset = Long.parseLong(header(r, Topics.HEADER_SOURCE_OFFSET));
                GeneratedRecord source = f.byCoordinate.get(new PipelineFixture.Coord(partition, offset));
                assertThat(source).as("DLQ record %d@%d", partition, offset).isNotNull();
                assertThat(source.kind).isEqualTo(GeneratedRecord.Kind.MALFORMED);
                DlqReason reason = DlqReason.valueOf(header(r, Topics.HEADER_REASON));
                assertThat(reason).as("reason of %d@%d: %s", partition, offset, header(r, Topics.HEADER_DETAIL))
                    .isEqualTo(source.expectedReason);
                assertThat(header(r, Topics.HEADER_DETAIL)).isNotBlank();
                if ("true".equals(header(r, Topics.HEADER_TRUNCATED))) {
                    // Too large for the DLQ with its headers: a prefix of the original bytes, sizes in headers.
                    assertThat(header(r, Topics.HEADER_ORIGINAL_SIZE)).isEqualTo(Integer.toString(source.value.length));
                    assertThat(r.value()).as("truncated bytes of %d@%d", partition, offset)
                        .isEqualTo(java.util.Arrays.copyOf(source.value, r.value().length));
                } else {
                    assertThat(r.value()).as("original bytes of %d@%d", partition, offset).isEqualTo(source.value);
                }
                reasons.merge(reason, 1L, Long::sum);
                dlqPerPartition.merge(partition, 1L, Long::sum);
            }
            assertThat(reasons).isEqualTo(truth.dlqPerReason);

            // dlq_events: the same records as the DLQ topic, one row per coordinate, same reason and size.
            Map<String, String> dlqRows = new TreeMap<>();
            for (Map<String, Object> row : lake.readAll(LakeTable.DLQ_EVENTS.tableName())) {
                GeneratedRecord source = f.byCoordinate.get(
                    new PipelineFixture.Coord((Integer) row.get("kafka_partition"), (Long) row.get("kafka_offset")));
                assertThat(source).isNotNull();
                assertThat((Integer) row.get("payload_bytes")).isEqualTo(source.value == null ? 0 : source.value.length);
                assertThat(LakeRows.epochMillis(row.get("kafka_timestamp"))).isEqualTo(source.timestamp);
                assertThat(dlqRows.put(row.get("kafka_partition") + "@" + row.get("kafka_offset"), (String) row.get("reason"))).isNull();
            }
            Map<String, String> dlqTopicRecords = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> r : dlq) {
                dlqTopicRecords.put(header(r, Topics.HEADER_SOURCE_PARTITION) + "@" + header(r, Topics.HEADER_SOURCE_OFFSET),
                    header(r, Topics.HEADER_REASON));
            }
            assertThat(dlqRows).isEqualTo(dlqTopicRecords);

            // Raw mirror: every accepted record exactly once, at its Kafka coordinate.
            List<Map<String, Object>> raw = lake.readAll(LakeTable.RAW_EVENTS.tableName());
            Map<Integer, Long> rawPerPartition = new TreeMap<>();
            for (Map<String, Object> row : raw) {
                int partition = (Integer) row.get("kafka_partition");
                long offset = (Long) row.get("kafka_offset");
                GeneratedRecord source = f.byCoordinate.get(new PipelineFixture.Coord(partition, offset));
                assertThat(source).as("raw row %d@%d", partition, offset).isNotNull();
                assertThat(source.kind).isNotEqualTo(GeneratedRecord.Kind.MALFORMED);
                assertThat(LakeRows.event(row)).isEqualTo(source.event);
                assertThat(LakeRows.epochMillis(row.get("kafka_timestamp"))).isEqualTo(source.timestamp);
                rawPerPartition.merge(partition, 1L, Long::sum);
            }
            assertThat(raw).hasSize((int) truth.validRecords());
            assertThat(rawPerPartition).isEqualTo(truth.validPerPartition);

            // Invariant 1: every offset of every partition is a raw row or a DLQ record.
            for (int p = 0; p < f.traffic.partitions; p++) {
                assertThat(rawPerPartition.getOrDefault(p, 0L) + dlqPerPartition.getOrDefault(p, 0L))
                    .as("offset accounting of partition %d", p).isEqualTo(f.endOffset(p));
            }

            // Deduplicated events: one row per event_id, late ones included.
            Map<String, ClickEvent> dedup = new HashMap<>();
            List<String> flaggedLate = new ArrayList<>();
            for (Map<String, Object> row : lake.readAll(LakeTable.EVENTS_DEDUP.tableName())) {
                assertThat(dedup.put((String) row.get("event_id"), LakeRows.event(row))).isNull();
                if ((Boolean) row.get("late")) {
                    flaggedLate.add((String) row.get("event_id"));
                }
            }
            assertThat(dedup).isEqualTo(truth.distinctEvents);
            assertThat(flaggedLate).containsExactlyInAnyOrderElementsOf(truth.lateEventIds);

            // Late topic: exactly the events beyond the allowed lateness, once each.
            List<ConsumerRecord<byte[], byte[]>> late = f.readTopic(f.lateTopic);
            List<String> lateIds = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : late) {
                ClickEvent e = SideTopicReader.event(r);
                lateIds.add(e.eventId);
                assertThat(e).as("late record content").isEqualTo(truth.distinctEvents.get(e.eventId));
                assertThat(header(r, Topics.HEADER_LATE_STAGE)).isEqualTo("minute");
            }
            assertThat(lateIds).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(truth.lateEventIds);

            // Minute aggregates, exact; the stored HLL sketch agrees with the exact count.
            List<GroundTruth.MinuteRow> minutes = new ArrayList<>();
            for (Map<String, Object> row : lake.readAll(LakeTable.PAGE_MINUTE_AGG.tableName())) {
                GroundTruth.MinuteRow m = LakeRows.minute(row);
                minutes.add(m);
                assertThat((Long) row.get("revision")).isEqualTo(m.events());
                assertThat(row.get("finality")).as("every window closed by the end of the run, its last write final").isEqualTo("final");
                double estimate = HllSketch.heapify((byte[]) row.get("users_hll")).getEstimate();
                assertThat(estimate).isCloseTo(m.uniqueUsers(), org.assertj.core.data.Offset.offset(m.uniqueUsers() * 0.05 + 0.5));
            }
            assertThat(minutes).containsExactlyInAnyOrderElementsOf(truth.minuteRows());

            List<GroundTruth.SessionRow> sessions = new ArrayList<>();
            for (Map<String, Object> row : lake.readAll(LakeTable.SESSIONS.tableName())) {
                GroundTruth.SessionRow session = LakeRows.session(row);
                assertThat((Long) row.get("duration_ms")).isEqualTo(session.end() - session.start());
                sessions.add(session);
            }
            assertThat(sessions).containsExactlyInAnyOrderElementsOf(truth.sessionRows());

            List<GroundTruth.FunnelRow> funnel = new ArrayList<>();
            for (Map<String, Object> row : lake.readAll(LakeTable.FUNNEL_DAILY.tableName())) {
                funnel.add(LakeRows.funnel(row));
                assertThat((Double) row.get("conversion")).isEqualTo(((Long) row.get("entrants")) == 0 ? 0.0
                    : (double) (Long) row.get("sessions") / (Long) row.get("entrants"));
            }
            assertThat(funnel).containsExactlyInAnyOrderElementsOf(truth.funnelRows());
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return SideTopicReader.header(r, name);
    }
}
