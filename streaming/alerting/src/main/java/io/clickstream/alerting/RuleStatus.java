package io.clickstream.alerting;

/**
 * Where a rule's evaluation stands (keyed state of the evaluator): the last window end evaluated, the
 * pending timer, whether the rule is firing, since when the opposite condition has held (hysteresis) and
 * the previous window values (z-score baseline).
 */
public class RuleStatus {
    public static final long NONE = Long.MIN_VALUE;

    /** Exclusive end of the last window evaluated by the watermark; NONE before the first. */
    public long lastEvaluated = NONE;
    /** The event-time timer registered for the next window end (end - 1); NONE if none. */
    public long nextTimer = NONE;
    public boolean firing;
    /**
     * End of the first window of the current run of windows whose condition differs from the state
     * (breaching while not firing, or not breaching while firing); NONE if there is no such run.
     */
    public long streakStart = NONE;
    /** Values of the previous windows, oldest first (zscore_above baseline), at most baseline_windows. */
    public double[] history = new double[0];

    public RuleStatus() {}
}
