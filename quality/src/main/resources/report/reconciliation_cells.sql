-- One cell per (hour, partition) for the reconciliation grid.
SELECT format_datetime(hour_start, 'yyyy-MM-dd HH:00') AS hour, kafka_partition, expected_records, raw_rows, dlq_rows,
       unexplained, duplicate_rows, late_events, status
FROM reconciliation
WHERE dt IN (${days})
ORDER BY hour_start, kafka_partition
