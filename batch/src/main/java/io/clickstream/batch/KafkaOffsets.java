package io.clickstream.batch;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** Offsets of a topic's partitions from the Kafka admin API: earliest, latest, and by timestamp. */
final class KafkaOffsets implements AutoCloseable {
    private final Admin admin;

    KafkaOffsets(String bootstrapServers) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.admin = Admin.create(p);
    }

    List<Integer> partitions(String topic) throws ExecutionException, InterruptedException {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
            .map(p -> p.partition()).sorted().toList();
    }

    Map<Integer, Long> earliest(String topic) throws ExecutionException, InterruptedException {
        return list(topic, OffsetSpec.earliest());
    }

    Map<Integer, Long> latest(String topic) throws ExecutionException, InterruptedException {
        return list(topic, OffsetSpec.latest());
    }

    /**
     * Per partition, the first offset whose record timestamp is at or after {@code epochMillis}, or the
     * end offset if there is none: the boundary between the records before and after that instant.
     */
    Map<Integer, Long> atTime(String topic, long epochMillis, Map<Integer, Long> latest) throws ExecutionException, InterruptedException {
        Map<Integer, Long> byTime = list(topic, OffsetSpec.forTimestamp(epochMillis));
        Map<Integer, Long> out = new TreeMap<>();
        byTime.forEach((p, o) -> out.put(p, o < 0 ? latest.get(p) : o));
        return out;
    }

    private Map<Integer, Long> list(String topic, OffsetSpec spec) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p : partitions(topic)) {
            request.put(new TopicPartition(topic, p), spec);
        }
        Map<Integer, Long> out = new TreeMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : admin.listOffsets(request).all().get().entrySet()) {
            out.put(e.getKey().partition(), e.getValue().offset());
        }
        return out;
    }

    @Override
    public void close() {
        admin.close();
    }
}
