package io.clickstream.streaming;

import java.time.Duration;

import io.clickstream.streaming.model.DedupedEvent;
import io.clickstream.streaming.model.FunnelRow;
import io.clickstream.streaming.model.PageMinuteRow;
import io.clickstream.streaming.model.SessionRow;
import io.clickstream.streaming.model.SourceRecord;
import io.clickstream.streaming.ops.DedupAndLateRouter;
import io.clickstream.streaming.ops.EarlyFiringEventTimeTrigger;
import io.clickstream.streaming.ops.LateAtWindow;
import io.clickstream.streaming.ops.Lateness;
import io.clickstream.streaming.ops.FunnelAggregator;
import io.clickstream.streaming.ops.MinuteAggregate;
import io.clickstream.streaming.ops.MinuteWindowFunction;
import io.clickstream.streaming.ops.PartitionProgress;
import io.clickstream.streaming.ops.SessionProcessFunction;
import io.clickstream.tables.LakeTable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The streaming topology as a pure function of its input stream: no sources, no sinks, no I/O.
 * {@link ClickstreamJob} wires Kafka and the lake to it; tests feed it bounded input.
 *
 * <pre>
 * records ─ partition progress ─┬─ rejected ────────────────────────► dlq
 *                               └─ accepted ─┬─────────────────────────────────────────► raw_events
 *                       └─ keyBy(event_id) dedup + late check ─┬──► events_dedup (every first copy)
 *                                                              ├──► late (beyond allowed lateness, or a DLQ replay)
 *                                                              └─ on time ─┬─ keyBy(page) 1-min windows ─► page_minute_agg
 *                                                                          │   (watermark + early firings)
 *                                                                          └─ keyBy(user) sessions ─┬────► sessions
 *                                                                                                  └─ keyBy(day) ► funnel_daily
 * </pre>
 */
public final class ClickstreamTopology {
    public static final OutputTag<SourceRecord> REJECTED =
        new OutputTag<>("rejected", TypeInformation.of(SourceRecord.class));
    static final OutputTag<DedupedEvent> MINUTE_WINDOW_LATE =
        new OutputTag<>("minute-window-late", TypeInformation.of(DedupedEvent.class));
    static final OutputTag<DedupedEvent> SESSION_LATE =
        new OutputTag<>("session-late", TypeInformation.of(DedupedEvent.class));
    /** Funnel rows are emitted at most this often per day of event time. */
    static final Duration FUNNEL_EMIT_INTERVAL = Duration.ofSeconds(10);

    /** The streams the topology produces; each one feeds one table or topic. */
    public static final class Outputs {
        public DataStream<SourceRecord> raw;
        public DataStream<SourceRecord> rejected;
        public DataStream<DedupedEvent> deduplicated;
        public DataStream<DedupedEvent> late;
        public DataStream<PageMinuteRow> minuteRows;
        public DataStream<SessionRow> sessions;
        public DataStream<FunnelRow> funnel;
    }

    private ClickstreamTopology() {}

    /**
     * The watermark strategy for the raw source: per partition, bounded out-of-orderness, emitted on the
     * data, and a long idleness timeout. The job-wide watermark this yields is never ahead of a partition
     * that delivered something within the idleness timeout, which is what lets the window operators take
     * every record the per-partition late rule calls on time (see {@link DedupAndLateRouter}).
     */
    public static WatermarkStrategy<SourceRecord> watermarks(Configuration conf) {
        Duration bound = conf.get(StreamingOptions.OUT_OF_ORDERNESS);
        Duration step = conf.get(StreamingOptions.WATERMARK_EMIT_STEP);
        WatermarkStrategy<SourceRecord> s = WatermarkStrategy
            .<SourceRecord>forGenerator(ctx -> new SteppedBoundedOutOfOrderness<>(bound, step))
            // Rejected records carry no trustworthy time: they must not move the watermark.
            .withTimestampAssigner((r, kafkaTs) -> r.accepted() ? r.event.eventTime : Long.MIN_VALUE);
        Duration idle = conf.get(StreamingOptions.IDLE_TIMEOUT);
        if (!idle.isZero()) {
            s = s.withIdleness(idle);
        }
        Duration drift = conf.get(StreamingOptions.ALIGNMENT_MAX_DRIFT);
        return drift.isZero() ? s
            : s.withWatermarkAlignment("clicks-raw", drift, conf.get(StreamingOptions.ALIGNMENT_UPDATE_INTERVAL));
    }

