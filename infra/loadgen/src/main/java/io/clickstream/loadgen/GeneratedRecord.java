package io.clickstream.loadgen;

import io.clickstream.tables.ClickEvent;
import io.clickstream.tables.DlqReason;

/**
 * One record the generator sends to the raw topic, with what the generator meant by it: the ground
 * truth that tests and the demo compare the pipeline's tables with.
 */
public final class GeneratedRecord {
    /** What the record is. */
    public enum Kind { EVENT, DUPLICATE, MALFORMED }

    /** How late the record arrives relative to its event time. */
    public enum Delay {
        ON_TIME, OUT_OF_ORDER, SLIGHTLY_LATE, VERY_LATE;

        /** True if the pipeline must route the event to clicks.late instead of the minute windows. */
        public boolean beyondAllowedLateness() {
            return this == VERY_LATE;
        }
    }

    public final int partition;
    public final String key;
    public final byte[] value;
    /** Kafka record timestamp: the simulated arrival time (epoch ms). */
    public final long timestamp;
    public final Kind kind;
    /** The event for EVENT and DUPLICATE, null for MALFORMED. */
    public final ClickEvent event;
    public final Delay delay;
    /** The reason the pipeline must give for a MALFORMED record, null otherwise. */
    public final DlqReason expectedReason;
    /**
     * For a MALFORMED record that a named DLQ repair fixes (a producer's known mistake): the event the
     * repaired record is; null otherwise.
     */
    public final ClickEvent repairsTo;

    /** Public so that tests can add hand-made records (edge cases) to generated traffic and its truth. */
    public GeneratedRecord(int partition, String key, byte[] value, long timestamp, Kind kind, ClickEvent event, Delay delay,
            DlqReason expectedReason) {
        this(partition, key, value, timestamp, kind, event, delay, expectedReason, null);
    }

    public GeneratedRecord(int partition, String key, byte[] value, long timestamp, Kind kind, ClickEvent event, Delay delay,
            DlqReason expectedReason, ClickEvent repairsTo) {
        this.partition = partition;
        this.key = key;
        this.value = value;
        this.timestamp = timestamp;
        this.kind = kind;
        this.event = event;
        this.delay = delay;
        this.expectedReason = expectedReason;
        this.repairsTo = repairsTo;
    }
}
