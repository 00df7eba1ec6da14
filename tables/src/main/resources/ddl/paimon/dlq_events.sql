-- One row per record of clicks.raw that was rejected (its original bytes, reason and provenance go
-- to clicks.dlq as well). With raw_events it accounts for every offset of clicks.raw in SQL:
-- end - start = raw rows + dlq rows, per partition.
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
  'bucket' = '1',
  'merge-engine' = 'deduplicate',
  -- No changelog producer: nothing consumes this table's changes (docs/ARCHITECTURE.md, table topology).
  'changelog-producer' = 'none'
);
