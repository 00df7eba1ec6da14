package io.clickstream.service;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clickstream.tables.ClickEventParser;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * {@code POST /v1/events}: authenticate, read the body within its limit, split it into events, charge
 * the key's rate limit, judge every event with the stream job's parser, produce the valid ones, answer
 * {@code {accepted, rejected, errors:[{index, reason, detail}]}}.
 *
 * <p>Status codes, in the order they are decided: 401 (no or unknown key), 413 (body over
 * {@code max-body-bytes}, or more than {@code max-batch-events} events), 400 (not a JSON array), 429
 * (rate limit, with {@code Retry-After} in seconds), 503 (the produce failed: nothing is reported as
 * accepted), 200 (every event has a verdict; rejected ones are not written anywhere, the client gets
 * their reasons, which are the DLQ reason codes of {@code clicks.dlq}).
 *
 * <p>The record timestamp is the service's clock when the request was read; it is also the time
 * FUTURE_TIMESTAMP is judged against, as the job judges it against the record's Kafka timestamp. The
 * event schema has no server-side timestamp field, so the service stamps nothing into the event
 * itself: the bytes in Kafka are the bytes the client sent.
 */
public final class EventsEndpoint implements Handler {
    static final ObjectMapper JSON = new ObjectMapper();

    private final ServiceApiOptions options;
    private final ApiKeys keys;
    private final RateLimiter limiter;
    private final EventProducer producer;
    private final ClickEventParser parser;
    private final LongSupplier clock;
    private final ServiceMetrics metrics;

    public EventsEndpoint(ServiceApiOptions options, ApiKeys keys, RateLimiter limiter, EventProducer producer, LongSupplier clock) {
        this(options, keys, limiter, producer, clock, new ServiceMetrics());
    }

    /** As above, counting each batch's verdicts in {@code metrics}. */
    public EventsEndpoint(ServiceApiOptions options, ApiKeys keys, RateLimiter limiter, EventProducer producer, LongSupplier clock,
            ServiceMetrics metrics) {
        this.metrics = metrics;
        this.options = options;
        this.keys = keys;
        this.limiter = limiter;
        this.producer = producer;
        this.parser = new ClickEventParser(options.maxPayloadBytes, options.maxFutureSkew.toMillis());
        this.clock = clock;
    }

    /** The key a request presents: {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}. */
    static String presentedKey(String authorization, String xApiKey) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        return xApiKey == null ? null : xApiKey.strip();
    }

    /** Authenticates the request; answers 401 and returns empty if it carries no accepted key. */
    static Optional<String> authenticate(Context ctx, ApiKeys keys) {
        Optional<String> id = keys.authenticate(presentedKey(ctx.header("Authorization"), ctx.header("X-API-Key")));
        if (id.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer");
            error(ctx, 401, "unauthorized", "an API key is required: Authorization: Bearer <key> or X-API-Key: <key>");
        }
        return id;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        Optional<String> keyId = authenticate(ctx, keys);
        if (keyId.isEmpty()) {
            return;
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > options.maxBodyBytes) {
            ctx.header("Connection", "close");
            error(ctx, 413, "body_too_large", "the body has " + declared + " bytes, at most " + options.maxBodyBytes + " are accepted");
            return;
        }
        byte[] body = readAtMost(ctx.req().getInputStream(), options.maxBodyBytes);
        if (body == null) {
            ctx.header("Connection", "close");
            error(ctx, 413, "body_too_large", "the body exceeds " + options.maxBodyBytes + " bytes");
            return;
        }
        long timestamp = clock.getAsLong();
        List<byte[]> elements;
        try {
            elements = EventBatch.split(body, options.maxBatchEvents);
        } catch (EventBatch.TooManyEvents e) {
            error(ctx, 413, "too_many_events", e.getMessage());
            return;
        } catch (EventBatch.BadBatch e) {
            error(ctx, 400, "bad_batch", e.getMessage());
            return;
        }
        RateLimiter.Decision d = limiter.tryAcquire(keyId.get(), elements.size());
        if (!d.admitted()) {
            ctx.header("Retry-After", Long.toString(d.retryAfterSeconds()));
            error(ctx, 429, "rate_limited", "the key's rate limit of " + (long) options.rateLimitEventsPerSecond
                + " events/s (burst " + options.rateLimitBurst + ") does not admit " + elements.size()
                + " events now; retry after " + d.retryAfterSeconds() + " s");
            return;
        }
        EventBatch batch = EventBatch.judge(elements, parser, timestamp);
        List<EventProducer.Out> out = new ArrayList<>();
        for (EventBatch.Item i : batch.valid()) {
            out.add(new EventProducer.Out(i.event().userId, i.bytes()));
        }
        if (!out.isEmpty()) {
            try {
                producer.produce(out, timestamp);
            } catch (EventProducer.ProduceFailed e) {
                error(ctx, 503, "produce_failed", "no event of this batch is accepted (" + e.getMessage() + "). Retry the "
                    + "whole batch: events that were written before the failure are counted once by event_id");
                return;
            }
        }
        ObjectNode r = JSON.createObjectNode();
        r.put("accepted", out.size());
        List<EventBatch.Item> rejected = batch.rejected();
        metrics.batchJudged(out.size(), rejected.stream().map(i -> i.reason().name()).toList());
        r.put("rejected", rejected.size());
        ArrayNode errors = r.putArray("errors");
        for (EventBatch.Item i : rejected) {
            errors.addObject().put("index", i.index()).put("reason", i.reason().name()).put("detail", i.detail());
        }
        ctx.status(200).contentType("application/json").result(JSON.writeValueAsBytes(r));
    }

    /** The stream's bytes, or null if it holds more than {@code max}. */
    static byte[] readAtMost(InputStream in, long max) throws IOException {
        byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        return b.length > max ? null : b;
    }

    /** Answers {@code {"error": code, "message": message}} with {@code status}. */
    static void error(Context ctx, int status, String code, String message) {
        ObjectNode e = JSON.createObjectNode().put("error", code).put("message", message);
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(e));
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
