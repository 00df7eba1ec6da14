package io.clickstream.streaming.model;

/** A row of the {@code sessions} table: one user session closed by the inactivity gap. */
public class SessionRow {
    public String userId;
    public long sessionStart;
    public long sessionEnd;
    public long events;
    public long pageViews;
    public long distinctPages;
    /** Highest ordered funnel step reached, 0..4. */
    public int funnelStep;

    public SessionRow() {}

    @Override
    public String toString() {
        return "SessionRow{" + userId + " " + sessionStart + ".." + sessionEnd + " events=" + events + " step=" + funnelStep + "}";
    }
}
