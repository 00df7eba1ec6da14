package io.clickstream.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Rolling out event schema v3 without a coordinated restart, on the real job and broker: the job runs on
 * v1/v2 traffic, is stopped with a savepoint, the migration command runs (the tables already carry the v3
 * columns: the job migrates them when it starts, so the command finds nothing to do), the job resumes from
 * the savepoint and producers send v3 mixed with v1/v2 and a v4 event. Every valid event is in the tables
 * once, the v1/v2 rows read NULL in the new columns, a query can group by {@code campaign}, and v4 goes to
 * the DLQ with {@code UNKNOWN_SCHEMA_VERSION}. Expected values are written out from the produced records.
 */
class SchemaRolloutITCase extends BrokerTestBase {
    private static final long T0 = Instant.parse("2026-01-05T08:00:00Z").toEpochMilli();

    private static String event(int version, String id, long eventTime, String v3Fields) {
        return "{\"schema_version\":" + version + ",\"event_id\":\"" + id + "\",\"event_type\":\"page_view\",\"user_id\":\"u-" + id
            + "\",\"page\":\"/p\",\"event_time\":" + eventTime + v3Fields + "}";
    }

    private final Map<String, String> produced = new TreeMap<>();

    private void produce(PipelineFixture f, List<String> values) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < values.size(); i++) {
                int partition = i % 2;
                producer.send(new ProducerRecord<>(f.rawTopic, partition, T0, ("k" + i).getBytes(StandardCharsets.UTF_8),
                    values.get(i).getBytes(StandardCharsets.UTF_8)));
                produced.merge(Integer.toString(partition), "1", (a, b) -> Long.toString(Long.parseLong(a) + 1));
            }
            producer.flush();
        }
    }

    private static JobClient start(Configuration conf) throws Exception {
        return ClickstreamJob.start(ClickstreamJob.environment(conf), conf, s -> s);
    }

    private String stopOnceCheckpointed(PipelineFixture f, JobClient job, boolean drain) throws Exception {
        StreamingRestartITCase.awaitCondition("a checkpoint covering every offset " + produced, Duration.ofSeconds(120),
            () -> f.committedOffsets().equals(produced));
        String savepoint = job.stopWithSavepoint(drain, f.dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
            .get(2, TimeUnit.MINUTES);
        job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
        return savepoint;
    }

    @Test
    void v3RollsOutThroughASavepointWithNothingLost() throws Exception {
        PipelineFixture f = new PipelineFixture("rollout", broker.bootstrapServers(), tmp, o -> o.partitions = 2);
        produce(f, List.of(
            event(1, "a1", T0 - 1000, ""),
            event(2, "a2", T0 - 2000, ",\"device\":\"tv\""),
            event(1, "a3", T0 - 3000, ",\"campaign\":\"ignored-in-v1\""),
            event(2, "a4", T0 - 4000, "")));
        Configuration conf = f.jobConfiguration();
        String savepoint = stopOnceCheckpointed(f, start(conf), false);

        Configuration migration = new Configuration();
        migration.set(StreamingOptions.WAREHOUSE, f.warehouse());
        migration.set(StreamingOptions.SERVING_ENABLED, false);
        assertThat(SchemaMigrationCommand.run(migration)).as("the job migrated its tables when it started").isEmpty();

        produce(f, List.of(
            event(3, "b1", T0 - 500, ",\"campaign\":\"spring\",\"experiment_id\":\"exp-7:b\",\"properties\":{\"color\":\"red\"}"),
            event(2, "b2", T0 - 600, ""),
            event(3, "b3", T0 - 700, ",\"campaign\":\"spring\""),
            event(1, "b4", T0 - 800, ""),
            event(3, "b5", T0 - 900, ",\"campaign\":\"autumn\",\"properties\":{}"),
            event(4, "b6", T0 - 1000, ",\"campaign\":\"future\"")));
        Configuration resumed = f.jobConfiguration();
        resumed.setString("execution.state-recovery.path", savepoint);
        stopOnceCheckpointed(f, start(resumed), true);

        try (LakeReader lake = new LakeReader(f.warehouse(), StreamingOptions.DATABASE.defaultValue())) {
            List<String> dedup = new ArrayList<>();
            Map<String, Long> byCampaign = new TreeMap<>();
            for (Map<String, Object> row : lake.readAll("events_dedup")) {
                dedup.add(row.get("event_id") + " v" + row.get("schema_version") + " " + row.get("campaign") + " "
                    + row.get("experiment_id") + " " + row.get("properties"));
                byCampaign.merge(String.valueOf(row.get("campaign")), 1L, Long::sum);
            }
            dedup.sort(null);
            assertThat(dedup).containsExactly(
                "a1 v1 null null null", "a2 v2 null null null", "a3 v1 null null null", "a4 v2 null null null",
                "b1 v3 spring exp-7:b {color=red}", "b2 v2 null null null", "b3 v3 spring null null",
                "b4 v1 null null null", "b5 v3 autumn null {}");
            assertThat(byCampaign).as("grouped by the new column").isEqualTo(Map.of("null", 6L, "spring", 2L, "autumn", 1L));
            assertThat(lake.readAll("raw_events")).hasSize(9);
            List<Map<String, Object>> dlq = lake.readAll("dlq_events");
            assertThat(dlq).hasSize(1);
            assertThat(dlq.get(0).get("reason")).isEqualTo("UNKNOWN_SCHEMA_VERSION");
        }
    }
}
