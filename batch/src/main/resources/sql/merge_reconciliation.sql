-- Absolute per (hour, partition): a re-run over the same hours rewrites nothing that is unchanged.
MERGE INTO ${reconciliation} t
USING reconciliation_rows s
ON t.dt = s.dt AND t.hour_start = s.hour_start AND t.kafka_partition = s.kafka_partition
WHEN MATCHED AND (t.start_offset <> s.start_offset OR t.end_offset <> s.end_offset OR t.raw_rows <> s.raw_rows
                  OR t.dlq_rows <> s.dlq_rows OR t.duplicate_rows <> s.duplicate_rows OR t.late_events <> s.late_events)
  THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *
