-- The (day, minute, page) keys to recompute: those the late records of the run fall into, and those
-- an earlier run had to leave pending (their streaming row was still provisional).
SELECT DISTINCT dt, window_start, page
FROM (
  SELECT date_format(window_start, 'yyyy-MM-dd') AS dt, window_start, page
  FROM (
    SELECT CAST(timestamp_millis(event_time - pmod(event_time, 60000)) AS TIMESTAMP_NTZ) AS window_start, page
    FROM late_records
  )
  UNION ALL
  SELECT dt, window_start, page FROM ${correction_pending}
)
