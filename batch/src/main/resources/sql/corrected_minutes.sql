-- Absolute values of every affected minute row, recomputed from events_dedup (each event once, late
-- ones included): what a run without late data would have written. Re-running gives the same rows.
SELECT d.dt,
       CAST(date_trunc('MINUTE', d.event_time) AS TIMESTAMP_NTZ) AS window_start,
       d.page,
       count(*) AS events,
       count_if(d.event_type = 'page_view') AS page_views,
       count_if(d.event_type = 'click') AS clicks,
       count_if(d.event_type = 'add_to_cart') AS add_to_carts,
       count_if(d.event_type = 'checkout') AS checkouts,
       count_if(d.event_type = 'purchase') AS purchases,
       count(DISTINCT d.user_id) AS unique_users,
       count(DISTINCT CASE WHEN d.event_type = 'page_view' THEN d.user_id END) AS unique_viewers,
       hll_sketch(d.user_id) AS users_hll,
       count(*) AS revision,
       'corrected' AS finality,
       '${run_id}' AS corrected_by
FROM ${events_dedup} d
JOIN affected_minutes a
  ON d.dt = a.dt AND d.page = a.page AND CAST(date_trunc('MINUTE', d.event_time) AS TIMESTAMP_NTZ) = a.window_start
WHERE d.dt IN (${dts})
GROUP BY 1, 2, 3
