-- Daily rollup per page from events_dedup (late events included).
SELECT dt,
       page,
       count(*) AS events,
       count_if(event_type = 'page_view') AS page_views,
       count_if(event_type = 'click') AS clicks,
       count_if(event_type = 'add_to_cart') AS add_to_carts,
       count_if(event_type = 'checkout') AS checkouts,
       count_if(event_type = 'purchase') AS purchases,
       count(DISTINCT user_id) AS unique_users,
       count(DISTINCT CASE WHEN event_type = 'page_view' THEN user_id END) AS unique_viewers,
       hll_sketch(user_id) AS users_hll,
       count_if(late) AS late_events
FROM ${events_dedup}
WHERE dt IN (${dts})
GROUP BY dt, page
