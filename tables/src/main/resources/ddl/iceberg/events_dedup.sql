-- Iceberg serving copy of events_dedup: one row per event_id, late events included. Upserted on the
-- event id: Flink's keyed dedup state makes one run's stream unique, and the identifier fields make a
-- replay (fresh state) or a re-send after the state's retention rewrite the row instead of adding one,
-- so the batch jobs that recompute aggregates from here count every event once.
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
  late             BOOLEAN      NOT NULL COMMENT 'arrived beyond the allowed lateness: routed to clicks.late, not in the streaming aggregates',
  PRIMARY KEY (dt, event_id) NOT ENFORCED
) PARTITIONED BY (dt) WITH (
  'format-version' = '2',
  'write.upsert.enabled' = 'true',
  'write.format.default' = 'parquet',
  'write.parquet.compression-codec' = 'zstd'
);
