package io.clickstream.streaming;

import io.clickstream.streaming.model.SourceRecord;
import io.clickstream.tables.ClickEventParser;
import io.clickstream.tables.Topics;
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
        SourceRecord r = toSourceRecord(parser, record.partition(), record.offset(), record.timestamp(), record.key(), record.value());
        if (record.headers().lastHeader(Topics.HEADER_REPLAY_DLQ_OFFSET) != null) {
            markReplay(r, DlqReplayCommand.header(record, Topics.HEADER_SOURCE_PARTITION),
                DlqReplayCommand.header(record, Topics.HEADER_SOURCE_OFFSET));
        }
        out.collect(r);
    }

    /**
     * Marks a record the DLQ replay re-produced with the clicks.raw coordinate of the rejected original
     * ({@code source.partition}/{@code source.offset} headers, copied from the DLQ record). A replay header
     * that does not parse leaves the record unmarked: it is still processed, only not labelled.
     */
    public static void markReplay(SourceRecord r, String sourcePartition, String sourceOffset) {
        if (sourcePartition == null || sourceOffset == null) {
            return;
        }
        try {
            int partition = Integer.parseInt(sourcePartition);
            long offset = Long.parseLong(sourceOffset);
            r.replayOfPartition = partition;
            r.replayOfOffset = offset;
        } catch (NumberFormatException e) {
            // Unlabelled: the record is processed as any other.
        }
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
