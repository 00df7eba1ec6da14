package io.clickstream.service;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickstream.infra.kafka.LocalKafkaBroker;
import io.clickstream.loadgen.TopicSetup;

/**
 * Ingest load generator for {@code POST /v1/events}: {@code concurrency} clients send batches of
 * {@code batch-size} valid events (unique ids, event time = now) for a fixed duration, then stop by
 * themselves and print events/s and the request latency percentiles (p50, p99, max).
 *
 * <p>Without {@code --url} it is self-contained: a real Kafka broker in its own JVM (temporary data
 * directory), the topics, and the service in this JVM with a fresh key; all are stopped at the end.
 * With {@code --url URL --api-key KEY} it drives a running service. The first {@code warmup} of the
 * run is not counted (JIT, connection set-up).
 */
public final class ApiBench {
    private ApiBench() {}

    /** The bench's settings. */
    static final class Options {
        String url;
        String apiKey;
        Duration duration = Duration.ofSeconds(30);
        Duration warmup = Duration.ofSeconds(5);
        int batchSize = 100;
        int concurrency = 8;

        static final String HELP = """
            ApiBench options:
              --url URL             a running service (default: start a broker and the service in-process)
              --api-key KEY         its API key (required with --url)
              --duration ISO        measured duration (default PT30S)
              --warmup ISO          unmeasured start (default PT5S)
              --batch-size N        events per request (default 100)
              --concurrency N       concurrent clients (default 8)
            """;

        static Options parse(String... args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i += 2) {
                String k = args[i].replaceFirst("^--", "");
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + args[i] + "\n" + HELP);
                }
                String v = args[i + 1];
                switch (k) {
                    case "url" -> o.url = v;
                    case "api-key" -> o.apiKey = v;
                    case "duration" -> o.duration = Duration.parse(v);
                    case "warmup" -> o.warmup = Duration.parse(v);
                    case "batch-size" -> o.batchSize = Integer.parseInt(v);
                    case "concurrency" -> o.concurrency = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown option --" + k + "\n" + HELP);
                }
            }
            if (o.url != null && o.apiKey == null) {
                throw new IllegalArgumentException("--api-key is required with --url");
            }
            return o;
        }
    }

    /** What one run measured. */
    record Result(long events, long requests, long failures, double seconds, long[] latenciesNanos) {
        double eventsPerSecond() {
            return events / seconds;
        }

        double percentileMillis(double p) {
            if (latenciesNanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(p / 100.0 * latenciesNanos.length) - 1;
            return latenciesNanos[Math.max(0, Math.min(latenciesNanos.length - 1, i))] / 1e6;
        }

        String summary() {
            return String.format("%,d events in %,d requests over %.1f s: %,.0f events/s, latency p50 %.1f ms, p99 %.1f ms, "
                    + "max %.1f ms, %d failed requests", events, requests, seconds, eventsPerSecond(), percentileMillis(50),
                percentileMillis(99), percentileMillis(100), failures);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(Options.HELP);
            return;
        }
        Options o = Options.parse(args);
        if (o.url != null) {
            System.out.println(run(URI.create(o.url), o.apiKey, o).summary());
            return;
        }
        Path dir = Files.createTempDirectory("api-bench");
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(dir.resolve("kafka"), Duration.ofSeconds(60))) {
            TopicSetup.ensureTopics(broker.bootstrapServers(), 4);
            ServiceApiOptions so = new ServiceApiOptions();
            so.bootstrapServers = broker.bootstrapServers();
            so.port = 0;
            so.rateLimitEventsPerSecond = 1e9;
            so.rateLimitBurst = 1_000_000_000L;
            so.maxBatchEvents = Math.max(so.maxBatchEvents, o.batchSize);
            String key = ApiKeys.newKey();
            try (ApiServer server = ApiServer.start(so, new ApiKeys(java.util.Set.of(ApiKeys.hash(key))))) {
                System.out.printf("self-contained: broker %s (own JVM), service %s (this JVM), %d clients x %d events/request%n",
                    broker.bootstrapServers(), server.baseUri(), o.concurrency, o.batchSize);
                System.out.println(run(server.baseUri(), key, o).summary());
            }
        }
    }

    /** Drives {@code base} for warmup + duration and returns what the measured part achieved. */
    static Result run(URI base, String key, Options o) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ObjectMapper json = new ObjectMapper();
        long start = System.nanoTime();
        long measureFrom = start + o.warmup.toNanos();
        long end = measureFrom + o.duration.toNanos();
        AtomicLong events = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(o.concurrency);
        List<Future<long[]>> workers = new ArrayList<>();
        for (int w = 0; w < o.concurrency; w++) {
            int worker = w;
            workers.add(pool.submit(() -> {
                long[] lat = new long[1024];
                int n = 0;
                long seq = 0;
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 >= end) {
                        break;
                    }
                    StringBuilder b = new StringBuilder(o.batchSize * 180).append('[');
                    long now = System.currentTimeMillis();
                    for (int i = 0; i < o.batchSize; i++) {
                        long id = seq++;
                        b.append(i == 0 ? "" : ",").append("{\"schema_version\":1,\"event_id\":\"bench-").append(worker).append('-')
                            .append(id).append("\",\"event_type\":\"page_view\",\"user_id\":\"u-").append(id % 997)
                            .append("\",\"page\":\"/p/").append(id % 101).append("\",\"event_time\":").append(now).append('}');
                    }
                    byte[] body = b.append(']').toString().getBytes(StandardCharsets.UTF_8);
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/events"))
                        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                    long t1 = System.nanoTime();
                    if (t0 < measureFrom) {
                        continue;
                    }
                    requests.incrementAndGet();
                    if (r.statusCode() != 200) {
                        failures.incrementAndGet();
                        continue;
                    }
                    JsonNode j = json.readTree(r.body());
                    events.addAndGet(j.get("accepted").asLong());
                    if (n == lat.length) {
                        lat = Arrays.copyOf(lat, n * 2);
                    }
                    lat[n++] = t1 - t0;
                }
                return Arrays.copyOf(lat, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : workers) {
            all.add(f.get());
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - measureFrom) / 1e9;
        long[] lat = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(events.get(), requests.get(), failures.get(), seconds, lat);
    }
}
