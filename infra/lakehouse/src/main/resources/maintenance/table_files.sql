-- Data files, delete files, bytes and snapshots of one table: the before/after of maintenance.
-- effective_delete_files counts the delete files a reader still has to apply: position deletes, and
-- equality deletes newer than the oldest live data file (older ones apply to nothing; Iceberg drops
-- them once every data file they predate is rewritten).
SELECT (SELECT count(*) FROM "${table}$files" WHERE content = 0) AS data_files,
       (SELECT count(*) FROM "${table}$files" WHERE content <> 0) AS delete_files,
       (SELECT coalesce(sum(file_size_in_bytes), 0) FROM "${table}$files") AS bytes,
       (SELECT count(*) FROM "${table}$snapshots") AS snapshots,
       (SELECT count(*) FROM "${table}$entries"
         WHERE status <> 2 AND (data_file.content = 1 OR (data_file.content = 2 AND sequence_number > (
           SELECT coalesce(min(sequence_number), 0) FROM "${table}$entries" WHERE status <> 2 AND data_file.content = 0)))
       ) AS effective_delete_files
