package io.clickstream.alerting;

/**
 * What the rule matcher sends to the evaluator, keyed by rule id: either a hit (one record that counts in
 * the rule's metric) or, with {@link #rule} set, a rule change (new version, disabled). Changes travel in
 * the same keyed channel as the hits, so the evaluator always knows a rule before its first hit, and a
 * disable reaches exactly the subtask that holds the rule's state and timers.
 */
public class AlertInput {
    public String ruleId;
    /** Non-null for a rule change. */
    public RuleSpec rule;
    public long eventTime;
    /** Kafka timestamp of the record: when it arrived. */
    public long arrival;
    /** Rate metrics: the record counts in the numerator (malformed for dlq_rate, late for late_rate). */
    public boolean flagged;
    /** For unique users; null for a malformed record. */
    public String userId;
    /** For duplicate_rate rules only (null otherwise: other rules do not need it on the wire). */
    public String eventId;

    public AlertInput() {}

    public static AlertInput hit(String ruleId, long eventTime, long arrival, boolean flagged, String userId) {
        AlertInput a = new AlertInput();
        a.ruleId = ruleId;
        a.eventTime = eventTime;
        a.arrival = arrival;
        a.flagged = flagged;
        a.userId = userId;
        return a;
    }

    /** A hit of a duplicate_rate rule: the evaluator judges whether its event id was seen before. */
    public static AlertInput eventHit(String ruleId, long eventTime, long arrival, String userId, String eventId) {
        AlertInput a = hit(ruleId, eventTime, arrival, false, userId);
        a.eventId = eventId;
        return a;
    }

    public static AlertInput change(RuleSpec rule) {
        AlertInput a = new AlertInput();
        a.ruleId = rule.ruleId;
        a.rule = rule;
        return a;
    }

    public boolean isChange() {
        return rule != null;
    }
}
