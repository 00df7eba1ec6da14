package io.clickstream.alerting;

import io.clickstream.tables.ClickEvent;

/**
 * One record of {@code clicks.raw} as the alerting job sees it: the parsed event, or none for a malformed
 * record (the stream job routes those to the DLQ; here they only count towards the DLQ rate), and the
 * Kafka timestamp (the arrival time that alert latency is measured from).
 */
public class RawRecord {
    /** Null for a malformed record. */
    public ClickEvent event;
    public long kafkaTimestamp;
    /** Event time assigned by the source (a malformed record gets its reader's latest event time). */
    public long time;
    /** The Kafka partition it was read from. */
    public int partition;

    public RawRecord() {}

    public static RawRecord valid(ClickEvent event, long kafkaTimestamp) {
        RawRecord r = new RawRecord();
        r.event = event;
        r.kafkaTimestamp = kafkaTimestamp;
        r.time = event.eventTime;
        return r;
    }

    public static RawRecord malformed(long kafkaTimestamp) {
        RawRecord r = new RawRecord();
        r.kafkaTimestamp = kafkaTimestamp;
        r.time = kafkaTimestamp;
        return r;
    }

    public boolean malformed() {
        return event == null;
    }
}
