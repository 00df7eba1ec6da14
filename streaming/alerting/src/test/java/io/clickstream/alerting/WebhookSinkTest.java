package io.clickstream.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.Test;

/**
 * The webhook sink against a JDK HTTP server on loopback: an endpoint that keeps failing is retried
 * {@code max-attempts} times with the same idempotency key, then given up (counted), and the writer's
 * flush returns: a dead webhook never blocks a checkpoint for longer than the retry budget. A 4xx is not
 * retried.
 */
class WebhookSinkTest {
    @Test
    void aDeadEndpointIsRetriedThenGivenUpWithoutFailing() throws Exception {
        List<String> keys = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/dead", x -> {
            keys.add(x.getRequestHeaders().getFirst("Idempotency-Key"));
            x.getRequestBody().readAllBytes();
            x.sendResponseHeaders(503, -1);
            x.close();
        });
        server.createContext("/gone", x -> {
            keys.add("gone:" + x.getRequestHeaders().getFirst("Idempotency-Key"));
            x.getRequestBody().readAllBytes();
            x.sendResponseHeaders(410, -1);
            x.close();
        });
        server.start();
        try {
            Configuration conf = new Configuration();
            conf.set(AlertingOptions.WEBHOOK_MAX_ATTEMPTS, 4);
            conf.set(AlertingOptions.WEBHOOK_INITIAL_BACKOFF, Duration.ofMillis(10));
            SimpleCounter delivered = new SimpleCounter();
            SimpleCounter retries = new SimpleCounter();
            SimpleCounter gaveUp = new SimpleCounter();
            WebhookSink sink = new WebhookSink(conf);
            WebhookSink.Writer writer = sink.new Writer(delivered, retries, gaveUp);
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            writer.write(alert("a-1", base + "/dead"), null);
            writer.write(alert("a-2", base + "/gone"), null);
            writer.flush(false);
            assertThat(keys).filteredOn(k -> k.equals("a-1")).hasSize(4);
            assertThat(keys).filteredOn(k -> k.equals("gone:a-2")).hasSize(1);
            assertThat(retries.getCount()).isEqualTo(3);
            assertThat(gaveUp.getCount()).isEqualTo(2);
            assertThat(delivered.getCount()).isZero();
            writer.close();
        } finally {
            server.stop(0);
        }
    }

    static Alert alert(String id, String url) {
        Alert a = new Alert();
        a.alertId = id;
        a.ruleId = "r";
        a.state = Alert.FIRING;
        a.webhookUrl = url;
        a.evidence = "test";
        return a;
    }
}
