-- sql-full: the source of the same tables as our job, written in plain Flink SQL (issue 15). Kafka JSON with the
-- record's coordinates as metadata; a malformed record becomes a row of NULL fields (json.ignore-parse-errors), which
-- is as close to a dead-letter route as the JSON format allows (its bytes and exact reason are lost).
CREATE TEMPORARY TABLE clicks_raw (
  schema_version  INT,
  event_id        STRING,
  event_type      STRING,
  user_id         STRING,
  page            STRING,
  event_time      BIGINT,
  referrer        STRING,
  device          STRING,
  country         STRING,
  campaign        STRING,
  experiment_id   STRING,
  properties      MAP<STRING, STRING>,
  kafka_partition INT            METADATA FROM 'partition' VIRTUAL,
  kafka_offset    BIGINT         METADATA FROM 'offset' VIRTUAL,
  kafka_ts        TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
  ts AS CAST(TO_TIMESTAMP_LTZ(COALESCE(event_time, 0), 3) AS TIMESTAMP(3)),
  proc AS PROCTIME(),
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
)
