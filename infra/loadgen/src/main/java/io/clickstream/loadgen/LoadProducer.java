package io.clickstream.loadgen;

import java.util.Iterator;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends generated records to the raw topic with an idempotent producer, in arrival order, at an
 * optional rate limit, printing progress every few seconds.
 */
public final class LoadProducer {
    private LoadProducer() {}

    /**
     * Produces all records and flushes.
     *
     * @param observer sees every record as it is sent (e.g. to build the ground truth), may be null
     * @return number of records sent
     */
    public static long produce(LoadGenOptions o, Iterator<GeneratedRecord> records, Consumer<GeneratedRecord> observer) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // One request in flight per broker: a first batch that failed retriably (a partition just created, its ISR not yet
        // complete) is never overtaken by the next, which a broker without state for this producer would accept as its first
        // (any sequence is accepted then), leaving the retried first batch out of order until it expires.
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(io.clickstream.tables.Topics.MAX_RECORD_BYTES));
        AtomicReference<Exception> failure = new AtomicReference<>();
        long sent = 0;
        long startNanos = System.nanoTime();
        long lastReport = startNanos;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            while (records.hasNext()) {
                GeneratedRecord r = records.next();
                if (observer != null) {
                    observer.accept(r);
                }
                Long timestamp = o.wallClockTimestamps ? null : r.timestamp;
                producer.send(new ProducerRecord<>(o.topic, r.partition, timestamp, r.key, r.value), (md, ex) -> {
                    if (ex != null) {
                        failure.compareAndSet(null, ex);
                    }
                });
                sent++;
                if (failure.get() != null) {
                    throw new IllegalStateException("producing to " + o.topic + " failed", failure.get());
                }
                if (o.produceRate > 0) {
                    long due = startNanos + (long) (sent * 1e9 / o.produceRate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
                long now = System.nanoTime();
                if (now - lastReport > 5_000_000_000L) {
                    lastReport = now;
                    System.out.printf("  produced %,d records (%,.0f rec/s)%n", sent, sent / ((now - startNanos) / 1e9));
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing to " + o.topic + " failed", failure.get());
        }
        return sent;
    }

    /** {@code LoadProducer --events N --bootstrap-servers host:port ...}: see {@link LoadGenOptions#describe()}. */
    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(LoadGenOptions.describe());
            return;
        }
        LoadGenOptions o = LoadGenOptions.parse(args);
        TopicSetup.ensureTopics(o.bootstrapServers, o.partitions);
        long t0 = System.nanoTime();
        long n = produce(o, new ClickGenerator(o), null);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("produced %,d records to %s in %.1f s (%,.0f rec/s)%n", n, o.topic, s, n / s);
    }
}
