-- What the session MERGE does: every recomputed session ('upsert'), and every stored session of a
-- correctable (user, day) pair that the recomputation no longer has ('delete': a late event bridged it
-- into an earlier session). Only rows that differ are listed, so a re-run changes nothing.
SELECT s.*, 'upsert' AS op
FROM corrected_sessions s
LEFT JOIN ${sessions} t
  ON t.dt = s.dt AND t.user_id = s.user_id AND t.session_start = s.session_start
WHERE t.user_id IS NULL OR t.session_end <> s.session_end OR t.events <> s.events OR t.page_views <> s.page_views
   OR t.distinct_pages <> s.distinct_pages OR t.funnel_step <> s.funnel_step
UNION ALL
SELECT t.dt, t.user_id, t.session_start, t.session_end, t.duration_ms, t.events, t.page_views, t.distinct_pages, t.funnel_step,
       'delete' AS op
FROM ${sessions} t
JOIN correctable_user_days c ON c.user_id = t.user_id AND c.dt = t.dt
LEFT ANTI JOIN corrected_sessions s
  ON t.dt = s.dt AND t.user_id = s.user_id AND t.session_start = s.session_start
WHERE t.dt IN (${session_dts})
