package io.clickstream.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.clickstream.tables.DlqReason;
import io.clickstream.tables.EventType;
import org.junit.jupiter.api.Test;

class ClickGeneratorTest {
    /** Monday 2026-01-05 08:00 UTC. */
    private static final Instant MONDAY_8AM = Instant.parse("2026-01-05T08:00:00Z");

    private static LoadGenOptions options() {
        LoadGenOptions o = new LoadGenOptions();
        o.events = 4_000;
        o.seed = 11;
        o.users = 150;
        o.pages = 40;
        o.start = MONDAY_8AM;
        o.eventsPerSecond = 2;
        o.veryLateFraction = 0.02;
        o.veryLateMin = Duration.ofMinutes(20);
        o.veryLateMax = Duration.ofMinutes(40);
        o.malformedFraction = 0.05;
        return o;
    }

    @Test
    void sameOptionsGiveTheSameRecords() {
        List<GeneratedRecord> a = ClickGenerator.generateAll(options());
        List<GeneratedRecord> b = ClickGenerator.generateAll(options());
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).value).isEqualTo(a.get(i).value);
            assertThat(b.get(i).partition).isEqualTo(a.get(i).partition);
            assertThat(b.get(i).timestamp).isEqualTo(a.get(i).timestamp);
        }
    }

    @Test
    void recordsComeInArrivalOrderWithEveryKindOfTrouble() {
        List<GeneratedRecord> records = ClickGenerator.generateAll(options());
        long events = records.stream().filter(r -> r.kind == GeneratedRecord.Kind.EVENT).count();
        assertThat(events).isEqualTo(4_000);
        for (int i = 1; i < records.size(); i++) {
            assertThat(records.get(i).timestamp).isGreaterThanOrEqualTo(records.get(i - 1).timestamp);
        }
        Set<DlqReason> reasons = EnumSet.noneOf(DlqReason.class);
        Set<GeneratedRecord.Delay> delays = EnumSet.noneOf(GeneratedRecord.Delay.class);
        boolean crossPartitionDuplicate = false;
        Map<String, Integer> partitionOfEvent = new HashMap<>();
        for (GeneratedRecord r : records) {
            if (r.kind == GeneratedRecord.Kind.MALFORMED) {
                reasons.add(r.expectedReason);
                continue;
            }
            delays.add(r.delay);
            assertThat(r.timestamp - r.event.eventTime).as("arrival never precedes the event").isNotNegative();
            if (r.delay == GeneratedRecord.Delay.VERY_LATE) {
                assertThat(r.timestamp - r.event.eventTime).isBetween(Duration.ofMinutes(20).toMillis(), Duration.ofMinutes(40).toMillis());
            }
            Integer p = partitionOfEvent.putIfAbsent(r.event.eventId, r.partition);
            if (r.kind == GeneratedRecord.Kind.DUPLICATE && p != null && p != r.partition) {
                crossPartitionDuplicate = true;
            }
        }
        assertThat(reasons).containsExactlyInAnyOrder(DlqReason.values());
        assertThat(delays).containsExactlyInAnyOrder(GeneratedRecord.Delay.values());
        assertThat(crossPartitionDuplicate).isTrue();
    }

    @Test
    void aUsersSessionsAreClearlySeparated() {
        Map<String, Long> last = new HashMap<>();
        ClickGenerator.generateAll(options()).stream()
            .filter(r -> r.kind == GeneratedRecord.Kind.EVENT)
            .sorted((x, y) -> Long.compare(x.event.eventTime, y.event.eventTime))
            .forEach(r -> {
                Long prev = last.put(r.event.userId, r.event.eventTime);
                if (prev != null) {
                    long gap = r.event.eventTime - prev;
                    assertThat(gap < Duration.ofMinutes(20).toMillis() || gap >= Duration.ofMinutes(31).toMillis())
                        .as("gap of %d ms between events of %s", gap, r.event.userId).isTrue();
                }
            });
    }

    @Test
    void keyedRecordsUseKafkasDefaultPartitioner() {
        ClickGenerator g = new ClickGenerator(options());
        // murmur2("u-42") as computed by Kafka's BuiltInPartitioner for 4 partitions.
        assertThat(g.partitionOf("u-42")).isEqualTo(org.apache.kafka.common.utils.Utils.toPositive(
            org.apache.kafka.common.utils.Utils.murmur2("u-42".getBytes(java.nio.charset.StandardCharsets.UTF_8))) % 4);
        assertThat(EventType.fromWire("purchase")).contains(EventType.PURCHASE);
    }

    @Test
    void v3AndEpochSecondsTrafficParsesAsMeantAndIsRepairable() {
        LoadGenOptions o = options();
        o.v3Fraction = 0.25;
        o.epochSecondsFraction = 0.01;
        io.clickstream.tables.ClickEventParser parser = new io.clickstream.tables.ClickEventParser(32 * 1024, 600_000);
        Map<String, Long> campaigns = new java.util.TreeMap<>();
        int repairable = 0;
        for (GeneratedRecord r : ClickGenerator.generateAll(o)) {
            io.clickstream.tables.ClickEventParser.Result parsed = parser.parse(r.value, r.timestamp);
            if (r.kind != GeneratedRecord.Kind.MALFORMED) {
                assertThat(parsed.event).as("%s", r.event).isEqualTo(r.event);
                if (r.event.schemaVersion == 3) {
                    campaigns.merge(String.valueOf(r.event.campaign), 1L, Long::sum);
                }
            } else if (r.repairsTo != null) {
                repairable++;
                assertThat(parsed.reason).isEqualTo(DlqReason.INVALID_VALUE);
                byte[] repaired = io.clickstream.tables.DlqRepair.EPOCH_SECONDS_TO_MS.apply(r.value);
                assertThat(parser.parse(repaired, r.timestamp).event).isEqualTo(r.repairsTo);
                assertThat(r.partition).isEqualTo(new ClickGenerator(o).partitionOf(r.key));
            }
        }
        assertThat(campaigns.keySet()).containsExactly("autumn-sale", "newsletter-12", "null", "spring-sale");
        assertThat(repairable).isBetween(20, 60);

        LoadGenOptions off = options();
        assertThat(ClickGenerator.generateAll(off)).as("without the options, no v3 and no repairable record")
            .allMatch(r -> r.repairsTo == null && (r.event == null || r.event.schemaVersion < 3));
    }
}
