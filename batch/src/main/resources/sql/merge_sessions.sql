-- Applies the session changes; the partition predicate in ON keeps the MERGE to the affected days.
MERGE INTO ${sessions} t
USING session_changes s
ON t.dt IN (${session_dts}) AND t.dt = s.dt AND t.user_id = s.user_id AND t.session_start = s.session_start
WHEN MATCHED AND s.op = 'delete' THEN DELETE
WHEN MATCHED AND s.op = 'upsert' THEN UPDATE SET
  session_end = s.session_end, duration_ms = s.duration_ms, events = s.events, page_views = s.page_views,
  distinct_pages = s.distinct_pages, funnel_step = s.funnel_step
WHEN NOT MATCHED AND s.op = 'upsert' THEN INSERT
  (dt, user_id, session_start, session_end, duration_ms, events, page_views, distinct_pages, funnel_step)
  VALUES (s.dt, s.user_id, s.session_start, s.session_end, s.duration_ms, s.events, s.page_views, s.distinct_pages, s.funnel_step)
