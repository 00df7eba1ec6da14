-- Offset accounting per partition of clicks.raw and Kafka-timestamp hour: expected records (Kafka
-- offsets) against raw_events + dlq_events rows in that offset range. unexplained must be 0.
CREATE TABLE IF NOT EXISTS ${table} (
  dt               STRING    NOT NULL COMMENT 'UTC day of hour_start',
  hour_start       TIMESTAMP_NTZ NOT NULL COMMENT 'Kafka-timestamp hour (UTC)',
  kafka_partition  INT       NOT NULL,
  start_offset     BIGINT    NOT NULL COMMENT 'first offset with a timestamp in the hour (Kafka offsetsForTimes)',
  end_offset       BIGINT    NOT NULL COMMENT 'first offset of the next hour',
  expected_records BIGINT    NOT NULL COMMENT 'end_offset - start_offset',
  raw_rows         BIGINT    NOT NULL,
  dlq_rows         BIGINT    NOT NULL,
  unexplained      BIGINT    NOT NULL COMMENT 'expected - raw - dlq: records lost (> 0) or counted twice (< 0)',
  duplicate_rows   BIGINT    NOT NULL COMMENT 'raw rows repeating an event_id seen earlier in the same range',
  late_events      BIGINT    NOT NULL COMMENT 'raw rows of events that arrived beyond the allowed lateness',
  status           STRING    NOT NULL COMMENT 'OK, MISSING (unexplained > 0) or EXTRA (unexplained < 0)'
) USING iceberg
PARTITIONED BY (dt)
TBLPROPERTIES ('format-version' = '2')
