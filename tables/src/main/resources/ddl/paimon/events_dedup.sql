-- One row per event_id. Flink already drops re-sends with keyed state; the first-row merge engine
-- keeps the table correct even for a duplicate that outlives that state's retention.
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
  PRIMARY KEY (dt, event_id) NOT ENFORCED
) PARTITIONED BY (dt) WITH (
  'bucket' = '2',
  'merge-engine' = 'first-row',
  'changelog-producer' = 'lookup'
);
