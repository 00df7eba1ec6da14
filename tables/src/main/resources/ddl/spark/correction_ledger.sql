-- Which offset ranges of clicks.late the correction job has applied: the next run starts where the
-- last one ended, per partition. Written after the MERGE; the MERGE itself is absolute (recomputed
-- from events_dedup), so a crash between the two only makes the next run redo a no-op.
CREATE TABLE IF NOT EXISTS ${table} (
  topic             STRING  NOT NULL,
  kafka_partition   INT     NOT NULL,
  start_offset      BIGINT  NOT NULL COMMENT 'inclusive',
  end_offset        BIGINT  NOT NULL COMMENT 'exclusive',
  late_records      BIGINT  NOT NULL COMMENT 'records of clicks.late in the range',
  affected_minutes  BIGINT  NOT NULL COMMENT '(minute, page) keys of the run, over all its partitions',
  corrected_minutes BIGINT  NOT NULL COMMENT 'keys whose stored row changed, over all partitions of the run',
  run_id            STRING  NOT NULL COMMENT 'the scheduler run that applied it'
) USING iceberg
TBLPROPERTIES ('format-version' = '2')
