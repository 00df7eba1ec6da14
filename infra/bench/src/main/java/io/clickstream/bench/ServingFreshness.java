package io.clickstream.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.clickstream.infra.kafka.LocalKafkaBroker;
import io.clickstream.infra.lakehouse.LocalPostgres;
import io.clickstream.infra.lakehouse.LocalTrino;
import io.clickstream.infra.lakehouse.ServingCatalog;
import io.clickstream.loadgen.ClickGenerator;
import io.clickstream.loadgen.LoadGenOptions;
import io.clickstream.loadgen.LoadProducer;
import io.clickstream.loadgen.TopicSetup;
import io.clickstream.streaming.ClickstreamJob;
import io.clickstream.streaming.LocalRuns;
import io.clickstream.streaming.StreamingOptions;
import io.clickstream.tables.Topics;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * Freshness of the serving layer as a BI user sees it: how long until a row is queryable in Trino.
 * Runs the whole stack (broker, PostgreSQL, Trino, the streaming job on a MiniCluster writing the
 * Iceberg tables) under live traffic whose event time is the produce time, and polls Trino through
 * trino-jdbc: a {@code raw_events} row's latency is the start of the first poll that sees its offset
 * minus its produce time; a {@code page_minute_agg} row's latency is the first poll that sees the
 * (minute, page) key minus the produce time of the record that let the minute close (the last
 * partition's first event past the window end plus the out-of-orderness bound).
 * Prints percentiles, the poll queries' own latency, Trino's start time and memory; writes a JSON
 * summary and a CDF chart. Command: {@code infra/bin/freshness.sh} (options: {@link BenchOptions}).
 */
public final class ServingFreshness {
    private ServingFreshness() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--help")) {
            System.out.println(BenchOptions.describe());
            return;
        }
        try {
            run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        Configuration opts = BenchOptions.fromArgs(args);
        Path dir = Path.of(opts.get(BenchOptions.DIR)).toAbsolutePath().resolve("serving-freshness");
        LocalRuns.wipe(dir);
        int rate = opts.get(BenchOptions.SERVING_RATE);
        Duration duration = opts.get(BenchOptions.SERVING_DURATION);
        long pollPause = opts.get(BenchOptions.SERVING_POLL_INTERVAL).toMillis();

        try (LocalKafkaBroker broker = LocalKafkaBroker.start(dir.resolve("kafka"), Duration.ofSeconds(60));
             LocalPostgres pg = LocalPostgres.startEphemeral(Duration.ofSeconds(60))) {
            TopicSetup.ensureTopics(broker.bootstrapServers(), 4);
            ServingCatalog catalog = pg.catalog(dir.resolve("iceberg").toUri().toString());
            CompletableFuture<LocalTrino> trinoStart = CompletableFuture.supplyAsync(() -> {
                try {
                    return LocalTrino.start(dir.resolve("trino"), catalog, Duration.ofSeconds(180));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Configuration conf = new Configuration();
            conf.set(StreamingOptions.KAFKA_BOOTSTRAP, broker.bootstrapServers());
            conf.set(StreamingOptions.WAREHOUSE, dir.resolve("warehouse").toUri().toString());
            conf.set(StreamingOptions.CHECKPOINT_DIR, dir.resolve("checkpoints").toUri().toString());
            io.clickstream.streaming.sinks.LakeSinks.useServingCatalog(conf, catalog);
            for (String kv : opts.getOptional(BenchOptions.JOB_OPTIONS).orElse(List.of())) {
                conf.setString(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
            try (ServerSocket s = new ServerSocket(0)) {
                conf.set(RestOptions.PORT, s.getLocalPort());
            }
            StreamingOptions.validate(conf);
            JobClient job = ClickstreamJob.start(ClickstreamJob.environment(conf), conf, s -> s);
            try (LocalTrino trino = trinoStart.join(); Connection c = trino.connectBi(catalog.namespace())) {
                System.out.printf("Trino started in %.1f s; job running with checkpoints every %s; producing %,d events/s for %s%n",
                    trino.startTime().toMillis() / 1e3, conf.get(StreamingOptions.CHECKPOINT_INTERVAL), rate, duration);
                Poller poller = new Poller(c, pollPause);
                Thread pollThread = new Thread(poller, "trino-poller");
                awaitTables(c);
                pollThread.start();

                LoadGenOptions live = new LoadGenOptions();
                live.bootstrapServers = broker.bootstrapServers();
                live.topic = Topics.RAW;
                live.start = Instant.now();
                live.eventsPerSecond = rate;
                live.produceRate = rate;
                live.events = rate * duration.toSeconds();
                live.outOfOrderFraction = 0;
                live.slightlyLateFraction = 0;
                live.veryLateFraction = 0;
                live.wallClockTimestamps = true;
                live.users = Math.max(live.users, rate * 400);
                long records = LoadProducer.produce(live, new ClickGenerator(live), null);
                poller.awaitRecords(records, Duration.ofMinutes(3));
                // The last windows that can close (end + out-of-orderness <= last event time) fire with the last
                // events and are committed by the next checkpoint: keep polling until then.
                Thread.sleep(conf.get(StreamingOptions.CHECKPOINT_INTERVAL).toMillis() + 5_000);
                poller.stop.set(true);
                pollThread.join();
                job.cancel().get();

                Map<String, Object> result = summarize(c, poller, records);
                result.put("trino_start_s", trino.startTime().toMillis() / 1e3);
                result.put("trino_peak_rss_mb", ProcessStats.peakRssMb(trino.pid()));
                result.put("postgres_peak_rss_mb", ProcessStats.peakRssMb(pg.pid()));
                result.put("rate_events_per_s", rate);
                result.put("checkpoint_interval", conf.get(StreamingOptions.CHECKPOINT_INTERVAL).toString());
                String json = RunResult.JSON.writeValueAsString(result);
                Files.writeString(dir.resolve("serving-freshness.json"), json + "\n");
                System.out.println("FRESHNESS " + json);
            }
        }
    }

    /** Waits until the job has created the serving tables (it does so at start). */
    private static void awaitTables(Connection c) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM page_minute_agg")) {
                return;
            } catch (java.sql.SQLException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("serving tables did not appear");
    }

    /** Polls Trino: the highest visible offset per partition and every visible minute key, with the poll's start time. */
    static final class Poller implements Runnable {
        final Connection c;
        final long pauseMillis;
        final AtomicBoolean stop = new AtomicBoolean();
        /** Poll start time → highest visible raw offset per partition. */
        final List<Map.Entry<Long, Map<Integer, Long>>> rawPolls = Collections.synchronizedList(new ArrayList<>());
        /** (window start millis, page) → first poll start time that saw it. */
        final Map<String, Long> minuteFirstSeen = Collections.synchronizedMap(new HashMap<>());
        final List<Long> queryMillis = Collections.synchronizedList(new ArrayList<>());
        volatile long visibleRecords;
        volatile Exception failure;

        Poller(Connection c, long pauseMillis) {
            this.c = c;
            this.pauseMillis = pauseMillis;
        }

        @Override
        public void run() {
            int consecutiveFailures = 0;
            while (!stop.get()) {
                try {
                    poll();
                    consecutiveFailures = 0;
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    if (++consecutiveFailures >= 20) {
                        failure = e;
                        return;
                    }
                    System.err.println("poll failed (" + consecutiveFailures + " in a row): " + e.getMessage());
                }
            }
        }

        private void poll() throws Exception {
            long start = System.currentTimeMillis();
            long t0 = System.nanoTime();
            Map<Integer, Long> max = new TreeMap<>();
            long rows = 0;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT kafka_partition, max(kafka_offset), count(*) FROM raw_events GROUP BY kafka_partition")) {
                while (rs.next()) {
                    max.put(rs.getInt(1), rs.getLong(2));
                    rows += rs.getLong(3);
                }
            }
            queryMillis.add((System.nanoTime() - t0) / 1_000_000);
            rawPolls.add(Map.entry(start, max));
            long t1 = System.nanoTime();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT CAST(to_unixtime(window_start) * 1000 AS bigint), page FROM page_minute_agg")) {
                while (rs.next()) {
                    minuteFirstSeen.putIfAbsent(rs.getLong(1) + "|" + rs.getString(2), start);
                }
            }
            queryMillis.add((System.nanoTime() - t1) / 1_000_000);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM dlq_events")) {
                rs.next();
                visibleRecords = rows + rs.getLong(1);
            }
        }

        void awaitRecords(long records, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (visibleRecords < records) {
                if (failure != null) {
                    throw failure;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + visibleRecords + " of " + records + " records visible in Trino");
                }
                Thread.sleep(100);
            }
        }
    }

    private static Map<String, Object> summarize(Connection c, Poller poller, long records) throws Exception {
        List<Long> raw = new ArrayList<>();
        List<Map.Entry<Long, Map<Integer, Long>>> polls = new ArrayList<>(poller.rawPolls);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT kafka_partition, kafka_offset, CAST(to_unixtime(kafka_timestamp) * 1000 AS bigint) FROM raw_events")) {
            while (rs.next()) {
                int partition = rs.getInt(1);
                long offset = rs.getLong(2);
                for (Map.Entry<Long, Map<Integer, Long>> poll : polls) {
                    if (poll.getValue().getOrDefault(partition, -1L) >= offset) {
                        raw.add(poll.getKey() - rs.getLong(3));
                        break;
                    }
                }
            }
        }
        // A minute row can be complete once every partition has delivered an event past window end +
        // out-of-orderness (that moves the watermark past the window): latency counts from that record's
        // produce time, so it measures the pipeline, not how the generator's event clock relates to the wall clock.
        List<Long> minute = new ArrayList<>();
        long windowMillis = StreamingOptions.WINDOW_SIZE.defaultValue().toMillis();
        long bound = StreamingOptions.OUT_OF_ORDERNESS.defaultValue().toMillis();
        Map<Long, List<Long>> seenPerWindow = new TreeMap<>();
        synchronized (poller.minuteFirstSeen) {
            poller.minuteFirstSeen.forEach((key, seen) ->
                seenPerWindow.computeIfAbsent(Long.parseLong(key.substring(0, key.indexOf('|'))), k -> new ArrayList<>()).add(seen));
        }
        int partitions = polls.isEmpty() ? 0 : polls.get(polls.size() - 1).getValue().size();
        for (Map.Entry<Long, List<Long>> w : seenPerWindow.entrySet()) {
            long closing = w.getKey() + windowMillis + bound;
            List<Long> firstPerPartition = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT kafka_partition, "
                    + "CAST(to_unixtime(min(kafka_timestamp)) * 1000 AS bigint) FROM raw_events WHERE event_time >= "
                    + "from_unixtime(" + closing / 1000.0 + ") GROUP BY kafka_partition")) {
                while (rs.next()) {
                    firstPerPartition.add(rs.getLong(2));
                }
            }
            if (firstPerPartition.size() == partitions && partitions > 0) {
                long closedAt = Collections.max(firstPerPartition);
                w.getValue().forEach(seen -> minute.add(seen - closedAt));
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*), min(window_start), "
                + "max(window_start) FROM page_minute_agg")) {
            rs.next();
            System.out.printf("page_minute_agg: %,d rows, windows %s .. %s%n", rs.getLong(1), rs.getString(2), rs.getString(3));
        }
        List<Long> queries = new ArrayList<>(poller.queryMillis);
        Collections.sort(raw);
        Collections.sort(minute);
        Collections.sort(queries);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("records", records);
        out.put("raw_rows_measured", raw.size());
        out.put("raw_p50_ms", FreshnessProbe.percentile(raw, 50));
        out.put("raw_p99_ms", FreshnessProbe.percentile(raw, 99));
        out.put("raw_max_ms", raw.isEmpty() ? null : raw.get(raw.size() - 1));
        out.put("minute_rows_measured", minute.size());
        out.put("minute_p50_ms", FreshnessProbe.percentile(minute, 50));
        out.put("minute_p99_ms", FreshnessProbe.percentile(minute, 99));
        out.put("minute_max_ms", minute.isEmpty() ? null : minute.get(minute.size() - 1));
        out.put("polls", polls.size());
        out.put("poll_query_p50_ms", FreshnessProbe.percentile(queries, 50));
        out.put("poll_query_p95_ms", FreshnessProbe.percentile(queries, 95));
        chart(raw, minute, Path.of("docs", "bench").toAbsolutePath());
        return out;
    }

    /** CDF of both latencies: docs/bench/serving_freshness.png (when run from the repository root). */
    private static void chart(List<Long> raw, List<Long> minute, Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        XYChart x = new XYChartBuilder().width(800).height(450).title("Queryable in Trino: latency CDF")
            .xAxisTitle("seconds").yAxisTitle("fraction of rows").build();
        addCdf(x, "raw_events: produce -> queryable", raw);
        addCdf(x, "page_minute_agg: minute closed -> queryable", minute);
        BitmapEncoder.saveBitmap(x, dir.resolve("serving_freshness.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void addCdf(XYChart x, String name, List<Long> sorted) {
        if (sorted.isEmpty()) {
            return;
        }
        int points = Math.min(200, sorted.size());
        double[] xs = new double[points];
        double[] ys = new double[points];
        for (int i = 0; i < points; i++) {
            int idx = (int) ((long) (i + 1) * sorted.size() / points) - 1;
            xs[i] = sorted.get(idx) / 1000.0;
            ys[i] = (idx + 1) / (double) sorted.size();
        }
        x.addSeries(name, xs, ys);
    }
}
