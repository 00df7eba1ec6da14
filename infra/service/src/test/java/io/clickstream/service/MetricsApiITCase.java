package io.clickstream.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickstream.infra.lakehouse.IcebergCatalogSchema;
import io.clickstream.infra.lakehouse.LocalPostgres;
import io.clickstream.infra.lakehouse.LocalTrino;
import io.clickstream.infra.lakehouse.ServingCatalog;
import io.clickstream.loadgen.ClickGenerator;
import io.clickstream.loadgen.GroundTruth;
import io.clickstream.loadgen.LoadGenOptions;
import io.clickstream.tables.ClickEvent;
import io.clickstream.tables.EventType;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.CatalogContext;
import org.apache.paimon.catalog.CatalogFactory;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.data.BinaryString;
import org.apache.paimon.data.GenericRow;
import org.apache.paimon.data.Timestamp;
import org.apache.paimon.disk.IOManager;
import org.apache.paimon.options.Options;
import org.apache.paimon.schema.Schema;
import org.apache.paimon.table.Table;
import org.apache.paimon.table.sink.StreamTableCommit;
import org.apache.paimon.table.sink.StreamTableWrite;
import org.apache.paimon.table.sink.StreamWriteBuilder;
import org.apache.paimon.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/metrics} through a real HTTP client against the running service, a real Paimon
 * warehouse (hot path: the service reads {@code page_minute_agg}'s changelog, written here with
 * Paimon's Java API and the table's own options, {@code changelog-producer=lookup}), and a real Trino
 * over an Iceberg {@code page_minute_agg} on PostgreSQL's JDBC catalog (history). No Flink: the tables
 * hold the minute rows of the ground truth of generated traffic, and the history table only the minutes
 * before the hot path's horizon, so a window can only be right if both sides are read and stitched.
 * Expected values are computed from the generated events independently of the service.
 */
class MetricsApiITCase {
    static final String KEY = "cs_metrics-test-key";
    static final Duration RETENTION = Duration.ofMinutes(30);
    static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static LocalPostgres pg;
    static LocalTrino trino;
    static ApiServer server;
    static HttpClient http = HttpClient.newHttpClient();
    static GroundTruth truth;
    static List<GroundTruth.MinuteRow> rows;
    static Map<String, Set<String>> usersByMinutePage = new TreeMap<>();
    static Map<Long, Set<String>> usersByHour = new TreeMap<>();
    static long newest;
    static long horizon;
    static String warehouse;
    static Table paimonTable;
    static long commitId = 1;

    /** Paimon page_minute_agg as the streaming job creates it (ddl/paimon/page_minute_agg.sql). */
    static Schema paimonSchema() {
        return Schema.newBuilder()
            .column("dt", DataTypes.STRING().notNull())
            .column("window_start", DataTypes.TIMESTAMP(3).notNull())
            .column("page", DataTypes.STRING().notNull())
            .column("events", DataTypes.BIGINT().notNull())
            .column("page_views", DataTypes.BIGINT().notNull())
            .column("clicks", DataTypes.BIGINT().notNull())
            .column("add_to_carts", DataTypes.BIGINT().notNull())
            .column("checkouts", DataTypes.BIGINT().notNull())
            .column("purchases", DataTypes.BIGINT().notNull())
            .column("unique_users", DataTypes.BIGINT().notNull())
            .column("unique_viewers", DataTypes.BIGINT().notNull())
            .column("users_hll", DataTypes.BYTES().notNull())
            .column("revision", DataTypes.BIGINT().notNull())
            .primaryKey("dt", "window_start", "page")
            .partitionKeys("dt")
            .options(Map.of("bucket", "2", "merge-engine", "deduplicate", "sequence.field", "revision", "changelog-producer", "lookup"))
            .build();
    }

    static byte[] sketch(Set<String> users) {
        HllSketch s = new HllSketch(12, TgtHllType.HLL_8);
        users.stream().sorted().forEach(s::update);
        return s.toCompactByteArray();
    }

    static String key(long windowStart, String page) {
        return windowStart + "|" + page;
    }

