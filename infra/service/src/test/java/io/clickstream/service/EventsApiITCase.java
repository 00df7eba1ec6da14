package io.clickstream.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.clickstream.tables.ClickEvent;
import io.clickstream.tables.ClickEventParser;
import io.clickstream.tables.DlqReason;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.Utils;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code POST /v1/events} through a real HTTP client against the running service and a real broker:
 * the verdict for every DLQ reason, the accepted events read back from the raw topic byte for byte
 * (and judged again there exactly as the stream job judges them), 401, 413, 400, 429 with
 * Retry-After, and 503 while the broker is SIGKILLed, then recovery after its restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventsApiITCase extends ServiceTestBase {
    static final String KEY = "cs_test-key-for-verdicts";
    static final String LIMITED_KEY = "cs_test-key-for-the-rate-limit";
    static final int MAX_BODY = 64 * 1024;

    @BeforeAll
    static void start() throws Exception {
        ServiceApiOptions o = new ServiceApiOptions();
        o.maxBodyBytes = MAX_BODY;
        o.maxBatchEvents = 50;
        o.rateLimitEventsPerSecond = 50;
        o.rateLimitBurst = 100;
        o.produceTimeout = Duration.ofSeconds(3);
        startStack(o, List.of(KEY, LIMITED_KEY));
    }

    static String event(String id, String user, long time) {
        return "{\"schema_version\":2,\"event_id\":\"" + id + "\",\"event_type\":\"page_view\",\"user_id\":\"" + user
            + "\",\"page\":\"/p/\\u00e9\",\"event_time\":" + time + ",\"referrer\":null,\"device\":\"mobile\",\"country\":\"DE\"}";
    }

    static byte[] body(List<String> elements) {
        return ("[" + String.join(",", elements) + "]").getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, ConsumerRecord<String, byte[]>> rawByEventId(String prefix) {
        ClickEventParser parser = new ClickEventParser(Integer.MAX_VALUE, Long.MAX_VALUE / 2);
        Map<String, ConsumerRecord<String, byte[]>> m = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : readRaw()) {
            ClickEvent e = parser.parse(r.value(), r.timestamp()).event;
            if (e != null && e.eventId.startsWith(prefix)) {
                assertThat(m.put(e.eventId, r)).as("one record per event id").isNull();
            }
        }
        return m;
    }

    @Test
    @Order(1)
    void everyVerdictAndTheAcceptedEventsLandAsSent() throws Exception {
        long now = System.currentTimeMillis();
        List<String> valid = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            valid.add(event("v-" + i, "user-" + i, now - 60_000 + i));
        }
        List<String> elements = new ArrayList<>();
        elements.add(valid.get(0));
        elements.add("{\"pad\":\"" + "x".repeat(33 * 1024) + "\"}");                                        // 1 OVERSIZED
        elements.add(valid.get(1));
        elements.add("[1,2]");                                                                              // 3 MALFORMED_JSON
        elements.add(event("m-1", "u", now).replace(",\"page\":\"/p/\\u00e9\"", ""));                       // 4 MISSING_FIELD
        elements.add(event("w-1", "u", now).replace("\"schema_version\":2", "\"schema_version\":2.0"));     // 5 WRONG_TYPE
        elements.add(event("s-1", "u", now).replace("\"schema_version\":2", "\"schema_version\":7"));       // 6 UNKNOWN_SCHEMA_VERSION
        elements.add(event("t-1", "u", now).replace("page_view", "hover"));                                 // 7 UNKNOWN_EVENT_TYPE
        elements.add(event("f-1", "u", now + Duration.ofHours(1).toMillis()));                              // 8 FUTURE_TIMESTAMP
        elements.add(event("i-1", "u", 946_684_799_999L));                                                  // 9 INVALID_VALUE
        elements.addAll(valid.subList(2, 6));

        long before = System.currentTimeMillis();
        HttpResponse<String> r = post(body(elements), "Authorization", "Bearer " + KEY);
        long after = System.currentTimeMillis();

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode j = json(r);
        assertThat(j.get("accepted").asInt()).isEqualTo(6);
        assertThat(j.get("rejected").asInt()).isEqualTo(8);
        List<Integer> indices = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        j.get("errors").forEach(e -> {
            indices.add(e.get("index").asInt());
            reasons.add(e.get("reason").asText());
            assertThat(e.get("detail").asText()).isNotBlank();
        });
        assertThat(indices).containsExactly(1, 3, 4, 5, 6, 7, 8, 9);
        assertThat(reasons).containsExactly(java.util.Arrays.stream(DlqReason.values()).map(Enum::name).toArray(String[]::new));
        assertThat(j.get("errors").get(6).get("detail").asText()).contains("after the Kafka timestamp");

        Map<String, ConsumerRecord<String, byte[]>> landed = rawByEventId("v-");
        assertThat(landed.keySet()).containsExactly("v-0", "v-1", "v-2", "v-3", "v-4", "v-5");
        ClickEventParser jobParser = new ClickEventParser(32 * 1024, 600_000);
        long stamp = landed.get("v-0").timestamp();
        assertThat(stamp).isBetween(before, after);
        for (int i = 0; i < 6; i++) {
            ConsumerRecord<String, byte[]> rec = landed.get("v-" + i);
            assertThat(new String(rec.value(), StandardCharsets.UTF_8)).isEqualTo(valid.get(i));
            assertThat(rec.key()).isEqualTo("user-" + i);
            assertThat(rec.partition()).isEqualTo(Utils.toPositive(Utils.murmur2(rec.key().getBytes(StandardCharsets.UTF_8))) % 4);
            assertThat(rec.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
            assertThat(rec.timestamp()).isEqualTo(stamp);
            ClickEventParser.Result again = jobParser.parse(rec.value(), rec.timestamp());
            assertThat(again.reason).isNull();
            assertThat(again.event.eventTime).isEqualTo(now - 60_000 + i);
            assertThat(again.event.page).isEqualTo("/p/\u00e9");
        }
        // Nothing rejected was written.
        assertThat(readRaw().stream().map(c -> new String(c.value(), StandardCharsets.UTF_8))
            .filter(v -> v.contains("\"m-1\"") || v.contains("\"f-1\"") || v.contains("\"i-1\"") || v.contains("hover"))).isEmpty();

        // GET /metrics (Prometheus text format, no key) counts exactly this batch, the class's first request.
        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        Map<String, Double> samples = prometheusSamples(metrics.body());
        assertThat(samples).containsEntry(ServiceMetrics.EVENTS_ACCEPTED, 6.0)
            .containsEntry(ServiceMetrics.REQUESTS + "{method=\"POST\",route=\"/v1/events\",status=\"200\"}", 1.0)
            .containsEntry("clickstream_api_request_duration_seconds_count{method=\"POST\",route=\"/v1/events\"}", 1.0);
        for (DlqReason reason : DlqReason.values()) {
            assertThat(samples).containsEntry(ServiceMetrics.EVENTS_REJECTED + "{reason=\"" + reason + "\"}", 1.0);
        }
        assertThat(samples.keySet().stream().filter(k -> k.startsWith(ServiceMetrics.EVENTS_REJECTED + "{")))
            .hasSize(DlqReason.values().length);
    }

    /** Sample lines of Prometheus' text format: series (name and labels as written) to value. */
    static Map<String, Double> prometheusSamples(String text) {
        Map<String, Double> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return out;
    }

    @Test
    @Order(2)
    void withoutAnAcceptedKeyNothingHappens() throws Exception {
        byte[] b = body(List.of(event("a-1", "u", System.currentTimeMillis())));
        for (HttpResponse<String> r : List.of(post(b), post(b, "Authorization", "Bearer nope"),
                post(b, "X-API-Key", KEY + "x"), post(b, "Authorization", "Basic " + KEY), post(b, "Authorization", "Bearer " + ApiKeys.hash(KEY)))) {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(json(r).get("error").asText()).isEqualTo("unauthorized");
        }
        HttpResponse<String> ok = post(b, "X-API-Key", KEY);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok).get("accepted").asInt()).isEqualTo(1);
        assertThat(rawByEventId("a-").keySet()).containsExactly("a-1");
    }

    @Test
    @Order(3)
    void oversizedBodiesAndBatchesAndNonArraysAreRefusedWhole() throws Exception {
        long now = System.currentTimeMillis();
        String pad = event("b-0", "u", now).replace("}", ",\"pad\":\"" + "x".repeat(MAX_BODY) + "\"}");
        HttpResponse<String> big = post(body(List.of(pad)), "X-API-Key", KEY);
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(json(big).get("error").asText()).isEqualTo("body_too_large");
        assertThat(json(big).get("message").asText()).contains("at most " + MAX_BODY);

        List<String> many = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            many.add(event("b-" + i, "u", now));
        }
        HttpResponse<String> tooMany = post(body(many), "X-API-Key", KEY);
        assertThat(tooMany.statusCode()).isEqualTo(413);
        assertThat(json(tooMany).get("error").asText()).isEqualTo("too_many_events");
        assertThat(json(tooMany).get("message").asText()).isEqualTo("a batch holds at most 50 events");

        HttpResponse<String> notArray = post(event("b-x", "u", now).getBytes(StandardCharsets.UTF_8), "X-API-Key", KEY);
        assertThat(notArray.statusCode()).isEqualTo(400);
        assertThat(json(notArray).get("message").asText()).isEqualTo("the body must be a JSON array of events, found an object");

        HttpResponse<String> cut = post("[{\"a\":1},".getBytes(StandardCharsets.UTF_8), "X-API-Key", KEY);
        assertThat(cut.statusCode()).isEqualTo(400);
        assertThat(json(cut).get("error").asText()).isEqualTo("bad_batch");

        assertThat(rawByEventId("b-")).isEmpty();
    }

    @Test
    @Order(4)
    void aKeyBeyondItsRateGets429WithRetryAfterAndNothingWritten() throws Exception {
        long now = System.currentTimeMillis();
        List<String> fifty = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fifty.add(event("r-" + i, "u-" + (i % 7), now));
        }
        assertThat(post(body(fifty), "X-API-Key", LIMITED_KEY).statusCode()).isEqualTo(200);
        assertThat(post(body(fifty), "X-API-Key", LIMITED_KEY).statusCode()).isEqualTo(200);
        List<String> next = fifty.stream().map(e -> e.replace("\"r-", "\"q-")).collect(Collectors.toList());
        HttpResponse<String> limited = post(body(next), "X-API-Key", LIMITED_KEY);
        assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(json(limited).get("error").asText()).isEqualTo("rate_limited");
        // Another key is not limited by this one's bucket.
        assertThat(post(body(List.of(event("o-1", "u", now))), "X-API-Key", KEY).statusCode()).isEqualTo(200);
        assertThat(rawByEventId("q-")).isEmpty();
        // The same batch is admitted once the bucket has refilled (50 events/s).
        int[] status = {0};
        await(() -> {
            try {
                status[0] = post(body(next), "X-API-Key", LIMITED_KEY).statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return status[0] == 200;
        }, Duration.ofSeconds(10), "the rate-limited batch to be admitted");
        assertThat(rawByEventId("q-")).hasSize(50);
        // Both 200s of the same 50 r- events wrote them twice (the job's dedup counts them once).
        assertThat(readRaw().stream().filter(c -> new String(c.value(), StandardCharsets.UTF_8).contains("\"r-"))).hasSize(100);
    }

    @Test
    @Order(5)
    void brokerDownIs503WithNothingAcceptedAndTheServiceRecovers() throws Exception {
        long now = System.currentTimeMillis();
        broker.kill();
        List<String> batch = List.of(event("d-1", "u-1", now), event("d-2", "u-2", now), "{\"bad\":1}");
        long t0 = System.nanoTime();
        HttpResponse<String> down = post(body(batch), "X-API-Key", KEY);
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
        JsonNode j = json(down);
        assertThat(j.get("error").asText()).isEqualTo("produce_failed");
        assertThat(j.has("accepted")).isFalse();
        assertThat(tookMs).as("bounded by the 3 s produce timeout").isLessThan(10_000);

        broker.restart(Duration.ofSeconds(60));
        List<String> retry = List.of(event("d-1", "u-1", now), event("d-2", "u-2", now), event("d-3", "u-3", now));
        int[] status = {0};
        await(() -> {
            try {
                status[0] = post(body(retry), "X-API-Key", KEY).statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return status[0] == 200;
        }, Duration.ofSeconds(30), "a batch to be accepted after the broker's restart");
        assertThat(rawByEventId("d-").keySet()).containsExactly("d-1", "d-2", "d-3");
    }
}
