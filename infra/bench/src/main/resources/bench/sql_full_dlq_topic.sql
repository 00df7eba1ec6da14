-- The dead-letter topic of sql-full, exactly once like our job's (the row, not the original bytes: the JSON format
-- does not keep them).
CREATE TEMPORARY TABLE clicks_dlq (
  kafka_partition INT,
  kafka_offset    BIGINT,
  reason          STRING
) WITH (
  'connector' = 'kafka',
  'topic' = '${topic}.dlq',
  'properties.bootstrap.servers' = '${bootstrap}',
  'properties.transaction.timeout.ms' = '600000',
  'format' = 'json',
  'sink.delivery-guarantee' = 'exactly-once',
  'sink.transactional-id-prefix' = '${group}-dlq'
)
