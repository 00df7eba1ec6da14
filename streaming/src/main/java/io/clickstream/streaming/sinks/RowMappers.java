package io.clickstream.streaming.sinks;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import io.clickstream.streaming.model.DedupedEvent;
import io.clickstream.streaming.model.FunnelRow;
import io.clickstream.streaming.model.PageMinuteRow;
import io.clickstream.streaming.model.SessionRow;
import io.clickstream.streaming.model.SourceRecord;
import io.clickstream.tables.ClickEvent;
import org.apache.flink.types.Row;

/**
 * Converts the topology's values into rows in the column order of the DDL files in {@code tables}: the
 * CREATE file's columns, then those each schema migration appended ({@code LakeMigration}; v3:
 * campaign, experiment_id, properties on raw_events and events_dedup).
 * The row types come from the created tables themselves (see {@link LakeSinks}), so a column
 * added to a DDL file without a value here fails at job start, not silently.
 */
public final class RowMappers {
    private RowMappers() {}

    public static Row rawEvent(SourceRecord r) {
        ClickEvent e = r.event;
        return Row.of(day(r.kafkaTimestamp), r.partition, r.offset, utc(r.kafkaTimestamp), e.eventId, e.schemaVersion,
            e.eventType, e.userId, e.page, utc(e.eventTime), e.referrer, e.device, e.country,
            e.campaign, e.experimentId, e.properties, r.replay() ? r.replayOfPartition : null,
            r.replay() ? r.replayOfOffset : null);
    }

    public static Row dedupEvent(DedupedEvent d) {
        ClickEvent e = d.event;
        return Row.of(day(e.eventTime), e.eventId, e.schemaVersion, e.eventType, e.userId, e.page, utc(e.eventTime),
            e.referrer, e.device, e.country, d.late, e.campaign, e.experimentId, e.properties);
    }

    public static Row dlqEvent(SourceRecord r) {
        return Row.of(day(r.kafkaTimestamp), r.partition, r.offset, utc(r.kafkaTimestamp), r.reason, r.detail,
            r.payload == null ? 0 : r.payload.length);
    }

    public static Row pageMinute(PageMinuteRow m) {
        return Row.of(day(m.windowStart), utc(m.windowStart), m.page, m.events, m.pageViews, m.clicks, m.addToCarts,
            m.checkouts, m.purchases, m.uniqueUsers, m.uniqueViewers, m.usersHll, m.revision, m.finality, null);
    }

    public static Row session(SessionRow s) {
        return Row.of(day(s.sessionStart), s.userId, utc(s.sessionStart), utc(s.sessionEnd), s.sessionEnd - s.sessionStart,
            s.events, s.pageViews, s.distinctPages, s.funnelStep);
    }

    public static Row funnel(FunnelRow f) {
        return Row.of(f.dt, f.step, f.stepName, f.sessions, f.entrants, f.conversion(), f.revision, f.finality, null);
    }

    /** UTC wall-clock time of an epoch-millisecond instant: the TIMESTAMP(3) columns are UTC. */
    public static LocalDateTime utc(long epochMillis) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }

    /** UTC day (yyyy-MM-dd): the partition value of every table. */
    public static String day(long epochMillis) {
        return utc(epochMillis).toLocalDate().toString();
    }
}
