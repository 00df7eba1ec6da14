-- Iceberg serving copy of events_dedup: one row per event_id, late events included. Append-only:
-- Flink's keyed dedup state makes the stream unique, so the batch jobs recompute aggregates from here.
CREATE TABLE IF NOT EXISTS events_dedup (
  dt               STRING       NOT NULL COMMENT 'UTC day of event_time, yyyy-MM-dd',
  event_id         STRING       NOT NULL,
  schema_version   INT          NOT NULL,
  event_type       STRING       NOT NULL,
  user_id          STRING       NOT NULL,
  page             STRING       NOT NULL,
  event_time       TIMESTAMP(3) NOT NULL COMMENT 'client event time (UTC)',
  referrer         STRING,
  device           STRING,
  country          STRING,
  late             BOOLEAN      NOT NULL COMMENT 'arrived beyond the allowed lateness: routed to clicks.late, not in the streaming aggregates'
) PARTITIONED BY (dt) WITH (
  'format-version' = '2',
  'write.format.default' = 'parquet',
  'write.parquet.compression-codec' = 'zstd'
);
