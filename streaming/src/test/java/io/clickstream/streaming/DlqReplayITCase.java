package io.clickstream.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.clickstream.loadgen.TopicSetup;
import io.clickstream.tables.ClickEventParser;
import io.clickstream.tables.DlqReason;
import io.clickstream.tables.Topics;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The DLQ repair-and-replay command against a real Kafka broker: DLQ records as the job writes them
 * (original bytes, reason and source headers), a selection by reason, partition and time range, the
 * repair {@code epoch-seconds-to-ms}: the repairable records land in the raw topic once, with headers
 * pointing back to their DLQ coordinates and their original key and timestamp; what still fails stays in
 * the DLQ and is counted by reason; a second run of the same selection produces nothing; another repair
 * on another reason replays only its own records.
 */
class DlqReplayITCase extends BrokerTestBase {
    private static final long T0 = Instant.parse("2026-01-05T08:00:00Z").toEpochMilli();
    private static final String RAW = "replay.clicks.raw";
    private static final String DLQ = "replay.clicks.dlq";
    private static final String LEDGER = "replay.clicks.dlq-replays";

    private static String event(String id, String version, String eventTime) {
        return "{\"schema_version\":" + version + ",\"event_id\":\"" + id + "\",\"event_type\":\"click\",\"user_id\":\"u-" + id
            + "\",\"page\":\"/p\",\"event_time\":" + eventTime + "}";
    }

    /** One DLQ record as the job's DLQ sink writes it. */
    private record Parked(String value, DlqReason reason, int sourcePartition, long sourceOffset, long sourceTs) {}

