-- Backfill: sessions starting on the rebuilt days that the recomputation from events_dedup does not have.
MERGE INTO ${sessions} t
USING corrected_sessions s
ON t.dt IN (${days}) AND t.dt = s.dt AND t.user_id = s.user_id AND t.session_start = s.session_start
WHEN NOT MATCHED BY SOURCE AND t.dt IN (${days}) THEN DELETE