    @BeforeAll
    static void start() throws Exception {
        LoadGenOptions o = new LoadGenOptions();
        o.events = 12_000;
        o.eventsPerSecond = 3;
        o.users = 300;
        o.pages = 40;
        o.veryLateFraction = 0;
        truth = GroundTruth.of(ClickGenerator.generateAll(o), Duration.ofMinutes(1), Duration.ofMinutes(30),
            Duration.ofSeconds(5), Duration.ofMinutes(2));
        rows = truth.minuteRows();
        for (ClickEvent e : truth.windowedEvents()) {
            long minute = Math.floorDiv(e.eventTime, 60_000L) * 60_000L;
            usersByMinutePage.computeIfAbsent(key(minute, e.page), k -> new HashSet<>()).add(e.userId);
            usersByHour.computeIfAbsent(Math.floorDiv(e.eventTime, 3_600_000L) * 3_600_000L, k -> new HashSet<>()).add(e.userId);
        }
        newest = rows.stream().mapToLong(GroundTruth.MinuteRow::windowStart).max().orElseThrow();
        horizon = newest + 60_000L - RETENTION.toMillis();

        // History: PostgreSQL + Trino (started in the background while Paimon is written).
        pg = LocalPostgres.startEphemeral(Duration.ofSeconds(60));
        ServingCatalog catalog = pg.catalog(ServingCatalog.DEFAULT_CATALOG_NAME, tmp.resolve("iceberg").toUri().toString(), "it_metrics");
        IcebergCatalogSchema.ensure(catalog);
        java.util.concurrent.CompletableFuture<LocalTrino> trinoStart = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return LocalTrino.start(tmp.resolve("trino"), catalog, Duration.ofSeconds(180));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        // Hot path: the Paimon table, every minute row; the last 5 minutes first as partial rows.
        warehouse = tmp.resolve("paimon").toUri().toString();
        Options po = new Options();
        po.set("warehouse", warehouse);
        try (Catalog c = CatalogFactory.createCatalog(CatalogContext.create(po))) {
            c.createDatabase("clickstream", true);
            c.createTable(Identifier.create("clickstream", "page_minute_agg"), paimonSchema(), false);
            paimonTable = c.getTable(Identifier.create("clickstream", "page_minute_agg"));
        }
        List<GenericRow> first = new ArrayList<>();
        for (GroundTruth.MinuteRow r : rows) {
            boolean recent = r.windowStart() > newest - 5 * 60_000L;
            first.add(recent && r.events() > 1 ? paimonRow(r, true) : paimonRow(r, false));
        }
        writePaimon(first);

        trino = trinoStart.join();
        try (Connection conn = trino.connectAdmin(catalog.namespace()); Statement s = conn.createStatement()) {
            s.execute("CREATE TABLE page_minute_agg (dt varchar, window_start timestamp(6), page varchar, events bigint, "
                + "page_views bigint, clicks bigint, add_to_carts bigint, checkouts bigint, purchases bigint, unique_users bigint, "
                + "unique_viewers bigint, users_hll varbinary, revision bigint) WITH (partitioning = ARRAY['dt'])");
            List<String> values = new ArrayList<>();
            for (GroundTruth.MinuteRow r : rows) {
                if (r.windowStart() >= horizon) {
                    continue;
                }
                values.add("('" + GroundTruth.day(r.windowStart()) + "', TIMESTAMP '" + TS.format(Instant.ofEpochMilli(r.windowStart()))
                    + "', '" + r.page().replace("'", "''") + "', " + r.events() + ", " + r.pageViews() + ", " + r.clicks() + ", "
                    + r.addToCarts() + ", " + r.checkouts() + ", " + r.purchases() + ", " + r.uniqueUsers() + ", " + r.uniqueViewers()
                    + ", X'" + HexFormat.of().formatHex(sketch(usersByMinutePage.get(key(r.windowStart(), r.page())))) + "', "
                    + r.events() + ")");
                if (values.size() == 800) {
                    s.executeUpdate("INSERT INTO page_minute_agg VALUES " + String.join(",", values));
                    values.clear();
                }
            }
            if (!values.isEmpty()) {
                s.executeUpdate("INSERT INTO page_minute_agg VALUES " + String.join(",", values));
            }
        }

        ServiceApiOptions so = new ServiceApiOptions();
        so.port = 0;
        so.bootstrapServers = "127.0.0.1:1";
        so.paimonWarehouse = warehouse;
        so.hotRetention = RETENTION;
        so.hotPollInterval = Duration.ofMillis(100);
        so.trinoUrl = trino.jdbcUrl(catalog.namespace());
        so.trinoPasswordFile = trino.security().passwordFile(io.clickstream.infra.lakehouse.TrinoSecurity.BI).toString();
        Path keys = tmp.resolve("keys");
        Files.writeString(keys, ApiKeys.hash(KEY) + "\n");
        so.apiKeysFile = keys;
        so.validate();
        server = ApiServer.start(so, ApiKeys.load(keys));
    }