    private void park(List<Parked> records) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Parked r : records) {
                byte[] value = r.value.getBytes(StandardCharsets.UTF_8);
                List<Header> headers = List.of(
                    new RecordHeader(Topics.HEADER_REASON, r.reason.name().getBytes(StandardCharsets.UTF_8)),
                    new RecordHeader(Topics.HEADER_DETAIL, "test".getBytes(StandardCharsets.UTF_8)),
                    new RecordHeader(Topics.HEADER_ORIGINAL_SIZE, Integer.toString(value.length).getBytes(StandardCharsets.UTF_8)),
                    new RecordHeader(Topics.HEADER_SOURCE_PARTITION, Integer.toString(r.sourcePartition).getBytes(StandardCharsets.UTF_8)),
                    new RecordHeader(Topics.HEADER_SOURCE_OFFSET, Long.toString(r.sourceOffset).getBytes(StandardCharsets.UTF_8)),
                    new RecordHeader(Topics.HEADER_SOURCE_TIMESTAMP, Long.toString(r.sourceTs).getBytes(StandardCharsets.UTF_8)));
                producer.send(new ProducerRecord<>(DLQ, 0, null, ("key-" + r.sourceOffset).getBytes(StandardCharsets.UTF_8),
                    value, headers));
            }
            producer.flush();
        }
    }

    private Configuration conf(String reasons, String partitions, String from, String to, String repair) {
        Configuration c = new Configuration();
        c.set(StreamingOptions.KAFKA_BOOTSTRAP, broker.bootstrapServers());
        c.set(StreamingOptions.RAW_TOPIC, RAW);
        c.set(StreamingOptions.DLQ_TOPIC, DLQ);
        c.set(StreamingOptions.REPLAY_LEDGER_TOPIC, LEDGER);
        c.set(StreamingOptions.REPLAY_REASONS, reasons);
        c.set(StreamingOptions.REPLAY_PARTITIONS, partitions);
        c.set(StreamingOptions.REPLAY_FROM, from);
        c.set(StreamingOptions.REPLAY_TO, to);
        c.set(StreamingOptions.REPLAY_REPAIR, repair);
        return c;
    }

    private List<ConsumerRecord<byte[], byte[]>> read(String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        return DlqReplayCommand.readAll(p, topic);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        return new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    @Test
    void repairsReplaysOnceAndLeavesTheRestInTheDlq() throws Exception {
        TopicSetup.ensureTopics(broker.bootstrapServers(), 2, RAW, "replay.clicks.late", DLQ);
        long secs = (T0 - 60_000) / 1000;
        park(List.of(
            new Parked(event("s1", "1", Long.toString(secs)), DlqReason.INVALID_VALUE, 0, 10, T0),          // dlq 0: repairable
            new Parked(event("s2", "2", Long.toString(secs + 1)), DlqReason.INVALID_VALUE, 1, 11, T0 + 1),  // dlq 1: repairable
            new Parked(event("s3", "1", "5"), DlqReason.INVALID_VALUE, 0, 12, T0 + 2),                       // dlq 2: still INVALID_VALUE
            new Parked(event("s4", "1", Long.toString(secs)), DlqReason.INVALID_VALUE, 0, 13, T0 - 86_400_000), // dlq 3: before 'from'
            new Parked(event("s5", "1", Long.toString(secs)), DlqReason.INVALID_VALUE, 3, 14, T0),          // dlq 4: other partition
            new Parked(event("v1", "\"2\"", Long.toString(T0 - 5)), DlqReason.WRONG_TYPE, 0, 15, T0),       // dlq 5: other reason
            new Parked("{not json", DlqReason.MALFORMED_JSON, 0, 16, T0)));                                  // dlq 6: other reason

        String from = "2026-01-05T00:00:00Z";
        String to = "2026-01-06T00:00:00Z";
        long before = System.currentTimeMillis();
        DlqReplayCommand.Report first = DlqReplayCommand.run(conf("INVALID_VALUE", "0,1", from, to, "epoch-seconds-to-ms"));
        assertThat(first).isEqualTo(new DlqReplayCommand.Report(7, 3, 0, 2, 0, Map.of("INVALID_VALUE", 1L)));

        List<ConsumerRecord<byte[], byte[]>> raw = read(RAW);
        List<String> replayed = new ArrayList<>();
        ClickEventParser parser = new ClickEventParser(32 * 1024, 600_000);
        for (ConsumerRecord<byte[], byte[]> r : raw) {
            assertThat(r.timestamp()).as("a replay is appended now, with the time of the replay").isBetween(before, System.currentTimeMillis());
            replayed.add(new String(r.key(), StandardCharsets.UTF_8) + " src_ts=" + header(r, Topics.HEADER_SOURCE_TIMESTAMP) + " dlq=" + header(r, Topics.HEADER_REPLAY_DLQ_TOPIC)
                + "/" + header(r, Topics.HEADER_REPLAY_DLQ_PARTITION) + "/" + header(r, Topics.HEADER_REPLAY_DLQ_OFFSET)
                + " repair=" + header(r, Topics.HEADER_REPLAY_REPAIR) + " reason=" + header(r, Topics.HEADER_REASON)
                + " source=" + header(r, Topics.HEADER_SOURCE_PARTITION) + "/" + header(r, Topics.HEADER_SOURCE_OFFSET)
                + " event_time=" + parser.parse(r.value(), r.timestamp()).event.eventTime);
        }
        replayed.sort(null);
        assertThat(replayed).containsExactly(
            "key-10 src_ts=" + T0 + " dlq=" + DLQ + "/0/0 repair=epoch-seconds-to-ms reason=INVALID_VALUE source=0/10 event_time=" + secs * 1000,
            "key-11 src_ts=" + (T0 + 1) + " dlq=" + DLQ + "/0/1 repair=epoch-seconds-to-ms reason=INVALID_VALUE source=1/11 event_time="
                + (secs + 1) * 1000);
        assertThat(read(LEDGER)).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactly("0:0", "0:1");
        assertThat(read(DLQ)).as("the DLQ itself is never changed").hasSize(7);

        DlqReplayCommand.Report second = DlqReplayCommand.run(conf("INVALID_VALUE", "0,1", from, to, "epoch-seconds-to-ms"));
        assertThat(second).isEqualTo(new DlqReplayCommand.Report(7, 3, 2, 0, 0, Map.of("INVALID_VALUE", 1L)));
        assertThat(read(RAW)).as("a second replay of the same selection produces nothing").hasSize(2);

        DlqReplayCommand.Report strings = DlqReplayCommand.run(conf("", "", "", "", "string-schema-version"));
        assertThat(strings).as("every reason, every partition: only the string version is repairable by this repair")
            .isEqualTo(new DlqReplayCommand.Report(7, 7, 2, 1, 0, Map.of("INVALID_VALUE", 3L, "MALFORMED_JSON", 1L)));
        assertThat(read(RAW)).hasSize(3);
        assertThat(read(LEDGER)).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactly("0:0", "0:1", "0:5");

        DlqReplayCommand.Report dry = DlqReplayCommand.run(conf("INVALID_VALUE", "", "", "", "epoch-seconds-to-ms")
            .set(StreamingOptions.REPLAY_DRY_RUN, true));
        // s3 still before 2000; s4 (a day before 'from') and s5 (another partition) are replayable: they are
        // validated against the time of the replay, not their original Kafka timestamp.
        assertThat(dry).isEqualTo(new DlqReplayCommand.Report(7, 5, 2, 2, 0, Map.of("INVALID_VALUE", 1L)));
        assertThat(read(RAW)).as("a dry run produces nothing").hasSize(3);
    }

    /**
     * With the real job: it parks two events sent in epoch seconds and a garbage record in the DLQ; the
     * replay repairs the two, the job's next run (from the end offsets of the first) writes them, and the
     * tables then hold every good event once, the garbage still only in the DLQ; a second replay adds
     * nothing, and every raw offset is one raw or DLQ row (offset accounting balances).
     */
    @Test
    void repairedRecordsLandInTheTablesExactlyOnce() throws Exception {
        PipelineFixture f = new PipelineFixture("replayjob", broker.bootstrapServers(), tmp, o -> o.partitions = 2);
        long secs = (T0 - 60_000) / 1000;
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        String[][] raw = {
            {"0", event("g1", "1", Long.toString(T0 - 1000))},
            {"1", event("g2", "2", Long.toString(T0 - 2000))},
            {"0", event("b1", "1", Long.toString(secs))},
            {"1", event("b2", "1", Long.toString(secs + 1))},
            {"0", "{garbage"},
            {"1", "{\"schema_version\":3,\"event_id\":\"g3\",\"event_type\":\"page_view\",\"user_id\":\"u-g3\",\"page\":\"/p\","
                + "\"event_time\":" + (T0 - 3000) + ",\"campaign\":\"spring\",\"properties\":{\"color\":\"red\"}}"},
        };
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String[] r : raw) {
                producer.send(new ProducerRecord<>(f.rawTopic, Integer.parseInt(r[0]), T0, "k".getBytes(StandardCharsets.UTF_8),
                    r[1].getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        runJob(f, Map.of("0", "0", "1", "0"), Map.of("0", "3", "1", "3"));
        assertThat(f.readTopic(f.dlqTopic)).hasSize(3);

        Configuration replay = conf("", "", "", "", "epoch-seconds-to-ms");
        replay.set(StreamingOptions.RAW_TOPIC, f.rawTopic);
        replay.set(StreamingOptions.DLQ_TOPIC, f.dlqTopic);
        replay.set(StreamingOptions.REPLAY_LEDGER_TOPIC, f.name + ".ledger");
        assertThat(DlqReplayCommand.run(replay)).isEqualTo(new DlqReplayCommand.Report(3, 3, 0, 2, 0, Map.of("MALFORMED_JSON", 1L)));
        Map<String, String> end = new java.util.TreeMap<>();
        long total = 0;
        try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> c = new org.apache.kafka.clients.consumer.KafkaConsumer<>(p,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            for (Map.Entry<org.apache.kafka.common.TopicPartition, Long> e : c.endOffsets(List.of(
                    new org.apache.kafka.common.TopicPartition(f.rawTopic, 0), new org.apache.kafka.common.TopicPartition(f.rawTopic, 1))).entrySet()) {
                end.put(Integer.toString(e.getKey().partition()), Long.toString(e.getValue()));
                total += e.getValue();
            }
        }
        // The two replays are two new offsets, nothing else (no transaction markers: offset accounting stays exact).
        assertThat(total).isEqualTo(6 + 2);
        runJob(f, Map.of("0", "3", "1", "3"), end);
        assertThat(DlqReplayCommand.run(replay)).as("a second replay adds nothing")
            .isEqualTo(new DlqReplayCommand.Report(3, 3, 2, 0, 0, Map.of("MALFORMED_JSON", 1L)));

        try (LakeReader lake = new LakeReader(f.warehouse(), StreamingOptions.DATABASE.defaultValue())) {
            List<String> dedup = new ArrayList<>();
            for (Map<String, Object> row : lake.readAll("events_dedup")) {
                dedup.add(row.get("event_id") + " " + row.get("event_time") + " " + row.get("campaign") + " " + row.get("properties"));
            }
            dedup.sort(null);
            assertThat(dedup).containsExactly(
                "b1 " + java.time.LocalDateTime.ofEpochSecond(secs, 0, java.time.ZoneOffset.UTC) + " null null",
                "b2 " + java.time.LocalDateTime.ofEpochSecond(secs + 1, 0, java.time.ZoneOffset.UTC) + " null null",
                "g1 " + java.time.LocalDateTime.ofEpochSecond((T0 - 1000) / 1000, 0, java.time.ZoneOffset.UTC) + " null null",
                "g2 " + java.time.LocalDateTime.ofEpochSecond((T0 - 2000) / 1000, 0, java.time.ZoneOffset.UTC) + " null null",
                "g3 " + java.time.LocalDateTime.ofEpochSecond((T0 - 3000) / 1000, 0, java.time.ZoneOffset.UTC) + " spring {color=red}");
            List<Map<String, Object>> rawRows = lake.readAll("raw_events");
            List<Map<String, Object>> dlqRows = lake.readAll("dlq_events");
            assertThat(rawRows).hasSize(5);
            assertThat(dlqRows).hasSize(3);
            assertThat(rawRows.size() + dlqRows.size()).as("every raw offset is one raw or DLQ row").isEqualTo(total);
            assertThat(rawRows.stream().map(r -> r.get("event_id") + " replay_of=" + r.get("replay_of_partition") + "/"
                + r.get("replay_of_offset")).sorted().toList()).as("a replay's raw row points at its rejected original")
                .containsExactly("b1 replay_of=0/1", "b2 replay_of=1/1", "g1 replay_of=null/null", "g2 replay_of=null/null",
                    "g3 replay_of=null/null");
            assertThat(dlqRows.stream().map(r -> r.get("kafka_partition") + "/" + r.get("kafka_offset") + " " + r.get("reason"))
                .sorted().toList()).containsExactly("0/1 INVALID_VALUE", "0/2 MALFORMED_JSON", "1/1 INVALID_VALUE");
        }
        // Replays take the correction path (clicks.late, then the late-correction batch), even in a stateless run.
        assertThat(f.readTopic(f.lateTopic)).extracting(r -> new String(r.key(), StandardCharsets.UTF_8) + " "
                + header(r, Topics.HEADER_LATE_STAGE))
            .containsExactlyInAnyOrder("u-b1 dlq-replay", "u-b2 dlq-replay");
        try (LakeReader lake = new LakeReader(f.warehouse(), StreamingOptions.DATABASE.defaultValue())) {
            assertThat(lake.readAll("events_dedup").stream().filter(r -> Boolean.TRUE.equals(r.get("late")))
                .map(r -> r.get("event_id")).sorted().toList()).containsExactly("b1", "b2");
        }
    }

    private static void runJob(PipelineFixture f, Map<String, String> start, Map<String, String> stop) throws Exception {
        Configuration conf = f.jobConfiguration();
        conf.set(StreamingOptions.STARTING_OFFSETS, start);
        conf.set(StreamingOptions.STOPPING_OFFSETS, stop);
        conf.set(StreamingOptions.CHECKPOINT_DIR, f.dir.resolve("checkpoints-" + start.get("0")).toUri().toString());
        StreamExecutionEnvironment env = ClickstreamJob.environment(conf);
        ClickstreamJob.wire(env, conf);
        env.execute("it-replay");
    }
}
