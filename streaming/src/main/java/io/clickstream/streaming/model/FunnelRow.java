package io.clickstream.streaming.model;

/** A row of the {@code funnel_daily} table: absolute count of a day's sessions that reached a step. */
public class FunnelRow {
    public String dt;
    public int step;
    public String stepName;
    public long sessions;
    public long entrants;
    public long revision;
    /** {@code provisional} while the job keeps the day's counts, {@code final} in the row written when it drops them. */
    public String finality;

    public FunnelRow() {}

    public double conversion() {
        return entrants == 0 ? 0.0 : (double) sessions / entrants;
    }

    @Override
    public String toString() {
        return "FunnelRow{" + dt + " step " + step + " sessions=" + sessions + "/" + entrants + "}";
    }
}
