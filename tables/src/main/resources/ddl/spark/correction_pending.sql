-- Minute keys a late correction could not apply yet: their streaming row was still provisional (the
-- window open in the job, e.g. held by a silent partition), and a correction written then would be
-- replaced by the window's next firing. The next run recomputes them with its own late records and
-- applies them once the row is final. Rewritten by every run (keys applied are removed).
CREATE TABLE IF NOT EXISTS ${table} (
  dt            STRING        NOT NULL COMMENT 'UTC day of window_start, yyyy-MM-dd',
  window_start  TIMESTAMP_NTZ NOT NULL,
  page          STRING        NOT NULL,
  run_id        STRING        NOT NULL COMMENT 'the run that found the key first'
) USING iceberg
TBLPROPERTIES ('format-version' = '2')
