package io.clickstream.streaming.model;

import io.clickstream.tables.ClickEvent;

/**
 * A record of the raw topic after parsing: the event if it is valid, otherwise the original bytes
 * and the reason. Carries its Kafka coordinates either way, so that every offset can be accounted for.
 */
public class SourceRecord {
    public int partition;
    public long offset;
    /** Kafka record timestamp (epoch ms). */
    public long kafkaTimestamp;
    /** The parsed event, or null if the record was rejected. */
    public ClickEvent event;
    /** Original key and value bytes; kept only for rejected records (the DLQ needs them). */
    public byte[] key;
    public byte[] payload;
    /** {@link io.clickstream.tables.DlqReason} name and detail; null for valid records. */
    public String reason;
    public String detail;
    /**
     * Watermark of this record's partition when it was read (largest earlier event time of the
     * partition minus the out-of-orderness bound); set by {@link io.clickstream.streaming.ops.PartitionProgress}.
     */
    public long partitionWatermark = Long.MIN_VALUE;
    /**
     * For a record the DLQ replay re-produced (it carries the {@code replay.dlq.*} headers): the
     * clicks.raw coordinate of the rejected original it repairs; -1 for every other record.
     */
    public int replayOfPartition = -1;
    public long replayOfOffset = -1;

    public SourceRecord() {}

    public static SourceRecord valid(int partition, long offset, long kafkaTimestamp, ClickEvent event) {
        SourceRecord r = new SourceRecord();
        r.partition = partition;
        r.offset = offset;
        r.kafkaTimestamp = kafkaTimestamp;
        r.event = event;
        return r;
    }

    public static SourceRecord rejected(int partition, long offset, long kafkaTimestamp, byte[] key, byte[] payload,
            String reason, String detail) {
        SourceRecord r = new SourceRecord();
        r.partition = partition;
        r.offset = offset;
        r.kafkaTimestamp = kafkaTimestamp;
        r.key = key;
        r.payload = payload;
        r.reason = reason;
        r.detail = detail;
        return r;
    }

    /** Whether the DLQ replay re-produced this record. */
    public boolean replay() {
        return replayOfOffset >= 0;
    }

    public boolean accepted() {
        return event != null;
    }

    @Override
    public String toString() {
        return "SourceRecord{" + partition + "@" + offset + ", " + (event != null ? event : reason + ": " + detail) + "}";
    }
}
