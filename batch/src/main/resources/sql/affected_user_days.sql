-- The (user, day) pairs whose sessions the late records of the run can change: the day of each late
-- event and the day before (a session that started before midnight absorbs an event after it), plus
-- the pairs an earlier run left pending.
SELECT DISTINCT user_id, dt
FROM (
  SELECT user_id, date_format(timestamp_millis(event_time), 'yyyy-MM-dd') AS dt FROM late_records
  UNION ALL
  SELECT user_id, date_format(timestamp_millis(event_time) - INTERVAL 1 DAY, 'yyyy-MM-dd') AS dt FROM late_records
  UNION ALL
  SELECT user_id, dt FROM ${correction_pending_sessions}
)
