package io.clickstream.alerting;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts each alert of a rule with channel {@code webhook} to the rule's URL as JSON, with the alert id as
 * {@code Idempotency-Key}: delivery is at least once (a checkpoint waits for every POST in flight, and a
 * restore may repeat the alerts after it), and the key lets the receiver drop repeats. The JDK's
 * {@link HttpClient}, asynchronous: a slow endpoint does not hold up the job. 5xx, 408, 429 and
 * connection errors are retried with exponential backoff up to {@code webhook.max-attempts}; then the
 * alert is logged and counted ({@code webhookGaveUp}) and dropped, so a dead endpoint never fails or
 * stalls the job. Other answers (4xx) are not retried.
 */
public final class WebhookSink implements Sink<Alert> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSink.class);
    /** Alerts in flight per writer before {@code write} waits: bounds memory when an endpoint hangs. */
    static final int MAX_IN_FLIGHT = 1000;

    private final long timeoutMs;
    private final int maxAttempts;
    private final long initialBackoffMs;
    private final long maxBackoffMs;

    public WebhookSink(Configuration conf) {
        this.timeoutMs = conf.get(AlertingOptions.WEBHOOK_TIMEOUT).toMillis();
        this.maxAttempts = conf.get(AlertingOptions.WEBHOOK_MAX_ATTEMPTS);
        this.initialBackoffMs = conf.get(AlertingOptions.WEBHOOK_INITIAL_BACKOFF).toMillis();
        this.maxBackoffMs = conf.get(AlertingOptions.WEBHOOK_MAX_BACKOFF).toMillis();
    }

    @Override
    public SinkWriter<Alert> createWriter(WriterInitContext context) throws IOException {
        return new Writer(context.metricGroup().counter("webhookDelivered"), context.metricGroup().counter("webhookRetries"),
            context.metricGroup().counter("webhookGaveUp"));
    }

    final class Writer implements SinkWriter<Alert> {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(timeoutMs)).build();
        private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "webhook-retries");
            t.setDaemon(true);
            return t;
        });
        private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();
        private final Counter delivered;
        private final Counter retried;
        private final Counter gaveUp;

        Writer(Counter delivered, Counter retried, Counter gaveUp) {
            this.delivered = delivered;
            this.retried = retried;
            this.gaveUp = gaveUp;
        }

        @Override
        public void write(Alert alert, Context context) {
            while (inFlight.size() >= MAX_IN_FLIGHT) {
                CompletableFuture.anyOf(inFlight.toArray(CompletableFuture[]::new)).join();
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            inFlight.add(done);
            done.whenComplete((v, e) -> inFlight.remove(done));
            HttpRequest request;
            try {
                request = HttpRequest.newBuilder(URI.create(alert.webhookUrl)).timeout(Duration.ofMillis(timeoutMs))
                    .header("Content-Type", "application/json").header("Idempotency-Key", alert.alertId)
                    .POST(HttpRequest.BodyPublishers.ofString(alert.toJson())).build();
            } catch (RuntimeException e) {
                gaveUp.inc();
                LOG.warn("Alert {} of rule {}: webhook URL {} unusable, alert dropped: {}", alert.alertId, alert.ruleId, alert.webhookUrl, e.toString());
                done.complete(null);
                return;
            }
            attempt(alert, request, 1, done);
        }

        private void attempt(Alert alert, HttpRequest request, int attempt, CompletableFuture<Void> done) {
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                int status = response == null ? 0 : response.statusCode();
                if (error == null && status / 100 == 2) {
                    delivered.inc();
                    done.complete(null);
                    return;
                }
                boolean retryable = error != null || status >= 500 || status == 408 || status == 429;
                String what = error != null ? error.toString() : "HTTP " + status;
                if (!retryable || attempt >= maxAttempts) {
                    gaveUp.inc();
                    LOG.warn("Alert {} of rule {}: webhook {} failed after {} attempt(s) ({}); alert dropped", alert.alertId,
                        alert.ruleId, alert.webhookUrl, attempt, what);
                    done.complete(null);
                    return;
                }
                retried.inc();
                long delay = Math.min(maxBackoffMs, initialBackoffMs << Math.min(attempt - 1, 20));
                retries.schedule(() -> attempt(alert, request, attempt + 1, done), delay, TimeUnit.MILLISECONDS);
            });
        }

        @Override
        public void flush(boolean endOfInput) {
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
        }

        @Override
        public void close() {
            retries.shutdownNow();
        }
    }
}
