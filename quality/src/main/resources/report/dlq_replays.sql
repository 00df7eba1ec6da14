-- What the DLQ replay made of the rejected records of the reported days, per original reason: the originals
-- replayed (a raw_events row carries their clicks.raw coordinate in replay_of_*), the raw rows of those replays
-- (more than one per original only if a replay was re-sent after a crash; dedup counts the event once) and the
-- records still parked. Each original offset stays one DLQ row and each replay is one raw row of its own offset,
-- so the offset accounting balances with replays in it. A replay whose original is in no dlq_events row is
-- listed under '(no DLQ row)': it should not exist.
WITH replays AS (
  SELECT replay_of_partition AS p, replay_of_offset AS o, count(*) AS copies
  FROM raw_events
  WHERE replay_of_offset IS NOT NULL
  GROUP BY replay_of_partition, replay_of_offset
), dlq AS (
  SELECT reason, kafka_partition, kafka_offset FROM dlq_events WHERE dt IN (${days})
)
SELECT d.reason AS reason,
       count(*) AS dlq_records,
       count(r.o) AS replayed,
       coalesce(sum(r.copies), 0) AS replay_raw_rows,
       count(*) - count(r.o) AS still_in_dlq
FROM dlq d
LEFT JOIN replays r ON r.p = d.kafka_partition AND r.o = d.kafka_offset
GROUP BY d.reason
UNION ALL
SELECT '(no DLQ row)', 0, count(*), coalesce(sum(r.copies), 0), 0
FROM replays r
LEFT JOIN (SELECT kafka_partition, kafka_offset FROM dlq_events) d ON d.kafka_partition = r.p AND d.kafka_offset = r.o
WHERE d.kafka_offset IS NULL
HAVING count(*) > 0
ORDER BY 2 DESC, 1
