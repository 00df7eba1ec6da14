package io.clickstream.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickstream.infra.lakehouse.LocalTrino;
import io.clickstream.infra.lakehouse.Ports;
import io.clickstream.infra.lakehouse.ServiceOptions;
import io.clickstream.infra.lakehouse.ServingCatalog;
import io.clickstream.infra.lakehouse.TiedProcess;
import io.clickstream.infra.lakehouse.TrinoSecurity;
import io.clickstream.loadgen.ClickGenerator;
import io.clickstream.tables.EventJson;
import io.clickstream.loadgen.GeneratedRecord;
import io.clickstream.loadgen.GroundTruth;
import io.clickstream.loadgen.LoadGenOptions;
import io.clickstream.streaming.StreamingOptions;
import org.apache.flink.configuration.Configuration;

/**
 * The demo's HTTP API leg: the service ({@code infra/service}, its runnable jar) as its own process on a
 * loopback port, with a generated API key. It ingests a batch over {@code POST /v1/events} (valid
 * events and one of each kind of bad one, to a topic of its own so the pipeline's truth is untouched)
 * and answers {@code GET /v1/metrics/page_views} by the hour, stitched from its hot path (the Paimon
 * changelog of {@code page_minute_agg}) and Trino; the demo prints that answer beside the same sums
 * from Trino and from the truth, before the batch correction changes the Iceberg rows.
 */
final class ApiStep {
    /** System property with the service's runnable jar (set by infra/bin/demo.sh); unset = the step is skipped. */
    static final String JAR_PROPERTY = "clickstream.service.jar";
    static final String TOPIC = "clicks.api-demo.raw";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiStep() {}

