package io.clickstream.demo;

import java.util.TreeSet;

import io.clickstream.loadgen.ClickGenerator;
import io.clickstream.loadgen.GeneratedRecord;
import io.clickstream.loadgen.GroundTruth;
import io.clickstream.loadgen.LoadGenOptions;
import io.clickstream.loadgen.LoadProducer;
import io.clickstream.loadgen.TopicSetup;
import io.clickstream.streaming.StreamingOptions;
import io.clickstream.tables.Topics;
import org.apache.flink.configuration.Configuration;

/**
 * The demos' traffic: creates the topics (the cluster's default replication), produces the generated events with
 * every kind of trouble (the demo options: events, partitions, seed, v3 share, epoch-seconds producer) and computes
 * the ground truth on the way; keeps the records a DLQ repair can fix, for the replay step.
 */
record DemoTraffic(GroundTruth truth, TreeSet<String> days, long produced, java.util.List<GeneratedRecord> repairable) {

    static DemoTraffic produce(Configuration conf, String bootstrapServers, String step) {
        LoadGenOptions traffic = new LoadGenOptions();
        traffic.events = conf.get(StreamingOptions.DEMO_EVENTS);
        traffic.partitions = conf.get(StreamingOptions.DEMO_PARTITIONS);
        traffic.seed = conf.get(StreamingOptions.DEMO_SEED);
        traffic.v3Fraction = conf.get(StreamingOptions.DEMO_V3_FRACTION);
        traffic.epochSecondsFraction = conf.get(StreamingOptions.DEMO_EPOCH_SECONDS_FRACTION);
        traffic.bootstrapServers = bootstrapServers;
        TopicSetup.ensureTopics(bootstrapServers, traffic.partitions);
        GroundTruth truth = new GroundTruth(conf.get(StreamingOptions.WINDOW_SIZE), conf.get(StreamingOptions.SESSION_GAP),
            conf.get(StreamingOptions.OUT_OF_ORDERNESS), conf.get(StreamingOptions.ALLOWED_LATENESS));
        long t1 = System.nanoTime();
        System.out.printf("%s Producing %,d events (seed %d) to %s with %d partitions ...%n", step, traffic.events,
            traffic.seed, Topics.RAW, traffic.partitions);
        TreeSet<String> days = new TreeSet<>();
        java.util.List<GeneratedRecord> repairable = new java.util.ArrayList<>();
        long produced = LoadProducer.produce(traffic, new ClickGenerator(traffic), r -> {
            truth.add(r);
            days.add(GroundTruth.day(r.timestamp));
            if (r.repairsTo != null) {
                repairable.add(r);
            }
        });
        truth.distinctEvents.values().forEach(e -> days.add(GroundTruth.day(e.eventTime)));
        System.out.printf("      %,d records in %.1f s: %,d duplicates, %,d malformed, %,d beyond the allowed lateness%n",
            produced, (System.nanoTime() - t1) / 1e9, truth.duplicates, truth.dlqRecords(), truth.lateEventIds.size());
        return new DemoTraffic(truth, days, produced, repairable);
    }
}
