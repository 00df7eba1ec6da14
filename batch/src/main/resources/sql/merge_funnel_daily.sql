-- Applies the recomputed funnel rows whose counts differ (a re-run changes nothing).
MERGE INTO ${funnel_daily} t
USING corrected_funnel s
ON t.dt IN (${session_dts}) AND t.dt = s.dt AND t.step = s.step
WHEN MATCHED AND (t.sessions <> s.sessions OR t.entrants <> s.entrants) THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *
