package io.clickstream.streaming;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import io.clickstream.tables.ClickEventParser;
import io.clickstream.tables.DlqReason;
import io.clickstream.tables.DlqRepair;
import io.clickstream.tables.Topics;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The DLQ repair-and-replay command: selects records of the DLQ topic (by reason, original partition and
 * original Kafka time range), applies a named {@link DlqRepair}, re-validates each with today's
 * {@link ClickEventParser} (the same options as the job) and re-produces those that now pass to the raw
 * topic, with headers pointing back to their DLQ coordinates ({@link Topics#HEADER_REPLAY_DLQ_TOPIC},
 * partition, offset, the repair, and the original reason, source coordinates and source timestamp). The
 * replayed record keeps its original key; its Kafka timestamp is the time of the replay (it is appended to
 * the raw topic now: the hour the reconciliation accounts its offset in, the day of its raw_events row, the
 * topic's time retention), and the command validates it against that time, as the job will. The job
 * labels its raw_events row with the original's coordinate ({@code replay_of_partition},
 * {@code replay_of_offset}) and sends the event down the correction path (see {@code DedupAndLateRouter}).
 *
 * <p>Idempotent through a ledger: once the replayed records are acknowledged by the broker (idempotent
 * producer, {@code acks=all}), one ledger record per replayed DLQ record ({@link Topics#DLQ_REPLAY_LEDGER},
 * key {@code <dlq partition>:<dlq offset>}) is written, and DLQ records already in the ledger are skipped,
 * so replaying the same selection twice produces nothing new. The raw topic is deliberately not written in
 * a Kafka transaction: a commit marker takes an offset of {@code clicks.raw} that is neither a raw nor a DLQ
 * row and would break the offset accounting (end - start = raw rows + DLQ rows). The price: if the command
 * dies between the raw writes and the ledger write, the next run re-produces those records; they carry the
 * same event_id, so every aggregate counts them once (dedup), and raw_events shows them as duplicates
 * with replay headers. Records that still fail stay in the DLQ untouched and are
 * counted by their new reason; truncated DLQ copies ({@link Topics#HEADER_TRUNCATED}) are never replayed
 * (their full bytes are only in the raw topic). The replayed record is a new raw offset: offset accounting
 * stays exact (the DLQ row of the original offset and the raw row of the replay are distinct offsets).
 *
 * <p>Options: {@link StreamingOptions} ({@code clickstream.replay.*} and the job's Kafka settings).
 */
public final class DlqReplayCommand {
    private DlqReplayCommand() {}

    /** What one run did. */
    public record Report(long scanned, long selected, long alreadyReplayed, long replayed, long truncated,
            Map<String, Long> stillFailing) {
        @Override
        public String toString() {
            return "DLQ replay: scanned " + scanned + ", selected " + selected + ", already replayed " + alreadyReplayed
                + ", replayed " + replayed + ", truncated (not replayable) " + truncated + ", still failing " + stillFailing;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("DlqReplayCommand: repair and replay DLQ records (clickstream.replay.*).\n" + StreamingOptions.describe());
            return;
        }
        System.out.println(run(StreamingOptions.fromArgs(args)));
    }

    /** Runs one replay with the options of {@code conf}. */
    public static Report run(Configuration conf) throws Exception {
        String repairName = conf.get(StreamingOptions.REPLAY_REPAIR);
        DlqRepair repair = DlqRepair.fromName(repairName).orElseThrow(() -> new IllegalArgumentException(
            "unknown repair '" + repairName + "': one of " + DlqRepair.names()));
        Set<String> reasons = csv(conf.get(StreamingOptions.REPLAY_REASONS));
        for (String r : reasons) {
            if (Arrays.stream(DlqReason.values()).noneMatch(x -> x.name().equals(r))) {
                throw new IllegalArgumentException("unknown DLQ reason '" + r + "': one of " + Arrays.toString(DlqReason.values()));
            }
        }
        Set<Integer> partitions = csv(conf.get(StreamingOptions.REPLAY_PARTITIONS)).stream().map(Integer::valueOf)
            .collect(Collectors.toSet());
        long from = instant(conf.get(StreamingOptions.REPLAY_FROM), Long.MIN_VALUE);
        long to = instant(conf.get(StreamingOptions.REPLAY_TO), Long.MAX_VALUE);
        String dlq = conf.get(StreamingOptions.DLQ_TOPIC);
        String raw = conf.get(StreamingOptions.RAW_TOPIC);
        String ledgerTopic = conf.get(StreamingOptions.REPLAY_LEDGER_TOPIC);
        boolean dryRun = conf.get(StreamingOptions.REPLAY_DRY_RUN);
        ClickEventParser parser = new ClickEventParser(conf.get(StreamingOptions.MAX_PAYLOAD_BYTES),
            conf.get(StreamingOptions.MAX_FUTURE_SKEW).toMillis());

        Properties client = new Properties();
        client.putAll(conf.get(StreamingOptions.KAFKA_CLIENT_PROPERTIES));
        client.put("bootstrap.servers", conf.get(StreamingOptions.KAFKA_BOOTSTRAP));
        ensureLedgerTopic(client, ledgerTopic);
        Set<String> ledger = readAll(client, ledgerTopic).stream().map(r -> new String(r.key(), StandardCharsets.UTF_8))
            .collect(Collectors.toCollection(HashSet::new));

        long scanned = 0;
        long selected = 0;
        long already = 0;
        long truncated = 0;
        Map<String, Long> stillFailing = new TreeMap<>();
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(client, dlq)) {
            scanned++;
            String reason = header(r, Topics.HEADER_REASON);
            String sourcePartition = header(r, Topics.HEADER_SOURCE_PARTITION);
            String sourceTs = header(r, Topics.HEADER_SOURCE_TIMESTAMP);
            long ts = sourceTs == null ? r.timestamp() : Long.parseLong(sourceTs);
            if ((!reasons.isEmpty() && !reasons.contains(reason))
                    || (!partitions.isEmpty() && (sourcePartition == null || !partitions.contains(Integer.valueOf(sourcePartition))))
                    || ts < from || ts >= to) {
                continue;
            }
            selected++;
            String ledgerKey = r.partition() + ":" + r.offset();
            if (ledger.contains(ledgerKey)) {
                already++;
                continue;
            }
            if ("true".equals(header(r, Topics.HEADER_TRUNCATED))) {
                truncated++;
                continue;
            }
            byte[] value = repair.apply(r.value());
            long replayTs = System.currentTimeMillis();
            ClickEventParser.Result verdict = parser.parse(value, replayTs);
            if (verdict.event == null) {
                stillFailing.merge(verdict.reason.name(), 1L, Long::sum);
                continue;
            }
            List<Header> headers = List.of(
                h(Topics.HEADER_REPLAY_DLQ_TOPIC, dlq),
                h(Topics.HEADER_REPLAY_DLQ_PARTITION, Integer.toString(r.partition())),
                h(Topics.HEADER_REPLAY_DLQ_OFFSET, Long.toString(r.offset())),
                h(Topics.HEADER_REPLAY_REPAIR, repair.wireName()),
                h(Topics.HEADER_REASON, reason == null ? "" : reason),
                h(Topics.HEADER_SOURCE_PARTITION, sourcePartition == null ? "" : sourcePartition),
                h(Topics.HEADER_SOURCE_OFFSET, String.valueOf(header(r, Topics.HEADER_SOURCE_OFFSET))),
                h(Topics.HEADER_SOURCE_TIMESTAMP, Long.toString(ts)));
            out.add(new ProducerRecord<>(raw, null, replayTs, r.key(), value, headers));
            String ledgerValue = "{\"repair\":\"" + repair.wireName() + "\",\"reason\":\"" + reason + "\",\"source_partition\":"
                + sourcePartition + ",\"source_offset\":" + header(r, Topics.HEADER_SOURCE_OFFSET) + "}";
            out.add(new ProducerRecord<>(ledgerTopic, null, null, ledgerKey.getBytes(StandardCharsets.UTF_8),
                ledgerValue.getBytes(StandardCharsets.UTF_8)));
            ledger.add(ledgerKey);
        }
        if (!dryRun && !out.isEmpty()) {
            produce(client, out.stream().filter(r -> r.topic().equals(raw)).toList());
            produce(client, out.stream().filter(r -> r.topic().equals(ledgerTopic)).toList());
        }
        return new Report(scanned, selected, already, out.size() / 2, truncated, stillFailing);
    }

    /** Sends {@code records} with an idempotent producer and waits until every one is acknowledged (or fails). */
    private static void produce(Properties client, List<ProducerRecord<byte[], byte[]>> records)
            throws InterruptedException, ExecutionException {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Topics.MAX_RECORD_BYTES));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> r : records) {
                sent.add(producer.send(r));
            }
            producer.flush();
            for (java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> f : sent) {
                f.get();
            }
        }
    }

    /** Every committed record of {@code topic} up to its end offsets at the time of the call. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(Properties client, String topic) {
        Properties c = new Properties();
        c.putAll(client);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(tps));
            end.entrySet().removeIf(e -> e.getValue() <= consumer.position(e.getKey()));
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (!end.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " did not reach its end offsets " + end + " within 10 minutes");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    out.add(r);
                }
                end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
        }
        return out;
    }

    private static void ensureLedgerTopic(Properties client, String topic) throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(client)) {
            if (admin.listTopics().names().get().contains(topic)) {
                return;
            }
            try {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) -1).configs(Map.of(
                    "cleanup.policy", "compact", "message.timestamp.type", "LogAppendTime")))).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    /** A header's value as UTF-8, or null if the record does not carry it. */
    static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static Header h(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static Set<String> csv(String s) {
        return Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).collect(Collectors.toSet());
    }

    private static long instant(String s, long otherwise) {
        return s.isBlank() ? otherwise : Instant.parse(s.strip()).toEpochMilli();
    }
}
