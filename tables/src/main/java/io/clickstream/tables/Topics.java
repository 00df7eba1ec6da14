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

    /**
     * Alerts of the alerting job (rules with channel {@code kafka}): key = the alert id, value = the alert
     * as JSON; written exactly once (transactions), so read it with {@code read_committed}.
     */
    public static final String ALERTS = "clicks.alerts";

    public static final List<String> ALL = List.of(RAW, LATE, DLQ, ALERTS);

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
    /** Header on every DLQ record: size in bytes of the original value (0 for a tombstone). */
    public static final String HEADER_ORIGINAL_SIZE = "dlq.original-size";
    /**
     * Header on a DLQ record whose original key and value did not fit into {@link #MAX_RECORD_BYTES}
     * with the DLQ headers: {@code true}; its value (and, if needed, its key) is a prefix of the
     * original. Absent when the record holds the original bytes untouched. The full record stays in
     * {@link #RAW} at the source coordinates.
     */
    public static final String HEADER_TRUNCATED = "dlq.truncated";
    /**
     * Ledger of the DLQ replay command: one record per DLQ record it re-produced to {@link #RAW}, key
     * {@code <dlq partition>:<dlq offset>}, written once the replayed record is acknowledged, so a
     * selection replayed twice produces nothing new. Compacted, LogAppendTime. Not in {@link #ALL}: the
     * command creates it.
     */
    public static final String DLQ_REPLAY_LEDGER = "clicks.dlq-replays";
    /** Header on a replayed record of {@link #RAW}: the DLQ topic it came from. */
    public static final String HEADER_REPLAY_DLQ_TOPIC = "replay.dlq.topic";
    /** Header on a replayed record of {@link #RAW}: partition of its DLQ record. */
    public static final String HEADER_REPLAY_DLQ_PARTITION = "replay.dlq.partition";
    /** Header on a replayed record of {@link #RAW}: offset of its DLQ record. */
    public static final String HEADER_REPLAY_DLQ_OFFSET = "replay.dlq.offset";
    /** Header on a replayed record of {@link #RAW}: the repair applied ({@link DlqReason} it had is in {@link #HEADER_REASON}). */
    public static final String HEADER_REPLAY_REPAIR = "replay.repair";

    /** Header on a truncated DLQ record: size in bytes of the original key (0 for no key). */
    public static final String HEADER_ORIGINAL_KEY_SIZE = "dlq.original-key-size";

    /**
     * The largest record of every pipeline topic (2 MiB): the topics' {@code max.message.bytes} and
     * the {@code max.request.size} of every producer that writes them, measured as Kafka's producer
     * measures it (key, value and headers with the record-batch overhead). A DLQ copy that would be
     * larger is truncated to this size (see {@link #HEADER_TRUNCATED}), so no input record can make
     * the exactly-once side-topic sink fail.
     */
    public static final int MAX_RECORD_BYTES = 2 * 1024 * 1024;

    private Topics() {}
}
