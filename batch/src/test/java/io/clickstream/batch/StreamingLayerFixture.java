package io.clickstream.batch;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.clickstream.loadgen.ClickGenerator;
import io.clickstream.tables.EventJson;
import io.clickstream.loadgen.GeneratedRecord;
import io.clickstream.loadgen.GroundTruth;
import io.clickstream.loadgen.LoadGenOptions;
import io.clickstream.loadgen.LoadProducer;
import io.clickstream.loadgen.TopicSetup;
import io.clickstream.tables.ClickEvent;
import io.clickstream.tables.LakeTable;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * What the streaming layer leaves behind for the batch jobs, built from generated traffic without
 * running Flink (the batch module depends on no Flink): the raw topic with the generated records, the
 * late topic with the events beyond the allowed lateness, and the Iceberg serving tables created from
 * the same DDL files the Flink job uses ({@code ddl/iceberg}, translated to Spark SQL) and filled with
 * the rows the job writes for that input (its ITCases prove those rows equal this ground truth).
 */
final class StreamingLayerFixture {
    /** Monday 2026-01-05 08:00 UTC: the first event. */
    static final Instant MONDAY_8AM = Instant.parse("2026-01-05T08:00:00Z");

    final BatchOptions options;
    final List<GeneratedRecord> records;
    final GroundTruth truth;
    final Map<GeneratedRecord, Long> offsets = new HashMap<>();

    StreamingLayerFixture(BatchOptions options, String prefix) {
        this.options = options;
        LoadGenOptions t = new LoadGenOptions();
        t.events = 4_000;
        t.seed = 11;
        t.users = 150;
        t.pages = 20;
        t.partitions = 3;
        t.start = MONDAY_8AM;
        t.eventsPerSecond = 0.5;
        t.duplicateFraction = 0.05;
        t.veryLateFraction = 0.03;
        t.veryLateMin = Duration.ofMinutes(20);
        t.veryLateMax = Duration.ofMinutes(120);
        t.malformedFraction = 0.02;
        t.bootstrapServers = options.bootstrapServers;
        t.topic = prefix + ".clicks.raw";
        options.rawTopic = t.topic;
        options.lateTopic = prefix + ".clicks.late";
        TopicSetup.ensureTopics(options.bootstrapServers, t.partitions, options.rawTopic, options.lateTopic, prefix + ".clicks.dlq");
        this.records = ClickGenerator.generateAll(t);
        Map<Integer, Long> next = new TreeMap<>();
        LoadProducer.produce(t, records.iterator(), r -> offsets.put(r, next.merge(r.partition, 1L, Long::sum) - 1));
        this.truth = GroundTruth.of(records, Duration.ofMinutes(1), Duration.ofMinutes(30), Duration.ofSeconds(5), Duration.ofMinutes(2));
    }

    /** Creates the serving tables and writes what the streaming job would have written, and the late topic. */
    void writeStreamingOutput(SparkSession spark) {
        writeStreamingOutput(spark, Set.of());
    }

