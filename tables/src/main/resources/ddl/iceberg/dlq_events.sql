-- Iceberg serving copy of dlq_events: append-only, exactly once through checkpoint-bound commits.
CREATE TABLE IF NOT EXISTS dlq_events (
  dt               STRING       NOT NULL COMMENT 'UTC day of kafka_timestamp, yyyy-MM-dd',
  kafka_partition  INT          NOT NULL COMMENT 'partition of clicks.raw',
  kafka_offset     BIGINT       NOT NULL COMMENT 'offset in clicks.raw',
  kafka_timestamp  TIMESTAMP(3) NOT NULL COMMENT 'Kafka record timestamp (UTC)',
  reason           STRING       NOT NULL COMMENT 'DLQ reason code (docs/TABLES.md)',
  detail           STRING       COMMENT 'human-readable cause',
  payload_bytes    INT          NOT NULL COMMENT 'size of the original value; the bytes are in clicks.dlq'
) PARTITIONED BY (dt) WITH (
  'format-version' = '2',
  'write.format.default' = 'parquet',
  'write.parquet.compression-codec' = 'zstd'
);
