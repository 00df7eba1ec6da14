package io.clickstream.alerting;

import java.time.Duration;
import java.util.Properties;

import io.clickstream.streaming.SteppedBoundedOutOfOrderness;
import io.clickstream.tables.ClickEventParser;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The raw-topic side of the alerting job: the Kafka source (own consumer group; parsed with the stream
 * job's {@link ClickEventParser}, never failing on a record) and its event-time watermarks.
 */
public final class RawRecords {
    private RawRecords() {}

    public static KafkaSource<RawRecord> source(Configuration conf) {
        ClickEventParser parser = new ClickEventParser(conf.get(AlertingOptions.MAX_PAYLOAD_BYTES),
            conf.get(AlertingOptions.MAX_FUTURE_SKEW).toMillis());
        Properties props = new Properties();
        props.putAll(conf.get(AlertingOptions.KAFKA_CONSUMER_PROPERTIES));
        props.setProperty("commit.offsets.on.checkpoint", "true");
        return KafkaSource.<RawRecord>builder()
            .setBootstrapServers(conf.get(AlertingOptions.KAFKA_BOOTSTRAP))
            .setTopics(conf.get(AlertingOptions.RAW_TOPIC))
            .setGroupId(conf.get(AlertingOptions.KAFKA_GROUP_ID))
            .setStartingOffsets(OffsetsInitializer.committedOffsets("earliest".equals(conf.get(AlertingOptions.START_FROM))
                ? OffsetResetStrategy.EARLIEST : OffsetResetStrategy.LATEST))
            .setDeserializer(new Deserializer(parser))
            .setProperties(props)
            .build();
    }

    /**
     * Per-partition bounded out-of-orderness on event time, emitted as the data advances (the stream job's
     * {@link SteppedBoundedOutOfOrderness}). A malformed record has no event time: it
     * takes the latest event time its reader has seen (else its Kafka timestamp), so a burst of garbage
     * lands in the windows of the traffic around it, and never moves the watermark on its own.
     */
    public static WatermarkStrategy<RawRecord> watermarks(Configuration conf) {
        Duration bound = conf.get(AlertingOptions.OUT_OF_ORDERNESS);
        Duration step = conf.get(AlertingOptions.WATERMARK_EMIT_STEP);
        WatermarkStrategy<RawRecord> s = WatermarkStrategy.<RawRecord>forGenerator(ctx -> new SteppedBoundedOutOfOrderness<>(bound, step))
            .withTimestampAssigner(ctx -> new TimestampAssigner<>() {
                private long latest = Long.MIN_VALUE;

                @Override
                public long extractTimestamp(RawRecord r, long recordTimestamp) {
                    if (!r.malformed()) {
                        latest = Math.max(latest, r.event.eventTime);
                        return r.event.eventTime;
                    }
                    return latest == Long.MIN_VALUE ? r.kafkaTimestamp : latest;
                }
            });
        Duration idle = conf.get(AlertingOptions.IDLE_TIMEOUT);
        return idle.isZero() ? s : s.withIdleness(idle);
    }

    /** Parses every record; a malformed one becomes a {@link RawRecord} without event. */
    static final class Deserializer implements KafkaRecordDeserializationSchema<RawRecord> {
        private static final long serialVersionUID = 1L;
        private final ClickEventParser parser;

        Deserializer(ClickEventParser parser) {
            this.parser = parser;
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
            ClickEventParser.Result r = parser.parse(record.value(), record.timestamp());
            out.collect(r.event != null ? RawRecord.valid(r.event, record.timestamp()) : RawRecord.malformed(record.timestamp()));
        }

        @Override
        public TypeInformation<RawRecord> getProducedType() {
            return TypeInformation.of(RawRecord.class);
        }
    }
}
