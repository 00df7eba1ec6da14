package io.clickstream.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import io.javalin.http.Context;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The HTTP API's own metrics, each name defined once here, served in Prometheus' text format at
 * {@code GET /metrics} (no API key: counts only, on the service's bind address, loopback by default),
 * which the project's Prometheus scrapes as job {@code clickstream-api}. One registry per server.
 */
public final class ServiceMetrics {
    public static final String REQUESTS = "clickstream_api_requests_total";
    public static final String REQUEST_DURATION = "clickstream_api_request_duration_seconds";
    public static final String EVENTS_ACCEPTED = "clickstream_api_events_accepted_total";
    public static final String EVENTS_REJECTED = "clickstream_api_events_rejected_total";
    /** Every name above, with its type, labels and meaning (docs/OPERATIONS.md lists them; OperationsDocTest checks). */
    public static final List<String> NAMES = List.of(REQUESTS, REQUEST_DURATION, EVENTS_ACCEPTED, EVENTS_REJECTED);

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name(REQUESTS)
        .help("HTTP requests answered, by method, route (the matched path template) and status code.")
        .labelNames("method", "route", "status").register(registry);
    private final Histogram duration = Histogram.builder().name(REQUEST_DURATION)
        .help("Time to answer an HTTP request, by method and route.")
        .classicOnly().classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
        .labelNames("method", "route").register(registry);
    private final Counter accepted = Counter.builder().name(EVENTS_ACCEPTED)
        .help("Events of POST /v1/events batches written to clicks.raw.").register(registry);
    private final Counter rejected = Counter.builder().name(EVENTS_REJECTED)
        .help("Events of POST /v1/events batches rejected by the parser, by DLQ reason code (answered, written nowhere).")
        .labelNames("reason").register(registry);

    /** Counts one batch's verdicts: {@code acceptedEvents} written, one rejected event per reason code listed. */
    void batchJudged(int acceptedEvents, List<String> rejectedReasons) {
        accepted.inc(acceptedEvents);
        for (String reason : rejectedReasons) {
            rejected.labelValues(reason).inc();
        }
    }

    /** Counts an answered request (Javalin's request logger calls it with the handling time). */
    void requestAnswered(Context ctx, float millis) {
        String route = ctx.endpointHandlerPath();
        String method = ctx.method().name();
        requests.labelValues(method, route, Integer.toString(ctx.statusCode())).inc();
        duration.labelValues(method, route).observe(millis / 1000.0);
    }

    /** {@code GET /metrics}: the registry in Prometheus' text format. */
    void serve(Context ctx) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        writer.write(out, registry.scrape());
        ctx.contentType(writer.getContentType()).result(out.toByteArray());
    }
}
