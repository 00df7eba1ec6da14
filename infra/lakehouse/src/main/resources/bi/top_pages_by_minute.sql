-- The 10 busiest page-minutes by page views (streaming minute aggregates).
SELECT format_datetime(window_start, 'yyyy-MM-dd HH:mm') AS minute,
       page,
       page_views,
       unique_viewers
FROM page_minute_agg
ORDER BY page_views DESC, window_start, page
LIMIT 10
