-- Deletes files in the table location that no snapshot references (failed or aborted writes).
ALTER TABLE ${table} EXECUTE remove_orphan_files(retention_threshold => '${retention}')