    /**
     * Builds the topology on {@code records}, which must already carry event-time timestamps and
     * watermarks (see {@link #watermarks(Configuration)}).
     */
    public static Outputs build(DataStream<SourceRecord> records, Configuration conf) {
        Duration window = conf.get(StreamingOptions.WINDOW_SIZE);
        Duration lateness = conf.get(StreamingOptions.ALLOWED_LATENESS);
        Outputs out = new Outputs();

        SingleOutputStreamOperator<SourceRecord> accepted = records
            .process(new PartitionProgress(REJECTED, conf.get(StreamingOptions.OUT_OF_ORDERNESS), new Lateness(window, lateness),
                conf.get(StreamingOptions.LATE_WARN_SHARE), conf.get(StreamingOptions.LATE_WARN_MIN_RECORDS)))
            .name("partition-progress").uid("partition-progress");
        out.rejected = accepted.getSideOutput(REJECTED);
        out.raw = accepted;

        SingleOutputStreamOperator<DedupedEvent> deduplicated = accepted
            .keyBy(r -> r.event.eventId)
            .process(new DedupAndLateRouter(window, lateness, conf.get(StreamingOptions.DEDUP_RETENTION)))
            .name("dedup-and-late-check").uid("dedup-and-late-check");
        out.deduplicated = deduplicated;
        DataStream<DedupedEvent> onTime = deduplicated.filter(d -> !d.late).name("on-time").uid("on-time");
        DataStream<DedupedEvent> lateAtDedup = deduplicated.filter(d -> d.late).name("late").uid("late");

        SingleOutputStreamOperator<PageMinuteRow> minuteRows = onTime
            .keyBy(d -> d.event.page)
            .window(TumblingEventTimeWindows.of(window))
            .trigger(new EarlyFiringEventTimeTrigger(conf.get(StreamingOptions.EARLY_FIRE_DELAY), lateness))
            .allowedLateness(lateness)
            .sideOutputLateData(MINUTE_WINDOW_LATE)
            .aggregate(new MinuteAggregate(), new MinuteWindowFunction(lateness))
            .name(LakeTable.PAGE_MINUTE_AGG.tableName()).uid("page-minute-window");
        out.minuteRows = minuteRows;

        // One state value and one timer per user instead of merging session windows (same sessions, same late
        // events; docs/BENCHMARKS.md, issue 15). New uid: the state layout differs from the window operator's.
        SingleOutputStreamOperator<SessionRow> sessions = onTime
            .keyBy(d -> d.event.userId)
            .process(new SessionProcessFunction(conf.get(StreamingOptions.SESSION_GAP), SESSION_LATE))
            .name(LakeTable.SESSIONS.tableName()).uid("sessions");
        out.sessions = sessions;

        out.funnel = sessions
            .keyBy(s -> io.clickstream.streaming.sinks.RowMappers.day(s.sessionStart))
            .process(new FunnelAggregator(FUNNEL_EMIT_INTERVAL, conf.get(StreamingOptions.FUNNEL_RETENTION)))
            .name(LakeTable.FUNNEL_DAILY.tableName()).uid("funnel-daily");

        out.late = lateAtDedup
            .union(minuteRows.getSideOutput(MINUTE_WINDOW_LATE).map(new LateAtWindow(DedupedEvent.STAGE_MINUTE_WINDOW))
                    .name("minute-window-late").uid("minute-window-late"),
                sessions.getSideOutput(SESSION_LATE).map(new LateAtWindow(DedupedEvent.STAGE_SESSION))
                    .name("session-late").uid("session-late"));
        return out;
    }
}