    static Map<String, Boolean> run(LocalTrino trino, ServingCatalog catalog, Configuration conf, String bootstrap, GroundTruth truth,
            Path dir) throws Exception {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        String jar = System.getProperty(JAR_PROPERTY);
        System.out.println("[7/10] The HTTP API (its own process): ingestion and metric reads");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            System.out.println("      skipped: -D" + JAR_PROPERTY + " does not name the service's runnable jar (infra/bin/demo.sh sets it)");
            return checks;
        }
        Path apiDir = Files.createDirectories(dir.resolve("api"));
        String key = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
        Path keys = apiDir.resolve("api-keys.sha256");
        Files.writeString(keys, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest(key.getBytes(StandardCharsets.UTF_8))) + "  demo\n");
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
        int port = Ports.free();
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx768m", "-jar", jar,
            "--bind-host", ServiceOptions.bindHost(), "--port", Integer.toString(port), "--bootstrap-servers", bootstrap,
            "--topic", TOPIC, "--create-topics", "true", "--api-keys-file", keys.toString(),
            "--paimon-warehouse", conf.get(StreamingOptions.WAREHOUSE), "--paimon-database", conf.get(StreamingOptions.DATABASE),
            "--trino-url", trino.jdbcUrl(catalog.namespace()), "--trino-user", TrinoSecurity.BI,
            "--trino-password-file", trino.security().passwordFile(TrinoSecurity.BI).toString());
        Path log = apiDir.resolve("api.log");
        long t0 = System.nanoTime();
        try (TiedProcess api = TiedProcess.start("api", cmd, Path.of("").toAbsolutePath(), log, "TERM", ServiceOptions.stopGrace(),
                Map.of())) {
            awaitLine(api, log, "HTTP API on", Duration.ofSeconds(90));
            String base = "http://" + ServiceOptions.bindHost() + ":" + port;
            System.out.printf("      service up at %s in %.1f s (key file %s, mode 0600, SHA-256 only)%n", base,
                (System.nanoTime() - t0) / 1e9, keys);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            checks.putAll(ingest(http, base, key));
            checks.putAll(hourlyViews(http, base, key, trino, catalog, truth));
        }
        return checks;
    }

    /** 200 generated events plus one of each kind of bad event in one batch: the verdicts, per event. */
    private static Map<String, Boolean> ingest(HttpClient http, String base, String key) throws Exception {
        LoadGenOptions g = new LoadGenOptions();
        g.events = 200;
        g.seed = 7;
        g.duplicateFraction = 0;
        g.malformedFraction = 0;
        g.start = Instant.now().minusSeconds(3600);
        List<String> batch = new ArrayList<>();
        ClickGenerator gen = new ClickGenerator(g);
        while (gen.hasNext()) {
            GeneratedRecord r = gen.next();
            if (r.event != null) {
                batch.add(new String(EventJson.encode(r.event), StandardCharsets.UTF_8));
            }
        }
        int valid = batch.size();
        long now = Instant.now().toEpochMilli();
        Map<String, String> bad = new TreeMap<>();
        bad.put("MISSING_FIELD", "{\"event_id\":\"api-bad-1\",\"schema_version\":1,\"event_type\":\"click\",\"page\":\"/p\",\"event_time\":" + now + "}");
        bad.put("UNKNOWN_EVENT_TYPE", "{\"event_id\":\"api-bad-2\",\"schema_version\":1,\"event_type\":\"hover\",\"user_id\":\"u\",\"page\":\"/p\",\"event_time\":" + now + "}");
        bad.put("WRONG_TYPE", "{\"event_id\":\"api-bad-3\",\"schema_version\":1,\"event_type\":\"click\",\"user_id\":\"u\",\"page\":\"/p\",\"event_time\":\"yesterday\"}");
        bad.put("FUTURE_TIMESTAMP", "{\"event_id\":\"api-bad-4\",\"schema_version\":1,\"event_type\":\"click\",\"user_id\":\"u\",\"page\":\"/p\",\"event_time\":" + (now + 86_400_000L) + "}");
        bad.put("UNKNOWN_SCHEMA_VERSION", "{\"event_id\":\"api-bad-5\",\"schema_version\":9,\"event_type\":\"click\",\"user_id\":\"u\",\"page\":\"/p\",\"event_time\":" + now + "}");
        batch.addAll(bad.values());
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/events"))
            .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("[" + String.join(",", batch) + "]")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        List<String> reasons = new ArrayList<>();
        body.path("errors").forEach(e -> reasons.add(e.path("reason").asText()));
        reasons.sort(null);
        System.out.printf("      POST /v1/events (%d events): HTTP %d, accepted %d, rejected %d %s%n", batch.size(), r.statusCode(),
            body.path("accepted").asLong(), body.path("rejected").asLong(), reasons);
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/events"))
            .POST(HttpRequest.BodyPublishers.ofString("[]")).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Boolean> checks = new LinkedHashMap<>();
        checks.put("HTTP API: " + valid + " valid events accepted, each bad one rejected with the job's DLQ reason",
            r.statusCode() == 200 && body.path("accepted").asLong() == valid && reasons.equals(new ArrayList<>(bad.keySet())));
        checks.put("HTTP API: a request without an API key is refused (401)", anonymous.statusCode() == 401);
        return checks;
    }

    /**
     * Page views per hour over the demo's traffic, three ways: the API (hot path + Trino history,
     * stitched), Trino on the Iceberg table, and the truth (streaming values: the correction has not
     * run yet). The hot path catches up with the Paimon changelog in the background: the read is
     * repeated until it is final everywhere or 60 s passed.
     */
    private static Map<String, Boolean> hourlyViews(HttpClient http, String base, String key, LocalTrino trino, ServingCatalog catalog,
            GroundTruth truth) throws Exception {
        TreeMap<Long, Long> expected = new TreeMap<>();
        truth.minuteRows().forEach(m -> expected.merge(Math.floorDiv(m.windowStart(), 3_600_000L) * 3_600_000L, m.pageViews(), Long::sum));
        TreeMap<Long, Long> fromTrino = new TreeMap<>();
        try (Connection c = trino.connectBi(catalog.namespace()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT CAST(to_unixtime(date_trunc('hour', window_start)) * 1000 AS bigint), sum(page_views) "
                 + "FROM page_minute_agg GROUP BY 1")) {
            while (rs.next()) {
                fromTrino.put(rs.getLong(1), rs.getLong(2));
            }
        }
        String from = Instant.ofEpochMilli(expected.firstKey()).toString();
        String to = Instant.ofEpochMilli(expected.lastKey() + 3_600_000L).toString();
        TreeMap<Long, Long> fromApi = new TreeMap<>();
        Map<String, Integer> sources = new TreeMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        double latencyMs = 0;
        while (true) {
            long t = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/metrics/page_views?granularity=hour&from="
                + from + "&to=" + to)).header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
            latencyMs = (System.nanoTime() - t) / 1e6;
            fromApi.clear();
            sources.clear();
            if (r.statusCode() == 200) {
                for (JsonNode w : JSON.readTree(r.body()).path("windows")) {
                    long v = w.path("value").asLong();
                    if (v != 0) {
                        fromApi.put(Instant.parse(w.path("window_start").asText()).toEpochMilli(), v);
                    }
                    sources.merge(w.path("source").asText(), 1, Integer::sum);
                }
            }
            // Wait for the hot path too: until it has read the Paimon changelog, history alone answers.
            boolean hotAnswered = sources.keySet().stream().anyMatch(k -> k.startsWith("hot"));
            if ((fromApi.equals(expected) && hotAnswered) || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(500);
        }
        System.out.printf("      GET /v1/metrics/page_views by the hour (%.0f ms; windows by source %s):%n", latencyMs, sources);
        System.out.printf("      %-22s %10s %10s %10s%n", "hour (UTC)", "API", "Trino", "truth");
        for (Map.Entry<Long, Long> e : expected.entrySet()) {
            System.out.printf("      %-22s %,10d %,10d %,10d%n", Instant.ofEpochMilli(e.getKey()), fromApi.getOrDefault(e.getKey(), 0L),
                fromTrino.getOrDefault(e.getKey(), 0L), e.getValue());
        }
        Map<String, Boolean> checks = new LinkedHashMap<>();
        checks.put("HTTP API: page views per hour (hot path + Trino, stitched) equal Trino and the truth",
            fromApi.equals(expected) && fromTrino.equals(expected) && sources.keySet().stream().anyMatch(k -> k.startsWith("hot")));
        return checks;
    }

    private static void awaitLine(TiedProcess p, Path log, String line, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!(Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains(line))) {
            if (p.waitFor(Duration.ofMillis(200)) >= 0) {
                throw new IllegalStateException("the API service exited; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the API service did not start within " + timeout + "; see " + log);
            }
        }
    }
}
