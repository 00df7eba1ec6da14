-- Keeps the (user, day) pairs of days the streaming job still counts pending for the next run.
MERGE INTO ${correction_pending_sessions} t
USING (SELECT a.user_id, a.dt FROM affected_user_days a LEFT ANTI JOIN correctable_days c ON c.dt = a.dt) s
ON t.user_id = s.user_id AND t.dt = s.dt
WHEN NOT MATCHED THEN INSERT (user_id, dt, run_id) VALUES (s.user_id, s.dt, '${run_id}')
WHEN NOT MATCHED BY SOURCE THEN DELETE
