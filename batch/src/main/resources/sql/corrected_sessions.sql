-- The sessions of the correctable (user, day) pairs, recomputed from events_dedup (each event once,
-- late ones included) the way the streaming job cuts them: a user's events in (event_time, event_id)
-- order, a new session when an event follows the previous one by more than the gap; the ordered
-- funnel advances one step at a time (page_view, add_to_cart, checkout, purchase). The events are read
-- from the day before to the day after (a session may cross midnight), and only sessions that start
-- on a correctable day of the pair are kept.
WITH events AS (
  SELECT d.user_id, d.event_id, d.event_type, d.page, d.event_time,
         unix_millis(CAST(d.event_time AS TIMESTAMP)) AS t
  FROM ${events_dedup} d
  JOIN (SELECT DISTINCT user_id FROM correctable_user_days) u ON u.user_id = d.user_id
  WHERE d.dt IN (${event_dts})
),
starts AS (
  SELECT *,
         CASE WHEN t - lag(t) OVER (PARTITION BY user_id ORDER BY t, event_id) <= ${gap_ms} THEN 0 ELSE 1 END AS starts_session
  FROM events
),
numbered AS (
  SELECT *, sum(starts_session) OVER (PARTITION BY user_id ORDER BY t, event_id ROWS UNBOUNDED PRECEDING) AS session_no
  FROM starts
),
sessions AS (
  SELECT user_id,
         min(event_time) AS session_start,
         max(event_time) AS session_end,
         max(t) - min(t) AS duration_ms,
         count(*) AS events,
         count_if(event_type = 'page_view') AS page_views,
         count(DISTINCT page) AS distinct_pages,
         aggregate(array_sort(collect_list(struct(t, event_id, event_type))), 0,
                   (step, e) -> CASE WHEN step = 0 AND e.event_type = 'page_view' THEN 1
                                     WHEN step = 1 AND e.event_type = 'add_to_cart' THEN 2
                                     WHEN step = 2 AND e.event_type = 'checkout' THEN 3
                                     WHEN step = 3 AND e.event_type = 'purchase' THEN 4
                                     ELSE step END) AS funnel_step
  FROM numbered
  GROUP BY user_id, session_no
)
SELECT date_format(s.session_start, 'yyyy-MM-dd') AS dt, s.user_id, s.session_start, s.session_end, s.duration_ms,
       s.events, s.page_views, s.distinct_pages, s.funnel_step
FROM sessions s
JOIN correctable_user_days c ON c.user_id = s.user_id AND c.dt = date_format(s.session_start, 'yyyy-MM-dd')
