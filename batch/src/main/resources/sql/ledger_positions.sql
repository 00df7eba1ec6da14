-- Where the next correction run starts: the end of the last applied range, per partition.
SELECT kafka_partition, max(end_offset) AS next_offset
FROM ${correction_ledger}
WHERE topic = '${topic}'
GROUP BY kafka_partition
