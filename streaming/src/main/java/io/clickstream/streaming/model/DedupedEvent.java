package io.clickstream.streaming.model;

import io.clickstream.tables.ClickEvent;

/**
 * The first copy of an event_id, as decided by the dedup operator, with whether it arrived beyond
 * the allowed lateness of its minute window (then it goes to clicks.late, not to the windows).
 */
public class DedupedEvent {
    public ClickEvent event;
    public int partition;
    public long offset;
    public long kafkaTimestamp;
    public boolean late;
    /** The watermark the event was judged against (epoch ms). */
    public long watermark;
    /**
     * For late events: which check found it late ({@code minute}, {@code minute-window} or {@code session}),
     * or {@code dlq-replay} for a record the DLQ replay re-produced (always routed to the correction).
     */
    public String lateStage;

    public DedupedEvent() {}

    public DedupedEvent(SourceRecord r, boolean late, long watermark) {
        this.event = r.event;
        this.partition = r.partition;
        this.offset = r.offset;
        this.kafkaTimestamp = r.kafkaTimestamp;
        this.late = late;
        this.watermark = watermark;
        this.lateStage = late ? STAGE_MINUTE : null;
    }

    public static final String STAGE_MINUTE = "minute";
    public static final String STAGE_MINUTE_WINDOW = "minute-window";
    public static final String STAGE_SESSION = "session";
    public static final String STAGE_REPLAY = "dlq-replay";

    /** This event, marked as found late by the given stage. */
    public DedupedEvent asLate(String stage) {
        DedupedEvent d = new DedupedEvent();
        d.event = event;
        d.partition = partition;
        d.offset = offset;
        d.kafkaTimestamp = kafkaTimestamp;
        d.late = true;
        d.watermark = watermark;
        d.lateStage = stage;
        return d;
    }
}
