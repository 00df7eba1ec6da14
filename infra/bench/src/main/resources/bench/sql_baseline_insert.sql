-- 1-minute tumbling windows per page into Paimon: the same minute aggregate as our job, without
-- dedup, lateness routing, sessions or the raw/dedup tables.
INSERT INTO page_minute_baseline
SELECT CAST(window_start AS TIMESTAMP(3)), page,
       COUNT(*), COUNT(*) FILTER (WHERE event_type = 'page_view'), COUNT(DISTINCT user_id)
FROM TABLE(TUMBLE(TABLE clicks_raw, DESCRIPTOR(ts), INTERVAL '1' MINUTES))
WHERE event_time IS NOT NULL AND user_id IS NOT NULL AND page IS NOT NULL
GROUP BY window_start, window_end, page;
