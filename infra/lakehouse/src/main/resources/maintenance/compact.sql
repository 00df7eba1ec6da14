-- Rewrites the small files of one day partition into files of the target size and applies the
-- equality deletes of upserted tables. Scoped to one partition: a re-run is a no-op, and the day the
-- stream is still writing can be left alone (a commit conflict with the writer fails, never corrupts).
ALTER TABLE ${table} EXECUTE optimize(file_size_threshold => '${file_size_threshold}') WHERE dt = '${dt}'
