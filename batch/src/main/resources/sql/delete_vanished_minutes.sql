-- Backfill: minute rows of the rebuilt days that no deduplicated event supports (damage, a bad write).
MERGE INTO ${page_minute_agg} t
USING corrected_minutes s
ON t.dt IN (${days}) AND t.dt = s.dt AND t.window_start = s.window_start AND t.page = s.page
WHEN NOT MATCHED BY SOURCE AND t.dt IN (${days}) THEN DELETE
