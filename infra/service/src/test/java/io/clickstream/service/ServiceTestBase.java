package io.clickstream.service;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickstream.infra.kafka.LocalKafkaBroker;
import io.clickstream.loadgen.TopicSetup;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the service ITCases share: a real Kafka broker in its own JVM ({@link LocalKafkaBroker}), the
 * pipeline topics, the HTTP API started in-process on a free loopback port with a key file in a
 * temporary directory, a {@code java.net.http} client, and a reader of the raw topic.
 */
abstract class ServiceTestBase {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOPIC = "api.clicks.raw";

    @TempDir
    static Path tmp;
    static LocalKafkaBroker broker;
    static ApiServer server;
    static HttpClient http;

    /** Starts the broker, the topics and the service with {@code options} (port 0, loopback) and {@code keys}. */
    static void startStack(ServiceApiOptions options, List<String> keys) throws Exception {
        broker = LocalKafkaBroker.start(tmp.resolve("kafka"), Duration.ofSeconds(60));
        TopicSetup.ensureTopics(broker.bootstrapServers(), 4, TOPIC, TOPIC + ".late", TOPIC + ".dlq");
        Path keyFile = tmp.resolve("keys.sha256");
        Files.write(keyFile, keys.stream().map(ApiKeys::hash).toList());
        options.bootstrapServers = broker.bootstrapServers();
        options.topic = TOPIC;
        options.port = 0;
        options.apiKeysFile = keyFile;
        options.validate();
        server = ApiServer.start(options, ApiKeys.load(keyFile));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopStack() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** POSTs {@code body} to /v1/events with {@code headers} (name, value, name, value ...). */
    static HttpResponse<String> post(byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.baseUri().resolve("/v1/events"))
            .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.baseUri().resolve(path)).timeout(Duration.ofSeconds(30)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    /** Every record of the raw topic, read from the beginning up to the end offsets of now. */
    static List<ConsumerRecord<String, byte[]>> readRaw() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(TOPIC).stream().map(i -> new TopicPartition(TOPIC, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + TOPIC + " to its end offsets " + end);
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** Waits until {@code condition} holds (checked every 50 ms), failing after {@code timeout}. */
    static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(50_000_000L);
        }
    }
}
