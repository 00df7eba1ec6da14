package io.clickstream.tables;

import java.util.List;

/**
 * Kafka topics of the pipeline and the record headers that carry provenance on the side topics.
 *
 * <p>Side topics ({@link #LATE}, {@link #DLQ}) must use {@code LogAppendTime}: the Flink Kafka sink
 * stamps records with their event time, and retention would otherwise delete an event that arrived
 * two hours late as soon as it lands.
 */
public final class Topics {
    /** Click events as produced by clients, keyed by user_id. */
    public static final String RAW = "clicks.raw";
    /** Valid, deduplicated events that arrived beyond the allowed lateness; input of the correction job. */
    public static final String LATE = "clicks.late";
    /** Records that could not be accepted: original bytes as value, reason and provenance as headers. */
    public static final String DLQ = "clicks.dlq";

    public static final List<String> ALL = List.of(RAW, LATE, DLQ);

    /** Header: machine-readable reason code, one of {@link DlqReason}. */
    public static final String HEADER_REASON = "dlq.reason";
    /** Header: human-readable detail of the rejection (which field, what was found). */
    public static final String HEADER_DETAIL = "dlq.detail";
    /** Header: partition of the source record in {@link #RAW}. */
    public static final String HEADER_SOURCE_PARTITION = "source.partition";
    /** Header: offset of the source record in {@link #RAW}. */
    public static final String HEADER_SOURCE_OFFSET = "source.offset";
    /** Header: Kafka timestamp (epoch ms) of the source record in {@link #RAW}. */
    public static final String HEADER_SOURCE_TIMESTAMP = "source.timestamp";
    /** Header on late records: which operator found the event too late ("minute" or "session"). */
    public static final String HEADER_LATE_STAGE = "late.stage";
    /** Header on late records: the watermark (epoch ms) the event was compared with. */
    public static final String HEADER_LATE_WATERMARK = "late.watermark";

    private Topics() {}
}
