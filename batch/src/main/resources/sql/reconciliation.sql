-- Offset accounting per raw partition and hour: Kafka's offset range of the hour against the raw and
-- DLQ rows whose offsets fall in it (by offset, not by timestamp, so it is exact).
WITH raw AS (
  SELECT r.hour_start, r.kafka_partition,
         count(*) AS raw_rows,
         count(*) - count(DISTINCT e.event_id) AS duplicate_rows,
         count(d.event_id) AS late_events
  FROM offset_ranges r
  JOIN ${raw_events} e
    ON e.kafka_partition = r.kafka_partition AND e.kafka_offset >= r.start_offset AND e.kafka_offset < r.end_offset
  LEFT JOIN (SELECT DISTINCT event_id FROM ${events_dedup} WHERE late AND dt IN (${event_dts})) d ON d.event_id = e.event_id
  WHERE e.dt IN (${dts})
  GROUP BY r.hour_start, r.kafka_partition
), dlq AS (
  SELECT r.hour_start, r.kafka_partition, count(*) AS dlq_rows
  FROM offset_ranges r
  JOIN ${dlq_events} q
    ON q.kafka_partition = r.kafka_partition AND q.kafka_offset >= r.start_offset AND q.kafka_offset < r.end_offset
  WHERE q.dt IN (${dts})
  GROUP BY r.hour_start, r.kafka_partition
), joined AS (
  SELECT r.dt, r.hour_start, r.kafka_partition, r.start_offset, r.end_offset,
         r.end_offset - r.start_offset AS expected_records,
         coalesce(raw.raw_rows, 0) AS raw_rows,
         coalesce(dlq.dlq_rows, 0) AS dlq_rows,
         coalesce(raw.duplicate_rows, 0) AS duplicate_rows,
         coalesce(raw.late_events, 0) AS late_events
  FROM offset_ranges r
  LEFT JOIN raw ON raw.hour_start = r.hour_start AND raw.kafka_partition = r.kafka_partition
  LEFT JOIN dlq ON dlq.hour_start = r.hour_start AND dlq.kafka_partition = r.kafka_partition
)
SELECT dt, hour_start, kafka_partition, start_offset, end_offset, expected_records, raw_rows, dlq_rows,
       expected_records - raw_rows - dlq_rows AS unexplained,
       duplicate_rows, late_events,
       CASE WHEN expected_records - raw_rows - dlq_rows = 0 THEN 'OK'
            WHEN expected_records - raw_rows - dlq_rows > 0 THEN 'MISSING'
            ELSE 'EXTRA' END AS status
FROM joined
WHERE expected_records > 0 OR raw_rows > 0 OR dlq_rows > 0
