-- One row per event_id. Flink drops re-sends with keyed state before this sink, so the stream is
-- insert-only and unique: the deduplicate merge engine is enough, and a
-- re-send that outlives the state's retention rewrites the same row (same event_id, same payload).
-- (first-row + lookup changelog was measured at ~19% of the job's CPU: docs/BENCHMARKS.md.)
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
  'bucket' = '2',
  'merge-engine' = 'deduplicate',
  -- No changelog producer: nothing consumes this table's changes (docs/ARCHITECTURE.md, table topology).
  'changelog-producer' = 'none'
);
