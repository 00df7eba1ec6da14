-- Replaces the rollup of exactly the given days (see merge_page_hour_agg.sql).
MERGE INTO ${page_day_agg} t
USING day_rollup s
ON t.dt = s.dt AND t.page = s.page
WHEN MATCHED AND (t.events <> s.events OR t.unique_users <> s.unique_users OR t.unique_viewers <> s.unique_viewers OR t.page_views <> s.page_views
                  OR t.clicks <> s.clicks OR t.add_to_carts <> s.add_to_carts OR t.checkouts <> s.checkouts
                  OR t.purchases <> s.purchases OR t.late_events <> s.late_events) THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *
WHEN NOT MATCHED BY SOURCE AND t.dt IN (${dts}) THEN DELETE
