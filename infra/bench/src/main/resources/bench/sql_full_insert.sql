-- The INSERTs of sql-full into ${target} (the Paimon database, then the Iceberg serving namespace); one per table,
-- separated by a line holding only ';'. Lateness routing, early firings, HLL sketches and revisions are not in SQL.
INSERT INTO ${target}.raw_events
SELECT DATE_FORMAT(CAST(kafka_ts AS TIMESTAMP(3)), 'yyyy-MM-dd'), kafka_partition, kafka_offset, CAST(kafka_ts AS TIMESTAMP(3)),
       event_id, schema_version, event_type, user_id, page, ts, referrer, device, country, campaign, experiment_id, properties,
       CAST(NULL AS INT), CAST(NULL AS BIGINT)
FROM valid_events
;
INSERT INTO ${target}.dlq_events
SELECT DATE_FORMAT(CAST(kafka_ts AS TIMESTAMP(3)), 'yyyy-MM-dd'), kafka_partition, kafka_offset, CAST(kafka_ts AS TIMESTAMP(3)),
       reason, CAST(NULL AS STRING), 0
FROM rejected
;
INSERT INTO ${target}.events_dedup
SELECT DATE_FORMAT(ts, 'yyyy-MM-dd'), event_id, schema_version, event_type, user_id, page, ts, referrer, device, country, FALSE,
       campaign, experiment_id, properties
FROM deduped
;
INSERT INTO ${target}.page_minute_agg
SELECT DATE_FORMAT(window_start, 'yyyy-MM-dd'), window_start, page, COUNT(*),
       COUNT(*) FILTER (WHERE event_type = 'page_view'), COUNT(*) FILTER (WHERE event_type = 'click'),
       COUNT(*) FILTER (WHERE event_type = 'add_to_cart'), COUNT(*) FILTER (WHERE event_type = 'checkout'),
       COUNT(*) FILTER (WHERE event_type = 'purchase'), COUNT(DISTINCT user_id),
       COUNT(DISTINCT user_id) FILTER (WHERE event_type = 'page_view'), ENCODE('', 'UTF-8'), COUNT(*), 'final',
       CAST(NULL AS STRING)
FROM TABLE(TUMBLE(TABLE deduped, DESCRIPTOR(ts), INTERVAL '1' MINUTES))
GROUP BY window_start, window_end, page
;
INSERT INTO ${target}.sessions SELECT * FROM session_rows
;
INSERT INTO ${target}.funnel_daily
SELECT dt, 1, 'page_view', CAST(s1 AS BIGINT), CAST(s1 AS BIGINT), CAST(CASE WHEN s1 > 0 THEN 1 ELSE 0 END AS DOUBLE), n, 'provisional', CAST(NULL AS STRING) FROM funnel_counts
UNION ALL
SELECT dt, 2, 'add_to_cart', CAST(s2 AS BIGINT), CAST(s1 AS BIGINT), CASE WHEN s1 > 0 THEN CAST(s2 AS DOUBLE) / s1 ELSE CAST(0 AS DOUBLE) END, n, 'provisional', CAST(NULL AS STRING) FROM funnel_counts
UNION ALL
SELECT dt, 3, 'checkout', CAST(s3 AS BIGINT), CAST(s1 AS BIGINT), CASE WHEN s1 > 0 THEN CAST(s3 AS DOUBLE) / s1 ELSE CAST(0 AS DOUBLE) END, n, 'provisional', CAST(NULL AS STRING) FROM funnel_counts
UNION ALL
SELECT dt, 4, 'purchase', CAST(s4 AS BIGINT), CAST(s1 AS BIGINT), CASE WHEN s1 > 0 THEN CAST(s4 AS DOUBLE) / s1 ELSE CAST(0 AS DOUBLE) END, n, 'provisional', CAST(NULL AS STRING) FROM funnel_counts
