-- Absolute per (hour, metric).
MERGE INTO ${quality_metrics} t
USING quality_rows s
ON t.dt = s.dt AND t.hour_start = s.hour_start AND t.metric = s.metric
WHEN MATCHED AND (t.value <> s.value OR t.flagged <> s.flagged
                  OR NOT (t.z_score <=> s.z_score) OR NOT (t.baseline_mean <=> s.baseline_mean)) THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *
