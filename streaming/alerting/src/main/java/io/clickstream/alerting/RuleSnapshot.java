package io.clickstream.alerting;

/**
 * One poll of {@code alerting.alert_rules}: every rule, enabled or not. A poll that failed (the database
 * unreachable) is {@code stale} and changes nothing: the rules in broadcast state stay as they were.
 */
public class RuleSnapshot {
    public RuleSpec[] rules = new RuleSpec[0];
    public boolean stale;
    /** Wall-clock time of the poll (epoch ms). */
    public long polledAt;

    public RuleSnapshot() {}

    public static RuleSnapshot of(long polledAt, RuleSpec... rules) {
        RuleSnapshot s = new RuleSnapshot();
        s.rules = rules;
        s.polledAt = polledAt;
        return s;
    }

    public static RuleSnapshot stale(long polledAt) {
        RuleSnapshot s = new RuleSnapshot();
        s.stale = true;
        s.polledAt = polledAt;
        return s;
    }
}
