package io.clickstream.alerting;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import io.clickstream.streaming.SteppedBoundedOutOfOrderness;
import io.clickstream.tables.ClickEventParser;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
     * The partitions of the raw topic now (for {@link PartitionWatermarkHold}), asked with the consumer properties'
     * security settings.
     */
    public static List<Integer> partitions(Configuration conf) throws InterruptedException {
        Properties props = new Properties();
        props.putAll(conf.get(AlertingOptions.KAFKA_CONSUMER_PROPERTIES));
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, conf.get(AlertingOptions.KAFKA_BOOTSTRAP));
        String topic = conf.get(AlertingOptions.RAW_TOPIC);
        try (Admin admin = Admin.create(props)) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                .map(p -> p.partition()).sorted().toList();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot describe topic " + topic + " at " + conf.get(AlertingOptions.KAFKA_BOOTSTRAP)
                + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Per-partition bounded out-of-orderness on event time, emitted as the data advances (the stream job's
     * {@link SteppedBoundedOutOfOrderness}). A malformed record has no event time: it takes the latest event time its
     * reader has seen (else its Kafka timestamp), so a burst of garbage lands in the windows of the traffic around it.
     * It never moves the watermark: the timestamp assigner is shared by all partitions of a reader, so that time may
     * be another partition's, far ahead (on a backlog, one malformed record of a partition not read yet would move
     * the watermark minutes past that partition's records, and 30% of the demo's busiest minute was lost to late hits).
     */
    public static WatermarkStrategy<RawRecord> watermarks(Configuration conf) {
        Duration bound = conf.get(AlertingOptions.OUT_OF_ORDERNESS);
        Duration step = conf.get(AlertingOptions.WATERMARK_EMIT_STEP);
        WatermarkStrategy<RawRecord> s = WatermarkStrategy.<RawRecord>forGenerator(ctx -> new ValidOnly(new SteppedBoundedOutOfOrderness<>(bound, step)))
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

    /** A partition's watermark generator that only sees the records with an event time. */
    static final class ValidOnly implements WatermarkGenerator<RawRecord> {
        private final WatermarkGenerator<RawRecord> inner;

        ValidOnly(WatermarkGenerator<RawRecord> inner) {
            this.inner = inner;
        }

        @Override
        public void onEvent(RawRecord r, long timestamp, WatermarkOutput output) {
            if (!r.malformed()) {
                inner.onEvent(r, timestamp, output);
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            inner.onPeriodicEmit(output);
        }
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
            RawRecord raw = r.event != null ? RawRecord.valid(r.event, record.timestamp()) : RawRecord.malformed(record.timestamp());
            raw.partition = record.partition();
            out.collect(raw);
        }

        @Override
        public TypeInformation<RawRecord> getProducedType() {
            return TypeInformation.of(RawRecord.class);
        }
    }
}
