package io.clickstream.streaming;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import io.clickstream.tables.ClickEventParser;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads whole topics the way a downstream consumer must: only committed records (read_committed). */
public final class SideTopicReader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;

    public SideTopicReader(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(4 * 1024 * 1024));
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** End offset (exclusive; for read_committed the last stable offset) of every partition. */
    public Map<Integer, Long> endOffsets(String topic) {
        List<TopicPartition> parts = partitions(topic);
        Map<Integer, Long> out = new TreeMap<>();
        consumer.endOffsets(parts).forEach((tp, o) -> out.put(tp.partition(), o));
        return out;
    }

    /** Earliest offset still in the log, per partition. */
    public Map<Integer, Long> beginningOffsets(String topic) {
        Map<Integer, Long> out = new TreeMap<>();
        consumer.beginningOffsets(partitions(topic)).forEach((tp, o) -> out.put(tp.partition(), o));
        return out;
    }

    /** Every committed record of the topic, from the beginning to the end as of this call. */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, Duration timeout) {
        List<TopicPartition> parts = partitions(topic);
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        Map<TopicPartition, Long> end = consumer.endOffsets(parts);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " to its end " + end + " within " + timeout);
            }
            consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        }
        return out;
    }

    private List<TopicPartition> partitions(String topic) {
        return consumer.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    }

    /**
     * The click event carried by a record of the late topic (or any record holding a valid event),
     * parsed with the job's own parser; fails if the value is not a valid event.
     */
    public static io.clickstream.tables.ClickEvent event(ConsumerRecord<byte[], byte[]> r) {
        ClickEventParser.Result parsed = new ClickEventParser(Integer.MAX_VALUE, Long.MAX_VALUE / 2).parse(r.value(), 0);
        if (parsed.event == null) {
            throw new IllegalStateException("not a valid event at " + r.topic() + "@" + r.offset() + ": " + parsed.detail);
        }
        return parsed.event;
    }

    /** A header of a record as a string, or null. */
    public static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
