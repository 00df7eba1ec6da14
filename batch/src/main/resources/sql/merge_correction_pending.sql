-- Keeps the deferred keys pending (a key already pending keeps the run that found it first).
MERGE INTO ${correction_pending} t
USING deferred_minutes s
ON t.dt = s.dt AND t.window_start = s.window_start AND t.page = s.page
WHEN NOT MATCHED THEN INSERT (dt, window_start, page, run_id) VALUES (s.dt, s.window_start, s.page, '${run_id}')
WHEN NOT MATCHED BY SOURCE THEN DELETE
