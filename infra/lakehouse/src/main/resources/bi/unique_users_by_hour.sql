-- Exact unique users and distinct events per hour of event time, late events included.
-- Distinct counts never add up across minutes: they are counted here from the deduplicated events.
SELECT format_datetime(date_trunc('hour', event_time), 'yyyy-MM-dd HH:00') AS hour,
       count(DISTINCT user_id) AS unique_users,
       count(*) AS events
FROM events_dedup
GROUP BY date_trunc('hour', event_time)
ORDER BY 1
