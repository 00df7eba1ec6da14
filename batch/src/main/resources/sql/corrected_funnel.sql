-- The funnel of every correctable day whose sessions the run looked at, recomputed from the sessions
-- table (after the session MERGE): per step, the day's sessions that reached it.
SELECT x.dt, f.step, f.step_name, x.reached[f.step - 1] AS sessions, x.reached[0] AS entrants,
       CASE WHEN x.reached[0] = 0 THEN 0.0 ELSE CAST(x.reached[f.step - 1] AS DOUBLE) / x.reached[0] END AS conversion,
       x.total AS revision, 'corrected' AS finality, '${run_id}' AS corrected_by
FROM (
  SELECT dt, count(*) AS total,
         array(count_if(funnel_step >= 1), count_if(funnel_step >= 2), count_if(funnel_step >= 3), count_if(funnel_step >= 4)) AS reached
  FROM ${sessions}
  WHERE dt IN (SELECT dt FROM correctable_days) AND dt IN (${session_dts})
  GROUP BY dt
) x
CROSS JOIN funnel_steps f
