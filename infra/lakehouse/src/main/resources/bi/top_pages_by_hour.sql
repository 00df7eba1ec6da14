-- The 3 most viewed pages of every hour (event time), from the minute aggregates.
SELECT hour, rank, page, page_views
FROM (
  SELECT format_datetime(date_trunc('hour', window_start), 'yyyy-MM-dd HH:00') AS hour,
         page,
         sum(page_views) AS page_views,
         row_number() OVER (PARTITION BY date_trunc('hour', window_start) ORDER BY sum(page_views) DESC, page) AS rank
  FROM page_minute_agg
  GROUP BY date_trunc('hour', window_start), page
)
WHERE rank <= 3
ORDER BY hour, rank
