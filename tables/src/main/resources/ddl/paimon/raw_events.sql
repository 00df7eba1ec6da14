-- Immutable mirror of clicks.raw: every valid record (duplicates and late events included).
-- The primary key is the Kafka coordinate, so a replay after restore rewrites the same rows.
-- dt is the UTC day of the Kafka timestamp: reconciliation works per partition and ingest hour.
CREATE TABLE IF NOT EXISTS raw_events (
  dt               STRING       NOT NULL COMMENT 'UTC day of kafka_timestamp, yyyy-MM-dd',
  kafka_partition  INT          NOT NULL COMMENT 'partition of clicks.raw',
  kafka_offset     BIGINT       NOT NULL COMMENT 'offset in clicks.raw',
  kafka_timestamp  TIMESTAMP(3) NOT NULL COMMENT 'Kafka record timestamp (UTC)',
  event_id         STRING       NOT NULL,
  schema_version   INT          NOT NULL,
  event_type       STRING       NOT NULL,
  user_id          STRING       NOT NULL,
  page             STRING       NOT NULL,
  event_time       TIMESTAMP(3) NOT NULL COMMENT 'client event time (UTC)',
  referrer         STRING,
  device           STRING,
  country          STRING,
  PRIMARY KEY (dt, kafka_partition, kafka_offset) NOT ENFORCED
) PARTITIONED BY (dt) WITH (
  'bucket' = '2',
  'bucket-key' = 'kafka_offset',
  'merge-engine' = 'deduplicate',
  -- No changelog producer: nothing consumes this table's changes (docs/ARCHITECTURE.md, table topology).
  'changelog-producer' = 'none'
);
