-- The (user, day) pairs whose sessions the late records of the run can change: the day of each late
-- event, the day before (a session that started before midnight absorbs an event after it) and the day
-- after (an event before midnight becomes the new start of a session that started after it, whose row
-- keyed on the next day must go), plus the pairs an earlier run left pending.
SELECT DISTINCT user_id, dt
FROM (
  SELECT user_id, date_format(timestamp_millis(event_time), 'yyyy-MM-dd') AS dt FROM late_records
  UNION ALL
  SELECT user_id, date_format(timestamp_millis(event_time) - INTERVAL 1 DAY, 'yyyy-MM-dd') AS dt FROM late_records
  UNION ALL
  SELECT user_id, date_format(timestamp_millis(event_time) + INTERVAL 1 DAY, 'yyyy-MM-dd') AS dt FROM late_records
  UNION ALL
  SELECT user_id, dt FROM ${correction_pending_sessions}
)