    /**
     * As {@link #writeStreamingOutput(SparkSession)}, but the {@code withheld} events are missing from
     * events_dedup (as if the streaming commit that adds them had not happened yet).
     */
    void writeStreamingOutput(SparkSession spark, Set<String> withheld) {
        for (LakeTable t : LakeTable.values()) {
            createServingTable(spark, t);
        }
        List<Row> raw = new ArrayList<>();
        List<Row> dlq = new ArrayList<>();
        for (GeneratedRecord r : records) {
            long offset = offsets.get(r);
            if (r.kind == GeneratedRecord.Kind.MALFORMED) {
                dlq.add(RowFactory.create(GroundTruth.day(r.timestamp), r.partition, offset, utc(r.timestamp),
                    r.expectedReason.name(), "generated", r.value == null ? 0 : r.value.length));
            } else {
                ClickEvent e = r.event;
                raw.add(RowFactory.create(GroundTruth.day(r.timestamp), r.partition, offset, utc(r.timestamp), e.eventId,
                    e.schemaVersion, e.eventType, e.userId, e.page, utc(e.eventTime), e.referrer, e.device, e.country));
            }
        }
        append(spark, LakeTable.RAW_EVENTS, raw);
        append(spark, LakeTable.DLQ_EVENTS, dlq);
        List<String> ids = new ArrayList<>(truth.distinctEvents.keySet());
        ids.removeAll(withheld);
        appendDedupRows(spark, ids);
        appendStreamingMinuteRows(spark);
        appendStreamingSessionRows(spark);

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String id : truth.lateEventIds) {
                ClickEvent e = truth.distinctEvents.get(id);
                producer.send(new ProducerRecord<>(options.lateTopic, e.userId.getBytes(), EventJson.encode(e)));
            }
        }
    }

    /** Appends the events_dedup rows of the given event ids. */
    void appendDedupRows(SparkSession spark, java.util.Collection<String> eventIds) {
        List<Row> dedup = new ArrayList<>();
        for (String id : eventIds) {
            ClickEvent e = truth.distinctEvents.get(id);
            dedup.add(RowFactory.create(GroundTruth.day(e.eventTime), e.eventId, e.schemaVersion, e.eventType, e.userId, e.page,
                utc(e.eventTime), e.referrer, e.device, e.country, truth.lateEventIds.contains(e.eventId)));
        }
        append(spark, LakeTable.EVENTS_DEDUP, dedup);
    }

    /** page_minute_agg as the streaming job leaves it: on-time events only, each window's final firing. */
    void appendStreamingMinuteRows(SparkSession spark) {
        Map<String, Set<String>> users = new HashMap<>();
        for (ClickEvent e : truth.windowedEvents()) {
            users.computeIfAbsent(e.eventTime - Math.floorMod(e.eventTime, 60_000L) + "|" + e.page, k -> new HashSet<>()).add(e.userId);
        }
        List<Row> minutes = new ArrayList<>();
        for (GroundTruth.MinuteRow m : truth.minuteRows()) {
            HllSketch sketch = new HllSketch(HllSketchAggregator.LG_K, TgtHllType.HLL_8);
            users.get(m.windowStart() + "|" + m.page()).forEach(sketch::update);
            minutes.add(RowFactory.create(GroundTruth.day(m.windowStart()), utc(m.windowStart()), m.page(), m.events(),
                m.pageViews(), m.clicks(), m.addToCarts(), m.checkouts(), m.purchases(), m.uniqueUsers(), m.uniqueViewers(),
                sketch.toCompactByteArray(), m.events(), io.clickstream.tables.Finality.FINAL.sqlName(), null));
        }
        append(spark, LakeTable.PAGE_MINUTE_AGG, minutes);
    }

    /** sessions and funnel_daily as the streaming job leaves them after closing the days: on-time events only, funnel rows final. */
    void appendStreamingSessionRows(SparkSession spark) {
        List<Row> sessions = new ArrayList<>();
        for (GroundTruth.SessionRow s : truth.sessionRows()) {
            sessions.add(RowFactory.create(GroundTruth.day(s.start()), s.userId(), utc(s.start()), utc(s.end()), s.end() - s.start(),
                s.events(), s.pageViews(), s.distinctPages(), s.funnelStep()));
        }
        append(spark, LakeTable.SESSIONS, sessions);
        Map<String, Long> perDay = new HashMap<>();
        truth.sessionRows().forEach(s -> perDay.merge(GroundTruth.day(s.start()), 1L, Long::sum));
        List<Row> funnel = new ArrayList<>();
        for (GroundTruth.FunnelRow f : truth.funnelRows()) {
            funnel.add(RowFactory.create(f.dt(), f.step(), io.clickstream.tables.EventType.funnelStepName(f.step()), f.sessions(),
                f.entrants(), f.entrants() == 0 ? 0.0 : (double) f.sessions() / f.entrants(), perDay.get(f.dt()),
                io.clickstream.tables.Finality.FINAL.sqlName(), null));
        }
        append(spark, LakeTable.FUNNEL_DAILY, funnel);
    }

    /** Appends hand-made rows to a serving table (a test's own user, say), in the table's column order. */
    void appendRows(SparkSession spark, LakeTable t, List<Row> rows) {
        append(spark, t, rows);
    }

    private void append(SparkSession spark, LakeTable t, List<Row> rows) {
        String name = options.table(t.tableName());
        try {
            spark.createDataFrame(rows, spark.table(name).schema()).writeTo(name).append();
        } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Flink DDL of the serving table, in Spark SQL: same columns, partitioning, properties and identifier fields. */
    void createServingTable(SparkSession spark, LakeTable t) {
        String ddl = t.icebergDdl();
        Matcher pk = Pattern.compile(",\\s*PRIMARY KEY \\(([^)]*)\\) NOT ENFORCED").matcher(ddl);
        String identifier = pk.find() ? pk.group(1) : null;
        String name = options.table(t.tableName());
        String spark35 = ddl.replaceAll(",\\s*PRIMARY KEY \\([^)]*\\) NOT ENFORCED", "")
            .replace("CREATE TABLE IF NOT EXISTS " + t.tableName() + " (", "CREATE TABLE IF NOT EXISTS " + name + " (")
            .replace("TIMESTAMP(3)", "TIMESTAMP_NTZ").replace("BYTES", "BINARY")
            .replace(") PARTITIONED BY (dt) WITH (", ") USING iceberg PARTITIONED BY (dt) TBLPROPERTIES (");
        spark.sql(spark35);
        if (identifier != null) {
            spark.sql("ALTER TABLE " + name + " SET IDENTIFIER FIELDS " + identifier);
        }
    }

    static LocalDateTime utc(long epochMillis) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }
}
