-- Days of affected_user_days that the streaming job no longer counts: none of their funnel rows is
-- provisional (the job closed the day, clickstream.funnel.retention after its end, and never writes it
-- again), or the job has no funnel row for the day at all. A day it still counts is left pending: a
-- correction written now would be replaced by the job's next funnel row.
SELECT a.dt
FROM (SELECT DISTINCT dt FROM affected_user_days) a
LEFT JOIN (
  SELECT dt, count_if(finality = 'provisional') AS open_rows FROM ${funnel_daily} WHERE dt IN (${session_dts}) GROUP BY dt
) f ON f.dt = a.dt
WHERE f.dt IS NULL OR f.open_rows = 0
