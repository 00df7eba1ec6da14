-- Every deduplicated event of the days a backfill rebuilds, shaped like the records of clicks.late, so
-- the correction's recomputation treats every (minute, page) key and every (user, day) pair of the days.
SELECT event_id, event_type, user_id, page, unix_millis(CAST(event_time AS TIMESTAMP)) AS event_time
FROM ${events_dedup}
WHERE dt IN (${days})
