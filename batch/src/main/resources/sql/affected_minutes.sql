-- The (day, minute, page) keys that the late records of the run fall into.
SELECT DISTINCT date_format(window_start, 'yyyy-MM-dd') AS dt, window_start, page
FROM (
  SELECT CAST(timestamp_millis(event_time - pmod(event_time, 60000)) AS TIMESTAMP_NTZ) AS window_start, page
  FROM late_records
)
