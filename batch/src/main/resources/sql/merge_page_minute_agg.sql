-- Applies the corrected minute rows. Partition predicate in ON (DESIGN.md: keeps disjoint MERGEs from
-- conflicting); rows are updated only when a count differs, so a re-run commits no change; a row the
-- streaming job may still rewrite (provisional: its window is open) is left alone and kept pending.
MERGE INTO ${page_minute_agg} t
USING corrected_minutes s
ON t.dt IN (${dts}) AND t.dt = s.dt AND t.window_start = s.window_start AND t.page = s.page
WHEN MATCHED AND t.finality <> 'provisional'
                 AND (t.events <> s.events OR t.unique_users <> s.unique_users OR t.unique_viewers <> s.unique_viewers OR t.page_views <> s.page_views
                  OR t.clicks <> s.clicks OR t.add_to_carts <> s.add_to_carts OR t.checkouts <> s.checkouts
                  OR t.purchases <> s.purchases) THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *
