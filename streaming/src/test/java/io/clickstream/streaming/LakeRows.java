package io.clickstream.streaming;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import io.clickstream.loadgen.GroundTruth;
import io.clickstream.tables.ClickEvent;

/** Turns rows read by {@link LakeReader} back into values comparable with the {@link GroundTruth}. */
public final class LakeRows {
    private LakeRows() {}

    public static long epochMillis(Object localDateTime) {
        return ((LocalDateTime) localDateTime).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /** An event from a row of {@code raw_events} or {@code events_dedup}. */
    public static ClickEvent event(Map<String, Object> row) {
        ClickEvent e = new ClickEvent((String) row.get("event_id"), (Integer) row.get("schema_version"),
            (String) row.get("event_type"), (String) row.get("user_id"), (String) row.get("page"),
            epochMillis(row.get("event_time")));
        e.referrer = (String) row.get("referrer");
        e.device = (String) row.get("device");
        e.country = (String) row.get("country");
        return e;
    }

    public static GroundTruth.MinuteRow minute(Map<String, Object> row) {
        return new GroundTruth.MinuteRow(epochMillis(row.get("window_start")), (String) row.get("page"),
            (Long) row.get("events"), (Long) row.get("page_views"), (Long) row.get("clicks"), (Long) row.get("add_to_carts"),
            (Long) row.get("checkouts"), (Long) row.get("purchases"), (Long) row.get("unique_users"),
            (Long) row.get("unique_viewers"));
    }

    public static GroundTruth.SessionRow session(Map<String, Object> row) {
        return new GroundTruth.SessionRow((String) row.get("user_id"), epochMillis(row.get("session_start")),
            epochMillis(row.get("session_end")), (Long) row.get("events"), (Long) row.get("page_views"),
            (Long) row.get("distinct_pages"), (Integer) row.get("funnel_step"));
    }

    public static GroundTruth.FunnelRow funnel(Map<String, Object> row) {
        return new GroundTruth.FunnelRow((String) row.get("dt"), (Integer) row.get("step"), (Long) row.get("sessions"),
            (Long) row.get("entrants"));
    }
}