    static GenericRow paimonRow(GroundTruth.MinuteRow r, boolean partial) {
        long div = partial ? 2 : 1;
        long events = partial ? r.events() - 1 : r.events();
        return GenericRow.of(BinaryString.fromString(GroundTruth.day(r.windowStart())), Timestamp.fromEpochMillis(r.windowStart()),
            BinaryString.fromString(r.page()), events, r.pageViews() / div, r.clicks() / div, r.addToCarts() / div,
            r.checkouts() / div, r.purchases() / div, r.uniqueUsers() / div, r.uniqueViewers() / div,
            sketch(usersByMinutePage.get(key(r.windowStart(), r.page()))), events);
    }

    static void writePaimon(List<GenericRow> batch) throws Exception {
        StreamWriteBuilder wb = paimonTable.newStreamWriteBuilder();
        try (StreamTableWrite w = wb.newWrite(); StreamTableCommit c = wb.newCommit()) {
            w.withIOManager(IOManager.create(tmp.resolve("paimon-io").toString()));
            for (GenericRow r : batch) {
                w.write(r);
            }
            long id = commitId++;
            c.commit(id, w.prepareCommit(true, id));
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (trino != null) {
            trino.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    static JsonNode read(String metric, String granularity, long from, long to, String page) throws Exception {
        HttpResponse<String> r = get(metric, granularity, from, to, page);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static HttpResponse<String> get(String metric, String granularity, long from, long to, String page) throws Exception {
        String q = "/v1/metrics/" + metric + "?granularity=" + granularity + "&from=" + Instant.ofEpochMilli(from) + "&to="
            + Instant.ofEpochMilli(to) + (page == null ? "" : "&page=" + URLEncoder.encode(page, StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(server.baseUri().resolve(q)).header("X-API-Key", KEY).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    static Map<Long, Long> values(JsonNode series) {
        Map<Long, Long> m = new TreeMap<>();
        series.get("windows").forEach(w -> m.put(Instant.parse(w.get("window_start").asText()).toEpochMilli(), w.get("value").asLong()));
        return m;
    }

    static void awaitHotPathUpdated() throws Exception {
        // The full rows of the last minutes (second commit) must reach the hot path through the changelog.
        long from = newest - 10 * 60_000L;
        Map<Long, Long> expected = new TreeMap<>();
        for (long t = from; t <= newest; t += 60_000L) {
            expected.put(t, 0L);
        }
        rows.stream().filter(r -> r.windowStart() >= from).forEach(r -> expected.merge(r.windowStart(), r.pageViews(), Long::sum));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> r = get("page_views", "minute", from, newest + 60_000L, null);
            if (r.statusCode() == 200 && values(JSON.readTree(r.body())).equals(expected)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("hot path never showed the updated rows: " + r.body());
            }
            LockSupport.parkNanos(100_000_000L);
        }
    }

    static boolean updated;

    static synchronized void ensureUpdated() throws Exception {
        if (!updated) {
            List<GenericRow> full = new ArrayList<>();
            rows.stream().filter(r -> r.windowStart() > newest - 5 * 60_000L && r.events() > 1).forEach(r -> full.add(paimonRow(r, false)));
            writePaimon(full);
            awaitHotPathUpdated();
            updated = true;
        }
    }

    @Test
    void countsPerHourStitchHotAndHistoryAndEqualTheTruth() throws Exception {
        ensureUpdated();
        long first = Math.floorDiv(rows.stream().mapToLong(GroundTruth.MinuteRow::windowStart).min().orElseThrow(), 3_600_000L) * 3_600_000L;
        long end = Math.floorDiv(newest, 3_600_000L) * 3_600_000L + 3_600_000L;
        for (String metric : List.of("events", "page_views", "purchases")) {
            Map<Long, Long> expected = new TreeMap<>();
            for (long h = first; h < end; h += 3_600_000L) {
                expected.put(h, 0L);
            }
            for (GroundTruth.MinuteRow r : rows) {
                long v = switch (metric) {
                    case "events" -> r.events();
                    case "page_views" -> r.pageViews();
                    default -> r.purchases();
                };
                expected.merge(Math.floorDiv(r.windowStart(), 3_600_000L) * 3_600_000L, v, Long::sum);
            }
            JsonNode series = read(metric, "hour", first, end, null);
            assertThat(values(series)).as(metric).isEqualTo(expected);
            assertThat(series.get("hot_from").asText()).isEqualTo(Instant.ofEpochMilli(horizon).toString());
            assertThat(series.get("watermark").asText()).isEqualTo(Instant.ofEpochMilli(newest + 60_000L).toString());
            for (JsonNode w : series.get("windows")) {
                long ws = Instant.parse(w.get("window_start").asText()).toEpochMilli();
                long we = ws + 3_600_000L;
                String source = we <= horizon ? "history" : ws >= horizon ? "hot" : "hot+history";
                assertThat(w.get("source").asText()).isEqualTo(source);
                assertThat(w.get("finality").asText()).isEqualTo(we + 120_000L > newest + 60_000L ? "provisional" : "final");
            }
            assertThat(series.get("windows").findValuesAsText("source")).contains("hot+history");
        }
    }

    @Test
    void minutesOfOnePageAcrossTheBoundaryAreExact() throws Exception {
        ensureUpdated();
        String page = rows.stream().filter(r -> r.windowStart() > newest - 3 * 60_000L).findFirst().orElseThrow().page();
        long from = horizon - 20 * 60_000L;
        long to = newest + 60_000L;
        for (String metric : List.of("events", "page_views", "unique_users", "unique_viewers")) {
            Map<Long, Long> expected = new TreeMap<>();
            for (long t = from; t < to; t += 60_000L) {
                expected.put(t, 0L);
            }
            rows.stream().filter(r -> r.page().equals(page) && r.windowStart() >= from).forEach(r -> expected.put(r.windowStart(),
                switch (metric) {
                    case "events" -> r.events();
                    case "page_views" -> r.pageViews();
                    case "unique_users" -> r.uniqueUsers();
                    default -> r.uniqueViewers();
                }));
            JsonNode series = read(metric, "minute", from, to, page);
            assertThat(series.get("estimate").asBoolean()).isFalse();
            assertThat(values(series)).as(metric).isEqualTo(expected);
        }
    }

    @Test
    void uniqueUsersPerHourMergeSketchesNeverSumDistinctCounts() throws Exception {
        ensureUpdated();
        long first = usersByHour.keySet().iterator().next();
        long end = Math.floorDiv(newest, 3_600_000L) * 3_600_000L + 3_600_000L;
        JsonNode series = read("unique_users", "hour", first, end, null);
        assertThat(series.get("estimate").asBoolean()).isTrue();
        Map<Long, Long> got = values(series);
        for (Map.Entry<Long, Set<String>> h : usersByHour.entrySet()) {
            long exact = h.getValue().size();
            HllSketch direct = new HllSketch(12, TgtHllType.HLL_8);
            h.getValue().forEach(direct::update);
            // The union of the minute sketches is the sketch of the hour's users: the same estimate.
            assertThat(got.get(h.getKey())).isEqualTo(Math.round(direct.getEstimate()));
            assertThat((double) got.get(h.getKey())).isCloseTo(exact, org.assertj.core.data.Percentage.withPercentage(5));
            long summed = rows.stream().filter(r -> Math.floorDiv(r.windowStart(), 3_600_000L) * 3_600_000L == h.getKey())
                .mapToLong(GroundTruth.MinuteRow::uniqueUsers).sum();
            assertThat(summed).as("the sum of distinct counts would be wrong").isGreaterThan(exact * 2);
        }
        HttpResponse<String> viewers = get("unique_viewers", "hour", first, end, null);
        assertThat(viewers.statusCode()).isEqualTo(400);
        assertThat(get("nope", "hour", first, end, null).statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(server.baseUri().resolve("/v1/metrics/events?from=2026-01-05T08:00:00Z&to=2026-01-05T09:00:00Z"))
            .GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    @Test
    void recentHourReadsUnderConcurrentLoad() throws Exception {
        ensureUpdated();
        long from = newest + 60_000L - 3_600_000L + 30 * 60_000L; // the hot part of the last hour
        long to = newest + 60_000L;
        int clients = 8;
        int perClient = 100;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<long[]>> fs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            fs.add(pool.submit(() -> {
                long[] lat = new long[perClient];
                for (int i = 0; i < perClient; i++) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = get(i % 2 == 0 ? "page_views" : "events", "minute", from, to, null);
                    lat[i] = System.nanoTime() - t0;
                    assertThat(r.statusCode()).isEqualTo(200);
                }
                return lat;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<long[]> f : fs) {
            for (long l : f.get()) {
                all.add(l);
            }
        }
        pool.shutdown();
        all.sort(Long::compare);
        double p50 = all.get(all.size() / 2) / 1e6;
        double p99 = all.get((int) Math.ceil(all.size() * 0.99) - 1) / 1e6;
        System.out.printf("METRICS-READ hot minute series (%d windows, all pages), %d clients x %d requests: p50 %.1f ms, p99 %.1f ms%n",
            (to - from) / 60_000L, clients, perClient, p50, p99);
        assertThat(all).hasSize(clients * perClient);
    }
}
