package io.clickstream.loadgen;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import io.clickstream.tables.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the pipeline's topics if they are missing.
 *
 * <p>{@code clicks.raw} keeps producer timestamps (CreateTime) because they are the arrival times the
 * pipeline reasons about; the side topics use LogAppendTime so that retention counts from when a
 * record landed, not from its (possibly hours old) event time. Retention is unlimited here because
 * the local stack replays simulated traffic with timestamps in the past; production sets it per topic.
 * Replication and {@code min.insync.replicas} are the cluster's defaults: 1 on the single embedded broker,
 * 3 and 2 on the cluster of {@code infra/bin/cluster.sh}.
 */
public final class TopicSetup {
    private TopicSetup() {}

    public static void ensureTopics(String bootstrapServers, int rawPartitions) {
        ensureTopics(bootstrapServers, rawPartitions, Topics.RAW, Topics.LATE, Topics.DLQ);
    }

    /** Waits until every partition of the topics has a leader and all its replicas in sync (a new topic's followers lag). */
    static void awaitFullIsr(Admin admin, List<String> topics, Duration timeout) throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                boolean complete = admin.describeTopics(topics).allTopicNames().get().values().stream()
                    .flatMap(d -> d.partitions().stream())
                    .allMatch(tp -> tp.leader() != null && tp.isr().size() == tp.replicas().size());
                if (complete) {
                    return;
                }
            } catch (ExecutionException e) {
                // A topic just created is not yet in every broker's metadata.
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics " + topics + " have partitions without a complete ISR after " + timeout);
            }
            Thread.sleep(100);
        }
    }

    /** Same, with other topic names (tests isolate their runs by topic). */
    public static void ensureTopics(String bootstrapServers, int rawPartitions, String raw, String late, String dlq) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> create = new ArrayList<>();
            if (!existing.contains(raw)) {
                create.add(new NewTopic(raw, Optional.of(rawPartitions), Optional.empty())
                    .configs(Map.of("message.timestamp.type", "CreateTime", "retention.ms", "-1",
                        "max.message.bytes", String.valueOf(Topics.MAX_RECORD_BYTES))));
            }
            for (String side : List.of(late, dlq)) {
                if (!existing.contains(side)) {
                    create.add(new NewTopic(side, Optional.of(1), Optional.empty())
                        .configs(Map.of("message.timestamp.type", "LogAppendTime", "retention.ms", "-1",
                            "max.message.bytes", String.valueOf(Topics.MAX_RECORD_BYTES))));
                }
            }
            if (!create.isEmpty()) {
                admin.createTopics(create).all().get();
            }
            awaitFullIsr(admin, List.of(raw, late, dlq), Duration.ofSeconds(60));
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("creating topics failed", e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
