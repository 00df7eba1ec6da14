package io.clickstream.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.clickstream.tables.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces the valid events of a batch to {@code clicks.raw}: keyed by user_id (the topic's key, so a
 * user's events stay in one partition and in order), the element's bytes as sent, and the record
 * timestamp the parser judged them against. One idempotent producer ({@code acks=all}) shared by all
 * requests: the broker drops the producer's own retries, so a network hiccup does not duplicate.
 *
 * <p>{@link #produce} waits for every record of the batch. If any fails, or the batch is not
 * acknowledged within the produce timeout, it throws and the request answers 503 with nothing counted as
 * accepted. Some records of that batch may have been written nonetheless (Kafka has no multi-partition
 * atomic write outside transactions); a client retry then writes them again with the same event_id,
 * and the stream job's dedup on event_id counts them once (invariant 3).
 */
public final class EventProducer implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final long timeoutMillis;

    /** The batch was not (fully) acknowledged. */
    public static final class ProduceFailed extends Exception {
        public ProduceFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** One record to send. */
    public record Out(String key, byte[] value) {}

    public EventProducer(ServiceApiOptions o) {
        this.topic = o.topic;
        this.timeoutMillis = o.produceTimeout.toMillis();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(o.producerLinger.toMillis()));
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(128 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(Topics.MAX_RECORD_BYTES));
        // Every wait of a send is bounded by the produce timeout: metadata (max.block.ms) and delivery.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeoutMillis));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(timeoutMillis));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
            String.valueOf(Math.max(500, timeoutMillis - o.producerLinger.toMillis() - 1) / 2));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "clickstream-http-api");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends every record with {@code timestamp} and waits until all are acknowledged. */
    public void produce(List<Out> records, long timestamp) throws ProduceFailed {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        try {
            for (Out r : records) {
                sent.add(producer.send(new ProducerRecord<>(topic, null, timestamp, r.key(), r.value())));
            }
            for (Future<RecordMetadata> f : sent) {
                long left = Math.max(0, deadline - System.nanoTime());
                f.get(left, TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new ProduceFailed("producing to " + topic + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new ProduceFailed("producing to " + topic + " was not acknowledged within " + timeoutMillis + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProduceFailed("interrupted while producing to " + topic, e);
        } catch (RuntimeException e) {
            // send() itself throws on a metadata timeout (max.block.ms) and on a closed producer.
            throw new ProduceFailed("producing to " + topic + " failed: " + e, e);
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
