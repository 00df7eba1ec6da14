-- Drops snapshots older than the retention and the files only they referenced.
ALTER TABLE ${table} EXECUTE expire_snapshots(retention_threshold => '${retention}')
