-- Late events whose row in events_dedup is not committed (yet): correcting now would miss them.
SELECT count(*)
FROM late_records l
LEFT ANTI JOIN ${events_dedup} d
  ON d.dt = date_format(timestamp_millis(l.event_time), 'yyyy-MM-dd') AND d.event_id = l.event_id
