-- How long sessions last (first to last event), in buckets.
SELECT bucket,
       count(*) AS sessions,
       sum(events) AS events
FROM (
  SELECT CASE
           WHEN duration_ms < 60000 THEN '1: < 1 min'
           WHEN duration_ms < 300000 THEN '2: 1-5 min'
           WHEN duration_ms < 900000 THEN '3: 5-15 min'
           WHEN duration_ms < 1800000 THEN '4: 15-30 min'
           ELSE '5: >= 30 min'
         END AS bucket,
         events
  FROM sessions
)
GROUP BY bucket
ORDER BY bucket
