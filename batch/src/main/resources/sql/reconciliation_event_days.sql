-- The event days (events_dedup partitions) of the raw records in the reconciled offset ranges: a late
-- event can be any number of days old, so the late_events join must read exactly these partitions.
SELECT DISTINCT date_format(e.event_time, 'yyyy-MM-dd') AS event_dt
FROM offset_ranges r
JOIN ${raw_events} e
  ON e.kafka_partition = r.kafka_partition AND e.kafka_offset >= r.start_offset AND e.kafka_offset < r.end_offset
WHERE e.dt IN (${dts})
