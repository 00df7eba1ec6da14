-- Views of sql-full; statements are separated by a line holding only ';'.
CREATE TEMPORARY VIEW valid_events AS
SELECT * FROM clicks_raw
WHERE schema_version IN (1, 2, 3) AND event_id IS NOT NULL AND user_id IS NOT NULL AND page IS NOT NULL
  AND event_time IS NOT NULL AND event_type IN ('page_view', 'click', 'add_to_cart', 'checkout', 'purchase')
;
CREATE TEMPORARY VIEW rejected AS
SELECT kafka_partition, kafka_offset, kafka_ts,
       CASE WHEN event_id IS NULL AND event_type IS NULL AND event_time IS NULL THEN 'MALFORMED_JSON' ELSE 'INVALID_VALUE' END AS reason
FROM clicks_raw
WHERE NOT (COALESCE(schema_version IN (1, 2, 3), FALSE) AND event_id IS NOT NULL AND user_id IS NOT NULL AND page IS NOT NULL
  AND event_time IS NOT NULL AND COALESCE(event_type IN ('page_view', 'click', 'add_to_cart', 'checkout', 'purchase'), FALSE))
;
-- First copy of each event_id (keep-first on processing time: append-only, keeps the event-time attribute).
CREATE TEMPORARY VIEW deduped AS
SELECT * FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY proc ASC) AS rn FROM valid_events
) WHERE rn = 1
;
-- Sessions: SESSION windows per user, 30 min gap. The funnel step is the unordered one (SQL has no ordered fold
-- without MATCH_RECOGNIZE): the highest step whose event and all earlier steps' events occur in the session.
CREATE TEMPORARY VIEW session_rows AS
SELECT DATE_FORMAT(CAST(TO_TIMESTAMP_LTZ(MIN(event_time), 3) AS TIMESTAMP(3)), 'yyyy-MM-dd') AS dt, user_id,
       CAST(TO_TIMESTAMP_LTZ(MIN(event_time), 3) AS TIMESTAMP(3)) AS session_start,
       CAST(TO_TIMESTAMP_LTZ(MAX(event_time), 3) AS TIMESTAMP(3)) AS session_end,
       MAX(event_time) - MIN(event_time) AS duration_ms, COUNT(*) AS events,
       COUNT(*) FILTER (WHERE event_type = 'page_view') AS page_views, COUNT(DISTINCT page) AS distinct_pages,
       CASE WHEN COUNT(*) FILTER (WHERE event_type = 'page_view') = 0 THEN 0
            WHEN COUNT(*) FILTER (WHERE event_type = 'add_to_cart') = 0 THEN 1
            WHEN COUNT(*) FILTER (WHERE event_type = 'checkout') = 0 THEN 2
            WHEN COUNT(*) FILTER (WHERE event_type = 'purchase') = 0 THEN 3
            ELSE 4 END AS funnel_step
FROM TABLE(SESSION(TABLE deduped PARTITION BY user_id, DESCRIPTOR(ts), INTERVAL '30' MINUTES))
GROUP BY window_start, window_end, user_id
;
CREATE TEMPORARY VIEW funnel_counts AS
SELECT dt, COUNT(*) AS n,
       SUM(CASE WHEN funnel_step >= 1 THEN 1 ELSE 0 END) AS s1, SUM(CASE WHEN funnel_step >= 2 THEN 1 ELSE 0 END) AS s2,
       SUM(CASE WHEN funnel_step >= 3 THEN 1 ELSE 0 END) AS s3, SUM(CASE WHEN funnel_step >= 4 THEN 1 ELSE 0 END) AS s4
FROM session_rows GROUP BY dt
