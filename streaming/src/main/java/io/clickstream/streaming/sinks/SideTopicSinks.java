package io.clickstream.streaming.sinks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;

import io.clickstream.tables.EventJson;
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
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;

/**
 * Exactly-once Kafka sinks of the side topics: rejected records to the DLQ (original bytes plus
 * reason and provenance headers) and events beyond the allowed lateness to the late topic.
 *
 * <p>No input record can make these sinks fail: a DLQ copy whose key, value and headers would exceed
 * {@link Topics#MAX_RECORD_BYTES} (the producers' {@code max.request.size}, measured the way the
 * producer measures it) is truncated to fit, marked {@code dlq.truncated=true} with the original
 * sizes; a record the producer rejected would fail the transactional sink on every restart.
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
        p.putAll(conf.get(StreamingOptions.KAFKA_CLIENT_PROPERTIES));
        p.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(conf.get(StreamingOptions.TRANSACTION_TIMEOUT).toMillis()));
        p.setProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(Topics.MAX_RECORD_BYTES));
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

    /** Longest {@code dlq.detail} header, in characters: details name a field and a short excerpt. */
    static final int MAX_DETAIL_CHARS = 1024;

    /**
     * DLQ record: the original key and value, untouched, with reason, size and provenance as headers;
     * truncated to {@code maxRecordBytes} if it would not fit (see {@link #dlqRecord}).
     */
    public static final class DlqSerializer implements KafkaRecordSerializationSchema<SourceRecord> {
        private static final long serialVersionUID = 1L;
        private final String topic;
        private final int maxRecordBytes;

        DlqSerializer(String topic) {
            this(topic, Topics.MAX_RECORD_BYTES);
        }

        public DlqSerializer(String topic, int maxRecordBytes) {
            if (maxRecordBytes < 16 * 1024) {
                throw new IllegalArgumentException("max record size " + maxRecordBytes + " leaves no room for the DLQ headers");
            }
            this.topic = topic;
            this.maxRecordBytes = maxRecordBytes;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(SourceRecord r, KafkaSinkContext ctx, Long timestamp) {
            return dlqRecord(topic, r, maxRecordBytes);
        }
    }

    /**
     * The DLQ copy of a rejected record. If key, value and headers together exceed
     * {@code maxRecordBytes} as the Kafka producer measures a record against {@code max.request.size}
     * (batch overhead and worst-case varints included), the value is cut to the prefix that fits
     * (and the key too, only if the key alone does not fit), and headers {@code dlq.truncated=true}
     * and {@code dlq.original-key-size} are added. {@code dlq.original-size} (value bytes) is always
     * set, and the source coordinates point at the full record in the raw topic.
     */
    public static ProducerRecord<byte[], byte[]> dlqRecord(String topic, SourceRecord r, int maxRecordBytes) {
        RecordHeaders h = provenance(r.partition, r.offset, r.kafkaTimestamp);
        h.add(Topics.HEADER_REASON, utf8(r.reason));
        String detail = r.detail == null ? "" : r.detail;
        h.add(Topics.HEADER_DETAIL, utf8(detail.length() <= MAX_DETAIL_CHARS ? detail : detail.substring(0, MAX_DETAIL_CHARS) + "..."));
        int valueSize = r.payload == null ? 0 : r.payload.length;
        h.add(Topics.HEADER_ORIGINAL_SIZE, utf8(Integer.toString(valueSize)));
        if (sizeInRequest(r.key, r.key == null ? 0 : r.key.length, r.payload, valueSize, h) <= maxRecordBytes) {
            return new ProducerRecord<>(topic, null, null, r.key, r.payload, h);
        }
        int keySize = r.key == null ? 0 : r.key.length;
        h.add(Topics.HEADER_TRUNCATED, utf8("true"));
        h.add(Topics.HEADER_ORIGINAL_KEY_SIZE, utf8(Integer.toString(keySize)));
        int keyLen = keySize;
        int valueLen = valueSize;
        int excess;
        while ((excess = sizeInRequest(r.key, keyLen, r.payload, valueLen, h) - maxRecordBytes) > 0) {
            if (valueLen > 0) {
                valueLen -= Math.min(excess, valueLen);
            } else if (keyLen > 0) {
                keyLen -= Math.min(excess, keyLen);
            } else {
                throw new IllegalStateException("DLQ headers alone exceed " + maxRecordBytes + " bytes");
            }
        }
        byte[] key = r.key == null ? null : Arrays.copyOf(r.key, keyLen);
        byte[] value = r.payload == null ? null : Arrays.copyOf(r.payload, valueLen);
        return new ProducerRecord<>(topic, null, null, key, value, h);
    }

    /**
     * Size of a record as {@code KafkaProducer} checks it against {@code max.request.size}: its upper
     * bound in a record batch of the current format (the DLQ producer does not compress; the bound of
     * format v2 does not depend on compression anyway).
     */
    public static int sizeInRequest(byte[] key, int keyLen, byte[] value, int valueLen, RecordHeaders headers) {
        return AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE,
            key == null ? null : ByteBuffer.wrap(key, 0, keyLen), value == null ? null : ByteBuffer.wrap(value, 0, valueLen),
            headers.toArray());
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
