-- Records the applied ranges; keyed by (topic, partition, start), so a re-run adds nothing.
MERGE INTO ${correction_ledger} t
USING ledger_rows s
ON t.topic = s.topic AND t.kafka_partition = s.kafka_partition AND t.start_offset = s.start_offset
WHEN MATCHED AND t.end_offset <> s.end_offset THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *
