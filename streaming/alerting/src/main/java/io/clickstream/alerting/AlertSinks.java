package io.clickstream.alerting;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import io.clickstream.infra.lakehouse.ServingCatalog;
import io.clickstream.tables.AlertingTable;
import io.clickstream.tables.Topics;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamStatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.runtime.typeutils.ExternalTypeInfo;
import org.apache.flink.table.types.DataType;
import org.apache.flink.types.Row;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The three alert channels; each rule's {@code channel} picks one. {@code kafka}: an exactly-once
 * (transactional) KafkaSink to {@code clicks.alerts}, keyed by the alert id. {@code iceberg}: the
 * {@code alerts} table of the serving catalog ({@link AlertingTable}), upserted on the alert id and
 * committed on checkpoints, as the stream job writes its serving tables. {@code webhook}: {@link WebhookSink}.
 */
public final class AlertSinks {
    private AlertSinks() {}

    /** Attaches every channel's sink to {@code alerts}; the Iceberg one only if serving is enabled. */
    public static void attach(DataStream<Alert> alerts, Configuration conf) {
        alerts.filter(a -> "kafka".equals(a.channel)).name("channel-kafka").uid("channel-kafka")
            .sinkTo(kafka(conf)).name(Topics.ALERTS).uid("sink-alerts-kafka");
        alerts.filter(a -> "webhook".equals(a.channel)).name("channel-webhook").uid("channel-webhook")
            .sinkTo(new WebhookSink(conf)).name("webhook").uid("sink-alerts-webhook");
        if (conf.get(AlertingOptions.SERVING_ENABLED)) {
            iceberg(StreamTableEnvironment.create(alerts.getExecutionEnvironment()),
                alerts.filter(a -> "iceberg".equals(a.channel)).name("channel-iceberg").uid("channel-iceberg"), conf);
        }
    }

    public static KafkaSink<Alert> kafka(Configuration conf) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(conf.get(AlertingOptions.TRANSACTION_TIMEOUT).toMillis()));
        String topic = conf.get(AlertingOptions.ALERTS_TOPIC);
        return KafkaSink.<Alert>builder()
            .setBootstrapServers(conf.get(AlertingOptions.KAFKA_BOOTSTRAP))
            .setRecordSerializer((KafkaRecordSerializationSchema<Alert>) (a, context, timestamp) -> new ProducerRecord<>(topic, null,
                a.emittedAt, a.alertId.getBytes(StandardCharsets.UTF_8), a.toJson().getBytes(StandardCharsets.UTF_8)))
            .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
            .setTransactionalIdPrefix(conf.get(AlertingOptions.TRANSACTIONAL_ID_PREFIX))
            .setKafkaProducerConfig(p)
            .build();
    }

    /** Creates the serving catalog's alerts table if missing and inserts the stream into it. */
    static void iceberg(StreamTableEnvironment tEnv, DataStream<Alert> alerts, Configuration conf) {
        ServingCatalog catalog = AlertingOptions.servingCatalog(conf);
        // Iceberg's Sink V2 implementation, as the stream job uses (its committables need no Kryo).
        tEnv.getConfig().set("table.exec.iceberg.use-v2-sink", "true");
        Map<String, String> props = new LinkedHashMap<>(catalog.icebergProperties());
        props.put("type", "iceberg");
        String name = quote(catalog.catalogName());
        tEnv.executeSql("CREATE CATALOG " + name + " WITH (" + props.entrySet().stream().sorted(Map.Entry.comparingByKey())
            .map(e -> "'" + e.getKey() + "' = '" + e.getValue().replace("'", "''") + "'").collect(Collectors.joining(", ")) + ")");
        tEnv.executeSql("CREATE DATABASE IF NOT EXISTS " + name + "." + quote(catalog.namespace()));
        String previousCatalog = tEnv.getCurrentCatalog();
        String previousDb = tEnv.getCurrentDatabase();
        tEnv.useCatalog(catalog.catalogName());
        tEnv.useDatabase(catalog.namespace());
        tEnv.executeSql(AlertingTable.ALERTS.icebergDdl());
        String table = name + "." + quote(catalog.namespace()) + "." + quote(AlertingTable.ALERTS.tableName());
        DataType rowType = tEnv.from(table).getResolvedSchema().toPhysicalRowDataType();
        tEnv.useCatalog(previousCatalog);
        tEnv.useDatabase(previousDb);
        DataStream<Row> rows = alerts.map(AlertSinks::row).returns(ExternalTypeInfo.of(rowType)).name("to-row-alerts").uid("to-row-alerts");
        Table t = tEnv.fromDataStream(rows);
        StreamStatementSet set = tEnv.createStatementSet();
        set.add(t.insertInto(table));
        set.attachAsDataStream();
    }

    /** An alert as a row of {@code alerts}, in the DDL's column order. */
    static Row row(Alert a) {
        return Row.of(Instant.ofEpochMilli(a.windowEnd).atOffset(ZoneOffset.UTC).toLocalDate().toString(), a.alertId, a.ruleId,
            a.ruleVersion, a.ruleName, a.metric, a.condition, a.threshold, a.state, utc(a.windowStart), utc(a.windowEnd), a.value,
            Double.isNaN(a.score) ? null : a.score, a.evidence, utc(a.emittedAt));
    }

    private static LocalDateTime utc(long epochMs) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(epochMs, 1000), (int) Math.floorMod(epochMs, 1000) * 1_000_000, ZoneOffset.UTC);
    }

    private static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
