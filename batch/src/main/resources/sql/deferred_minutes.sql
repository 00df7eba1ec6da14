-- Recomputed keys whose streaming row is still provisional: the window is open in the job, and its next
-- firing (without the late events) would replace a correction written now. Left for a later run.
SELECT s.dt, s.window_start, s.page
FROM corrected_minutes s
JOIN ${page_minute_agg} t
  ON t.dt = s.dt AND t.window_start = s.window_start AND t.page = s.page
WHERE t.finality = 'provisional'
