-- Compaction of a whole upserted table. Trino 476 drops equality delete files only in a full-table
-- optimize (a partition filter leaves them behind for good: trinodb/trino#24086, fixed after 476 by
-- trinodb/trino#28371). Only files below the threshold or with deletes are rewritten, so the cost
-- follows what changed, not the table size; a conflict with the streaming writer fails and is retried.
ALTER TABLE ${table} EXECUTE optimize(file_size_threshold => '${file_size_threshold}')
