-- (user, day) pairs whose sessions a late correction could not recompute yet: the streaming job still
-- counted the day's funnel (provisional rows), and would replace a correction written then. The next
-- run recomputes them with its own late records. Rewritten by every run (pairs applied are removed).
CREATE TABLE IF NOT EXISTS ${table} (
  user_id  STRING NOT NULL,
  dt       STRING NOT NULL COMMENT 'UTC day of session_start, yyyy-MM-dd',
  run_id   STRING NOT NULL COMMENT 'the run that found the pair first'
) USING iceberg
TBLPROPERTIES ('format-version' = '2')
