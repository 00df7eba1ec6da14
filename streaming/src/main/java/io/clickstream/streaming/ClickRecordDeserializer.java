package io.clickstream.streaming;

import io.clickstream.streaming.model.SourceRecord;
import io.clickstream.tables.ClickEventParser;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns every raw-topic record into a {@link SourceRecord} and never throws: a record that cannot
 * be parsed becomes a rejected record with its original bytes, so the job keeps running and the
 * DLQ receives it. Parsing here (in the source) lets the per-partition watermarks use event time.
 */
public final class ClickRecordDeserializer implements KafkaRecordDeserializationSchema<SourceRecord> {
    private static final long serialVersionUID = 1L;

    private final ClickEventParser parser;

    public ClickRecordDeserializer(ClickEventParser parser) {
        this.parser = parser;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SourceRecord> out) {
        out.collect(toSourceRecord(parser, record.partition(), record.offset(), record.timestamp(), record.key(), record.value()));
    }

    /** The parse step on plain values: shared by the Kafka source and by tests that feed bounded input. */
    public static SourceRecord toSourceRecord(ClickEventParser parser, int partition, long offset, long timestamp,
            byte[] key, byte[] value) {
        ClickEventParser.Result r = parser.parse(value, timestamp);
        if (r.event != null) {
            return SourceRecord.valid(partition, offset, timestamp, r.event);
        }
        return SourceRecord.rejected(partition, offset, timestamp, key, value, r.reason.name(), r.detail);
    }

    @Override
    public TypeInformation<SourceRecord> getProducedType() {
        return TypeInformation.of(SourceRecord.class);
    }
}
