package io.clickstream.alerting;

import java.util.Optional;

import io.clickstream.tables.ClickEvent;

/**
 * The metrics the alerting job evaluates, by their {@code alert_rules.metric} name. Counts and unique
 * users only grow while a window is open, which is what lets an {@code above} rule fire before its
 * window closes; the DLQ rate does not, so it is judged when the watermark closes the window.
 * {@code duplicate_rate} needs the event ids of the rule's events (kept by the evaluator, only for such rules).
 */
public enum Metric {
    PAGE_VIEWS("page_views", true),
    PURCHASES("purchases", true),
    EVENTS("events", true),
    UNIQUE_USERS("unique_users", true),
    /** Malformed records / all records of clicks.raw in the window; dimension filters do not apply (a malformed record has none). */
    DLQ_RATE("dlq_rate", false),
    /**
     * Events that arrive later than the allowed lateness behind the job's watermark / all events (with the
     * rule's filters), counted in the window of their arrival (the watermark), not of their event time.
     */
    LATE_RATE("late_rate", false),
    /**
     * Events whose event id the rule already saw within {@code alerting.duplicate.horizon} / all events (with the
     * rule's filters; late events excluded, as in the counts), in the window of the event time of the re-sent copy.
     */
    DUPLICATE_RATE("duplicate_rate", false);

    private final String wireName;
    private final boolean monotone;

    Metric(String wireName, boolean monotone) {
        this.wireName = wireName;
        this.monotone = monotone;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether the value of an open window can only grow as events arrive. */
    public boolean monotone() {
        return monotone;
    }

    public static Optional<Metric> fromWire(String name) {
        for (Metric m : values()) {
            if (m.wireName.equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** Whether the value is numerator / all records (the hits' {@code flagged} counts). */
    public boolean rate() {
        return this == DLQ_RATE || this == LATE_RATE || this == DUPLICATE_RATE;
    }

    /** Whether a valid event contributes to this metric (before the rule's dimension filter). */
    boolean counts(ClickEvent e) {
        return switch (this) {
            case PAGE_VIEWS -> "page_view".equals(e.eventType);
            case PURCHASES -> "purchase".equals(e.eventType);
            case EVENTS, UNIQUE_USERS, DLQ_RATE, LATE_RATE, DUPLICATE_RATE -> true;
        };
    }
}
