-- How late records arrive: Kafka (arrival) timestamp minus event time, in buckets.
SELECT bucket, count(*) AS records
FROM (
  SELECT CASE
           WHEN lateness_s < 5 THEN '0: < 5 s'
           WHEN lateness_s < 60 THEN '1: 5-60 s'
           WHEN lateness_s < 120 THEN '2: 1-2 min'
           WHEN lateness_s < 900 THEN '3: 2-15 min'
           WHEN lateness_s < 3600 THEN '4: 15-60 min'
           WHEN lateness_s < 7200 THEN '5: 1-2 h'
           ELSE '6: >= 2 h'
         END AS bucket
  FROM (SELECT date_diff('second', event_time, kafka_timestamp) AS lateness_s FROM raw_events WHERE dt IN (${days}))
)
GROUP BY bucket
ORDER BY bucket
