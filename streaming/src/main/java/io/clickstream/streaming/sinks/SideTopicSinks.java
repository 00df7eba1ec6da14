package io.clickstream.streaming.sinks;

import java.nio.charset.StandardCharsets;
import java.util.Properties;

import io.clickstream.loadgen.EventJson;
import io.clickstream.streaming.ClickstreamTopology;
import io.clickstream.streaming.StreamingOptions;
import io.clickstream.streaming.model.DedupedEvent;
import io.clickstream.streaming.model.SourceRecord;
import io.clickstream.tables.Topics;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Exactly-once Kafka sinks of the side topics: rejected records to the DLQ (original bytes plus
 * reason and provenance headers) and events beyond the allowed lateness to the late topic.
 */
public final class SideTopicSinks {
    private SideTopicSinks() {}

    public static void attach(ClickstreamTopology.Outputs out, Configuration conf) {
        out.rejected.sinkTo(sink(conf, "dlq", new DlqSerializer(conf.get(StreamingOptions.DLQ_TOPIC))))
            .name(Topics.DLQ).uid("sink-dlq");
        out.late.sinkTo(sink(conf, "late", new LateSerializer(conf.get(StreamingOptions.LATE_TOPIC))))
            .name(Topics.LATE).uid("sink-late");
    }

    private static <T> KafkaSink<T> sink(Configuration conf, String name, KafkaRecordSerializationSchema<T> serializer) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(conf.get(StreamingOptions.TRANSACTION_TIMEOUT).toMillis()));
        p.setProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(2 * 1024 * 1024));
        return KafkaSink.<T>builder()
            .setBootstrapServers(conf.get(StreamingOptions.KAFKA_BOOTSTRAP))
            .setRecordSerializer(serializer)
            .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
            .setTransactionalIdPrefix(conf.get(StreamingOptions.TRANSACTIONAL_ID_PREFIX) + "-" + name)
            .setKafkaProducerConfig(p)
            .build();
    }

    static RecordHeaders provenance(int partition, long offset, long timestamp) {
        RecordHeaders h = new RecordHeaders();
        h.add(Topics.HEADER_SOURCE_PARTITION, utf8(Integer.toString(partition)));
        h.add(Topics.HEADER_SOURCE_OFFSET, utf8(Long.toString(offset)));
        h.add(Topics.HEADER_SOURCE_TIMESTAMP, utf8(Long.toString(timestamp)));
        return h;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** DLQ record: the original key and value, untouched; reason and provenance as headers. */
    static final class DlqSerializer implements KafkaRecordSerializationSchema<SourceRecord> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        DlqSerializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(SourceRecord r, KafkaSinkContext ctx, Long timestamp) {
            RecordHeaders h = provenance(r.partition, r.offset, r.kafkaTimestamp);
            h.add(Topics.HEADER_REASON, utf8(r.reason));
            h.add(Topics.HEADER_DETAIL, utf8(r.detail == null ? "" : r.detail));
            return new ProducerRecord<>(topic, null, null, r.key, r.payload, h);
        }
    }

    /** Late record: the event as JSON, keyed by user_id; provenance and the watermark it missed as headers. */
    static final class LateSerializer implements KafkaRecordSerializationSchema<DedupedEvent> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        LateSerializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(DedupedEvent d, KafkaSinkContext ctx, Long timestamp) {
            RecordHeaders h = provenance(d.partition, d.offset, d.kafkaTimestamp);
            h.add(Topics.HEADER_LATE_STAGE, utf8(d.lateStage));
            h.add(Topics.HEADER_LATE_WATERMARK, utf8(Long.toString(d.watermark)));
            return new ProducerRecord<>(topic, null, null, utf8(d.event.userId), EventJson.encode(d.event), h);
        }
    }
}
