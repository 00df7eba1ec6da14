-- How many of the corrected rows differ from what the serving table holds now and can be applied
-- (a provisional row is deferred, see deferred_minutes).
SELECT count(*)
FROM corrected_minutes s
LEFT JOIN ${page_minute_agg} t
  ON t.dt = s.dt AND t.window_start = s.window_start AND t.page = s.page
WHERE t.page IS NULL
   OR (t.finality <> 'provisional'
       AND (t.events <> s.events OR t.unique_users <> s.unique_users OR t.unique_viewers <> s.unique_viewers))
