package io.clickstream.streaming;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import io.clickstream.loadgen.GeneratedRecord;
import io.clickstream.loadgen.GroundTruth;
import io.clickstream.loadgen.LoadGenOptions;
import io.clickstream.loadgen.LoadProducer;
import io.clickstream.loadgen.TopicSetup;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One isolated pipeline run for an ITCase: its own topics on the shared test broker, its own
 * warehouse and checkpoint directory, the generated records with their offsets, and readers for
 * everything the job writes.
 */
final class PipelineFixture {
    final String name;
    final String bootstrap;
    final String rawTopic;
    final String lateTopic;
    final String dlqTopic;
    final Path dir;
    final LoadGenOptions traffic;
    /** Generated records by (partition, offset), in produce order. */
    final Map<Coord, GeneratedRecord> byCoordinate = new HashMap<>();

    /** A record's place in the raw topic. */
    record Coord(int partition, long offset) {}
    final List<GeneratedRecord> produced = new ArrayList<>();
    private final Map<Integer, Long> nextOffset = new TreeMap<>();

    PipelineFixture(String name, String bootstrap, Path tmp) {
        this(name, bootstrap, tmp, o -> { });
    }

    /** A fixture whose traffic is {@link TestTraffic#small} changed by {@code tweak} (e.g. more events). */
    PipelineFixture(String name, String bootstrap, Path tmp, java.util.function.Consumer<LoadGenOptions> tweak) {
        this.name = name;
        this.bootstrap = bootstrap;
        this.rawTopic = name + ".clicks.raw";
        this.lateTopic = name + ".clicks.late";
        this.dlqTopic = name + ".clicks.dlq";
        this.dir = tmp.resolve(name);
        this.traffic = TestTraffic.small(bootstrap, rawTopic);
        tweak.accept(this.traffic);
        TopicSetup.ensureTopics(bootstrap, this.traffic.partitions, rawTopic, lateTopic, dlqTopic);
    }

    String warehouse() {
        return dir.resolve("warehouse").toUri().toString();
    }

    String checkpoints() {
        return dir.resolve("checkpoints").toUri().toString();
    }

    Configuration jobConfiguration() {
        Configuration c = LocalRuns.bindLocally(new Configuration());
        c.set(StreamingOptions.KAFKA_BOOTSTRAP, bootstrap);
        c.set(StreamingOptions.RAW_TOPIC, rawTopic);
        c.set(StreamingOptions.LATE_TOPIC, lateTopic);
        c.set(StreamingOptions.DLQ_TOPIC, dlqTopic);
        c.set(StreamingOptions.KAFKA_GROUP_ID, name);
        c.set(StreamingOptions.TRANSACTIONAL_ID_PREFIX, name);
        c.set(StreamingOptions.WAREHOUSE, warehouse());
        // The Iceberg serving copy is covered by ServingITCase; these tests check the streaming tables.
        c.set(StreamingOptions.SERVING_ENABLED, false);
        c.set(StreamingOptions.CHECKPOINT_DIR, checkpoints());
        c.set(StreamingOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(300));
        c.set(StreamingOptions.PARALLELISM, 2);
        // Small fetches interleave the partitions, so the job-wide watermark moves while the data is read.
        c.set(StreamingOptions.KAFKA_CONSUMER_PROPERTIES, Map.of("max.partition.fetch.bytes", "8192"));
        c.setString("restart-strategy.type", "fixed-delay");
        c.setString("restart-strategy.fixed-delay.attempts", "3");
        c.setString("restart-strategy.fixed-delay.delay", "200 ms");
        return c;
    }

    /** Produces records to the raw topic, remembering each one's offset. */
    void produce(List<GeneratedRecord> records) {
        LoadProducer.produce(traffic, records.iterator(), r -> {
            long offset = nextOffset.merge(r.partition, 1L, Long::sum) - 1;
            byCoordinate.put(new Coord(r.partition, offset), r);
            produced.add(r);
        });
    }

    /** Exclusive end offset per partition of everything produced so far, as the job's stopping offsets. */
    Map<String, String> endOffsets() {
        Map<String, String> m = new TreeMap<>();
        for (int p = 0; p < traffic.partitions; p++) {
            m.put(Integer.toString(p), Long.toString(nextOffset.getOrDefault(p, 0L)));
        }
        return m;
    }

    /** Exclusive end offsets per partition once all of {@code records} are produced to the empty topic. */
    Map<String, String> endOffsetsAfter(List<GeneratedRecord> records) {
        Map<String, String> m = new TreeMap<>();
        for (int p = 0; p < traffic.partitions; p++) {
            final int partition = p;
            m.put(Integer.toString(p), Long.toString(records.stream().filter(r -> r.partition == partition).count()));
        }
        return m;
    }

    /** Every table of the lake, rows sorted, HLL sketches replaced by their estimate (their bytes depend on insertion order). */
    Map<String, List<String>> snapshotTables() throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        try (LakeReader lake = new LakeReader(warehouse(), StreamingOptions.DATABASE.defaultValue())) {
            for (io.clickstream.tables.LakeTable t : io.clickstream.tables.LakeTable.values()) {
                List<String> rows = new ArrayList<>();
                for (Map<String, Object> row : lake.readAll(t.tableName())) {
                    row.replaceAll((k, v) -> v instanceof byte[]
                        ? org.apache.datasketches.hll.HllSketch.heapify((byte[]) v).getEstimate() : v);
                    rows.add(row.toString());
                }
                rows.sort(null);
                out.put(t.tableName(), rows);
            }
        }
        return out;
    }

    long endOffset(int partition) {
        return nextOffset.getOrDefault(partition, 0L);
    }

    GroundTruth truth() {
        return GroundTruth.of(produced, StreamingOptions.WINDOW_SIZE.defaultValue(), StreamingOptions.SESSION_GAP.defaultValue(),
            StreamingOptions.OUT_OF_ORDERNESS.defaultValue(), StreamingOptions.ALLOWED_LATENESS.defaultValue());
    }

    /** Offsets the job committed for its consumer group (on checkpoints), per partition of the raw topic. */
    Map<String, String> committedOffsets() {
        Properties p = new Properties();
        p.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p)) {
            Map<String, String> m = new TreeMap<>();
            admin.listConsumerGroupOffsets(name).partitionsToOffsetAndMetadata().get().forEach((tp, om) -> {
                if (tp.topic().equals(rawTopic) && om != null) {
                    m.put(Integer.toString(tp.partition()), Long.toString(om.offset()));
                }
            });
            return m;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** All committed records of a topic (read_committed), from the beginning to its end. */
    List<ConsumerRecord<byte[], byte[]>> readTopic(String topic) {
        try (SideTopicReader reader = new SideTopicReader(bootstrap)) {
            return reader.readAll(topic, Duration.ofSeconds(60));
        }
    }
}
