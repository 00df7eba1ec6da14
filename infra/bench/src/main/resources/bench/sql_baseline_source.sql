-- The baseline a user would write instead of our job: plain Flink SQL over the same topic.
-- Malformed records are skipped by the JSON format (json.ignore-parse-errors) instead of dead-lettered.
CREATE TEMPORARY TABLE clicks_raw (
  event_id    STRING,
  event_type  STRING,
  user_id     STRING,
  page        STRING,
  event_time  BIGINT,
  ts AS TO_TIMESTAMP_LTZ(COALESCE(event_time, 0), 3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = '${topic}',
  'properties.bootstrap.servers' = '${bootstrap}',
  'properties.group.id' = '${group}',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true',
  'json.fail-on-missing-field' = 'false'
);
