package io.clickstream.streaming;

import java.time.Duration;
import java.time.Instant;

import io.clickstream.loadgen.LoadGenOptions;

/**
 * Named, fixed test traffic. Chosen so that every lateness decision has a wide margin: events are
 * one simulated second apart, "slightly late" ones arrive at most 90 s late (well inside the 2-minute
 * allowed lateness) and "very late" ones 25 to 40 minutes late (far beyond it), so the verdicts do
 * not depend on how the broker interleaves partitions.
 */
final class TestTraffic {
    /** Monday 2026-01-05 08:00 UTC: the first event of every test. */
    static final Instant MONDAY_8AM = Instant.parse("2026-01-05T08:00:00Z");

    static LoadGenOptions small(String bootstrap, String rawTopic) {
        LoadGenOptions o = new LoadGenOptions();
        o.events = 3_000;
        o.seed = 7;
        o.users = 120;
        o.pages = 25;
        o.partitions = 4;
        o.start = MONDAY_8AM;
        o.eventsPerSecond = 1;
        o.duplicateFraction = 0.05;
        o.crossPartitionDuplicateFraction = 0.4;
        o.outOfOrderFraction = 0.1;
        o.slightlyLateFraction = 0.03;
        o.veryLateFraction = 0.03;
        o.veryLateMin = Duration.ofMinutes(25);
        o.veryLateMax = Duration.ofMinutes(40);
        o.malformedFraction = 0.03;
        o.v2Fraction = 0.3;
        o.bootstrapServers = bootstrap;
        o.topic = rawTopic;
        return o;
    }

    private TestTraffic() {}
}
