package io.clickstream.loadgen;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every setting of the load generator: a typed value with a default and a description.
 *
 * <p>Parsed from {@code --key value} arguments by {@link #parse(String...)}; {@link #describe()}
 * prints them all. Fractions are of generated events. The defaults give realistic traffic with every
 * kind of trouble the pipeline must survive.
 */
public final class LoadGenOptions {
    /** A named fixed instant: generated event time starts here unless told otherwise. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-05T08:00:00Z");

    public long events = 100_000;
    public long seed = 42;
    public int users = 2_000;
    public int pages = 500;
    public double zipfExponent = 1.1;
    public int partitions = 4;
    public Instant start = DEFAULT_START;
    /** Event-time density: events per second of simulated time. */
    public double eventsPerSecond = 50;
    /** Produce rate limit in events per wall-clock second; 0 = as fast as the broker takes them. */
    public double produceRate = 0;
    public double duplicateFraction = 0.02;
    public double crossPartitionDuplicateFraction = 0.3;
    public double outOfOrderFraction = 0.05;
    public Duration maxOutOfOrder = Duration.ofSeconds(3);
    public double slightlyLateFraction = 0.01;
    public Duration slightlyLateMin = Duration.ofSeconds(20);
    public Duration slightlyLateMax = Duration.ofSeconds(90);
    public double veryLateFraction = 0.005;
    public Duration veryLateMin = Duration.ofMinutes(15);
    public Duration veryLateMax = Duration.ofHours(2);
    public double malformedFraction = 0.01;
    public double v2Fraction = 0.3;
    /** Off by default so that existing seeds give the same records; the demo turns it on. */
    public double v3Fraction = 0;
    /** Off by default (as v3Fraction); the demo turns it on to show the DLQ repair and replay. */
    public double epochSecondsFraction = 0;
    /** Stamp records with the producer's wall clock instead of the simulated arrival time (live traffic). */
    public boolean wallClockTimestamps = false;
    public String bootstrapServers = "127.0.0.1:9092";
    public String topic = io.clickstream.tables.Topics.RAW;

    private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

    static {
        DESCRIPTIONS.put("events", "number of events to generate (valid events before duplicates and malformed records)");
        DESCRIPTIONS.put("seed", "random seed: the same seed and options give the same records");
        DESCRIPTIONS.put("users", "number of distinct users");
        DESCRIPTIONS.put("pages", "number of distinct pages (Zipf-distributed popularity)");
        DESCRIPTIONS.put("zipf-exponent", "Zipf exponent of page popularity");
        DESCRIPTIONS.put("partitions", "partitions of the raw topic (records are keyed by user_id)");
        DESCRIPTIONS.put("start", "event time of the first event (ISO-8601 instant)");
        DESCRIPTIONS.put("events-per-second", "event-time density: events per simulated second");
        DESCRIPTIONS.put("produce-rate", "wall-clock produce rate limit in events/s, 0 = unlimited");
        DESCRIPTIONS.put("duplicate-fraction", "fraction of events re-sent with the same event_id");
        DESCRIPTIONS.put("cross-partition-duplicate-fraction", "fraction of re-sends that go to another partition");
        DESCRIPTIONS.put("out-of-order-fraction", "fraction of events delayed by up to max-out-of-order");
        DESCRIPTIONS.put("max-out-of-order", "maximum delay of out-of-order events (ISO-8601 duration)");
        DESCRIPTIONS.put("slightly-late-fraction", "fraction of events arriving within the job's allowed lateness");
        DESCRIPTIONS.put("very-late-fraction", "fraction of events arriving 15 min to 2 h late (beyond allowed lateness)");
        DESCRIPTIONS.put("very-late-min", "smallest delay of a very late event (ISO-8601 duration)");
        DESCRIPTIONS.put("very-late-max", "largest delay of a very late event (ISO-8601 duration)");
        DESCRIPTIONS.put("malformed-fraction", "fraction of malformed records (every kind in turn)");
        DESCRIPTIONS.put("v2-fraction", "fraction of valid events written with schema_version 2");
        DESCRIPTIONS.put("v3-fraction", "fraction of valid events written with schema_version 3 (campaign, experiment_id, "
            + "properties; 0 = none, and the other records are the same as without the option)");
        DESCRIPTIONS.put("epoch-seconds-fraction", "fraction of extra events a buggy producer sends with event_time in epoch "
            + "seconds: rejected (INVALID_VALUE), repairable by the DLQ replay's epoch-seconds-to-ms (0 = none)");
        DESCRIPTIONS.put("bootstrap-servers", "Kafka bootstrap servers");
        DESCRIPTIONS.put("topic", "raw topic to produce to");
    }

    public static LoadGenOptions parse(String... args) {
        LoadGenOptions o = new LoadGenOptions();
        for (int i = 0; i < args.length; i += 2) {
            String key = args[i].replaceFirst("^--", "");
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for --" + key);
            }
            String v = args[i + 1];
            switch (key) {
                case "events": o.events = Long.parseLong(v); break;
                case "seed": o.seed = Long.parseLong(v); break;
                case "users": o.users = Integer.parseInt(v); break;
                case "pages": o.pages = Integer.parseInt(v); break;
                case "zipf-exponent": o.zipfExponent = Double.parseDouble(v); break;
                case "partitions": o.partitions = Integer.parseInt(v); break;
                case "start": o.start = Instant.parse(v); break;
                case "events-per-second": o.eventsPerSecond = Double.parseDouble(v); break;
                case "produce-rate": o.produceRate = Double.parseDouble(v); break;
                case "duplicate-fraction": o.duplicateFraction = Double.parseDouble(v); break;
                case "cross-partition-duplicate-fraction": o.crossPartitionDuplicateFraction = Double.parseDouble(v); break;
                case "out-of-order-fraction": o.outOfOrderFraction = Double.parseDouble(v); break;
                case "max-out-of-order": o.maxOutOfOrder = Duration.parse(v); break;
                case "slightly-late-fraction": o.slightlyLateFraction = Double.parseDouble(v); break;
                case "very-late-fraction": o.veryLateFraction = Double.parseDouble(v); break;
                case "very-late-min": o.veryLateMin = Duration.parse(v); break;
                case "very-late-max": o.veryLateMax = Duration.parse(v); break;
                case "malformed-fraction": o.malformedFraction = Double.parseDouble(v); break;
                case "v2-fraction": o.v2Fraction = Double.parseDouble(v); break;
                case "v3-fraction": o.v3Fraction = Double.parseDouble(v); break;
                case "epoch-seconds-fraction": o.epochSecondsFraction = Double.parseDouble(v); break;
                case "bootstrap-servers": o.bootstrapServers = v; break;
                case "topic": o.topic = v; break;
                default: throw new IllegalArgumentException("unknown option --" + key + "\n" + describe());
            }
        }
        return o;
    }

    public static String describe() {
        StringBuilder b = new StringBuilder("Load generator options:\n");
        DESCRIPTIONS.forEach((k, d) -> b.append(String.format("  --%-36s %s%n", k, d)));
        return b.toString();
    }
}
