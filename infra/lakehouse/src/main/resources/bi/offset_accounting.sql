-- Every offset of clicks.raw is a raw row or a DLQ row: per partition, missing must be 0.
SELECT kafka_partition,
       min(kafka_offset) AS first_offset,
       max(kafka_offset) + 1 AS end_offset,
       count(*) AS records,
       max(kafka_offset) + 1 - min(kafka_offset) - count(*) AS missing
FROM (
  SELECT kafka_partition, kafka_offset FROM raw_events
  UNION ALL
  SELECT kafka_partition, kafka_offset FROM dlq_events
)
GROUP BY kafka_partition
ORDER BY kafka_partition
