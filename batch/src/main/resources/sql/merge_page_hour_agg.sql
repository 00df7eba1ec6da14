-- Replaces the rollup of exactly the given hours: changed rows updated, new ones inserted, rows of
-- those hours that no longer exist deleted; rows with equal counts are left alone (re-run = no change).
MERGE INTO ${page_hour_agg} t
USING hour_rollup s
ON t.dt = s.dt AND t.hour_start = s.hour_start AND t.page = s.page
WHEN MATCHED AND (t.events <> s.events OR t.unique_users <> s.unique_users OR t.unique_viewers <> s.unique_viewers OR t.page_views <> s.page_views
                  OR t.clicks <> s.clicks OR t.add_to_carts <> s.add_to_carts OR t.checkouts <> s.checkouts
                  OR t.purchases <> s.purchases OR t.late_events <> s.late_events) THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *
WHEN NOT MATCHED BY SOURCE AND t.dt IN (${dts}) AND date_format(t.hour_start, 'yyyy-MM-dd HH:mm:ss') IN (${hours}) THEN DELETE
