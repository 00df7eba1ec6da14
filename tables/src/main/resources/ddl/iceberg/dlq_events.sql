-- Iceberg serving copy of dlq_events, upserted on the Kafka coordinate: replays rewrite the same rows.
CREATE TABLE IF NOT EXISTS dlq_events (
  dt               STRING       NOT NULL COMMENT 'UTC day of kafka_timestamp, yyyy-MM-dd',
  kafka_partition  INT          NOT NULL COMMENT 'partition of clicks.raw',
  kafka_offset     BIGINT       NOT NULL COMMENT 'offset in clicks.raw',
  kafka_timestamp  TIMESTAMP(3) NOT NULL COMMENT 'Kafka record timestamp (UTC)',
  reason           STRING       NOT NULL COMMENT 'DLQ reason code (docs/TABLES.md)',
  detail           STRING       COMMENT 'human-readable cause',
  payload_bytes    INT          NOT NULL COMMENT 'size of the original value; the bytes are in clicks.dlq',
  PRIMARY KEY (dt, kafka_partition, kafka_offset) NOT ENFORCED
) PARTITIONED BY (dt) WITH (
  'format-version' = '2',
  'write.upsert.enabled' = 'true',
  'write.format.default' = 'parquet',
  'write.parquet.compression-codec' = 'zstd'
);
